// slice: the object `a[i:j:k]` passes to __getitem__, and its resolution against a length.
#pragma once
#include "interp/object.h"

namespace aio {

struct SliceObj : Object {
  Value start, stop, step;  // None when omitted
  SliceObj(Value start, Value stop, Value step);
};

Value new_slice(Value start, Value stop, Value step);
inline bool is_slice(const Value& v) { return is_exact(v, types.slice); }

void init_slice_type();

}  // namespace aio
