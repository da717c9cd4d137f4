// The parser: tokens to the AST of interp/ast.h (Python 3.11 statements and expressions,
// without `match`), reporting syntax errors as CPython 3.11 words and places them.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "interp/ast.h"
#include "interp/syntax_error.h"

namespace aio {

tl::expected<std::unique_ptr<Module>, SyntaxErrorInfo> parse_module(std::string_view source,
                                                                   const std::string& filename);

// REPL: parses one interactive input. `incomplete` is set (and an empty module returned) when
// more lines are needed: an open bracket, an open triple-quoted string, a trailing backslash,
// or a compound statement not yet closed by a blank line.
tl::expected<std::unique_ptr<Module>, SyntaxErrorInfo> parse_interactive(
    std::string_view source, const std::string& filename, bool& incomplete);

}  // namespace aio
