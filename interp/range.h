// range: an immutable arithmetic sequence, computed rather than stored. Ranges within int64 keep
// plain fields (the fast path loops use); wider ones keep their bounds as BigInts, as CPython
// keeps any int.
#pragma once
#include <cstdint>
#include <memory>

#include "interp/bigint.h"
#include "interp/object.h"

namespace aio {

struct BigRange {
  BigInt start, stop, step, len;
};

struct RangeObj : Object {
  int64_t start, stop, step, len;  // the range itself, unless `big` is set
  std::unique_ptr<BigRange> big;   // set when any of start, stop, step, len leaves int64
  RangeObj(int64_t start, int64_t stop, int64_t step, int64_t len);
  explicit RangeObj(BigRange&& b);
};

// step must be non-zero.
Value new_range(int64_t start, int64_t stop, int64_t step);
Value new_range(const BigInt& start, const BigInt& stop, const BigInt& step);
// Item i of a range without `big` (0 <= i < len).
inline int64_t range_item(const RangeObj* r, int64_t i) { return r->start + i * r->step; }
Value range_getitem(RangeObj* r, const Value& key);
// Iterator (range_iterator, or longrange_iterator beyond int64): next as next_item's contract;
// never raises.
Value range_iter(const Value& range);
bool is_range_iter(const Value& v);
bool range_iter_next(Object* it, Value& out);

void init_range_type();

}  // namespace aio
