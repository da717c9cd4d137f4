// A compact one-line text form of the AST, modelled on CPython's ast.dump (without ctx),
// for tests and debugging. With `positions`, every node is followed by @line:col-end_col.
#pragma once
#include <string>

#include "interp/ast.h"

namespace aio {

std::string dump(const Expr& e, bool positions = false);
std::string dump(const Stmt& s, bool positions = false);
std::string dump(const Module& m, bool positions = false);

}  // namespace aio
