// range: an immutable arithmetic sequence of int64s, computed rather than stored.
#pragma once
#include <cstdint>

#include "interp/object.h"

namespace aio {

struct RangeObj : Object {
  int64_t start, stop, step;
  int64_t len;
  RangeObj(int64_t start, int64_t stop, int64_t step);
};

// step must be non-zero.
Value new_range(int64_t start, int64_t stop, int64_t step);
inline int64_t range_item(const RangeObj* r, int64_t i) { return r->start + i * r->step; }
Value range_getitem(RangeObj* r, const Value& key);
// Iterator (range_iterator): next as next_item's contract; never raises.
Value range_iter(const Value& range);
bool is_range_iter(const Value& v);
bool range_iter_next(Object* it, Value& out);

void init_range_type();

}  // namespace aio
