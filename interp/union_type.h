// int | str: types.UnionType, what `|` between classes (or None, or list[int]) makes. isinstance and
// issubclass accept one like a tuple of its members.
#pragma once
#include <vector>

#include "interp/object.h"

namespace aio {

// a | b for classes, None, generic aliases (list[int]) and unions; NotImplemented otherwise.
Value make_union(const Value& a, const Value& b);
// The member classes when v is a union, else nullptr.
const std::vector<Value>* union_members(const Value& v);

// Registers type.__or__ / type.__ror__.
void init_union_type();

}  // namespace aio
