// The match statement at run time: whether a case's pattern matches the subject, binding the
// names it captures. The compile pass lowers each case to a MatchTest (then its guard and body).
#pragma once
#include <functional>

#include "interp/ast.h"
#include "interp/function.h"

namespace aio {

// Visits the expressions inside a pattern: the values it reads (literals, dotted names, classes,
// mapping keys) with `binds` false, and the Names it binds with `binds` true.
void for_each_pattern_expr(Pattern* p, const std::function<void(ExprP& e, bool binds)>& fn);

// True when t's pattern matches its subject (and its names are then bound), false when not;
// raised on an error (a class pattern's TypeError, an exception from ==).
Value match_test(MatchTest* t, Frame* f);

}  // namespace aio
