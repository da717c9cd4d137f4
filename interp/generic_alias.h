// list[int], dict[str, int]...: what subscripting a built-in class makes (types.GenericAlias).
// Only annotations use them: they print as written and call through to the class.
#pragma once
#include "interp/object.h"

namespace aio {

// origin[args]; args is the subscript (a tuple for several).
Value new_generic_alias(const Value& origin, const Value& args);
bool is_generic_alias(const Value& v);

}  // namespace aio
