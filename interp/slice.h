// slice: the object `a[i:j:k]` passes to __getitem__, and its resolution against a length.
#pragma once
#include "interp/object.h"

namespace aio {

struct SliceObj : Object {
  Value start, stop, step;  // None when omitted
  SliceObj(Value start, Value stop, Value step);
};

Value new_slice(Value start, Value stop, Value step);
// A start or end argument of find, count, startswith...: None or absent means `fallback`, a
// negative index counts from `len` (clamped at 0); false: TypeError raised.
bool slice_index(const Value* v, int64_t len, int64_t fallback, int64_t& out);
inline bool is_slice(const Value& v) { return is_exact(v, types.slice); }

void init_slice_type();

}  // namespace aio
