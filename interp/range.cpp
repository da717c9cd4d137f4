// range objects and their iterators. Loops, len, int indexing and int membership take the int64
// fields; everything else (and any range beyond int64) works on BigInt bounds, as CPython's
// rangeobject.c works on PyLongs.
#include "interp/range.h"

#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/slice.h"
#include "interp/tuple.h"

namespace aio {

using Wide = __int128;  // intermediate arithmetic that must not overflow

constexpr const char* kSsizeOverflow = "Python int too large to convert to C ssize_t";

// ---- making ranges ----

static BigInt big_length(const BigInt& start, const BigInt& stop, const BigInt& step) {
  bool up = step.sign() > 0;
  const BigInt& lo = up ? start : stop;
  const BigInt& hi = up ? stop : start;
  if (compare(hi, lo) <= 0) return BigInt(0);
  return floordiv(hi - lo - BigInt(1), abs(step)) + BigInt(1);
}

RangeObj::RangeObj(int64_t a, int64_t b, int64_t c, int64_t n)
    : Object(types.range), start(a), stop(b), step(c), len(n) {}

RangeObj::RangeObj(BigRange&& b) : Object(types.range), start(0), stop(0), step(1), len(0) {
  big = std::make_unique<BigRange>(std::move(b));
}

Value new_range(const BigInt& start, const BigInt& stop, const BigInt& step) {
  BigInt len = big_length(start, stop, step);
  if (start.fits_int64() && stop.fits_int64() && step.fits_int64() && len.fits_int64())
    return Value::adopt(new RangeObj(start.to_int64(), stop.to_int64(), step.to_int64(), len.to_int64()));
  return Value::adopt(new RangeObj(BigRange{start, stop, step, std::move(len)}));
}

Value new_range(int64_t start, int64_t stop, int64_t step) {
  Wide lo = start, hi = stop, st = step;
  if (st < 0) {
    std::swap(lo, hi);
    st = -st;
  }
  Wide len = hi > lo ? (hi - lo - 1) / st + 1 : 0;
  if (len > INT64_MAX) return new_range(BigInt(start), BigInt(stop), BigInt(step));
  return Value::adopt(new RangeObj(start, stop, step, static_cast<int64_t>(len)));
}

// The bounds of any range as BigInts.
static BigRange bounds(const RangeObj* r) {
  if (r->big) return *r->big;
  return BigRange{r->start, r->stop, r->step, r->len};
}

static RangeObj* self_range(const Args& a) { return as<RangeObj>(a[0]); }

// v as an int: an int itself or what its __index__ gives.
static bool index_int(const Value& v, BigInt& out) {
  if (is_intlike(v)) {
    out = to_bigint(v);
    return true;
  }
  if (v.is_float() || !type_lookup(type_of(v), intern("__index__"))) {
    raise(exc.TypeError, "'" + type_name(v) + "' object cannot be interpreted as an integer");
    return false;
  }
  Value r = num_unbox(call_method(v, "__index__", {}));
  if (r.is_raised()) return false;
  if (!is_intlike(r)) {
    raise(exc.TypeError, "__index__ returned non-int (type " + type_name(r) + ")");
    return false;
  }
  out = to_bigint(r);
  return true;
}

static Value range_new(const Args& a) {
  if (!no_kwargs(a, "range")) return Value::raised();
  if (a.npos < 2) return raise(exc.TypeError, "range expected at least 1 argument, got 0");
  if (a.npos > 4) return raise(exc.TypeError, "range expected at most 3 arguments, got " + std::to_string(a.npos - 1));
  BigInt v[3] = {0, 0, 1};
  for (size_t i = 1; i < a.npos; i++)
    if (!index_int(a[i], v[a.npos == 2 ? 1 : i - 1])) return Value::raised();
  if (v[2].is_zero()) return raise(exc.ValueError, "range() arg 3 must not be zero");
  return new_range(v[0], v[1], v[2]);
}

// ---- indexing ----

// A slice's start, stop or step as an int.
static bool slice_index(const Value& v, BigInt& out) {
  if (!is_intlike(v) && (v.is_float() || !type_lookup(type_of(v), intern("__index__")))) {
    raise(exc.TypeError, "slice indices must be integers or None or have an __index__ method");
    return false;
  }
  return index_int(v, out);
}

// One bound of a slice resolved as CPython's _PySlice_GetLongIndices: None takes `dflt`, a
// negative bound counts from the end, the result is clamped to [lower, upper].
static bool slice_bound(const Value& v, const BigInt& len, const BigInt& lower, const BigInt& upper,
                        const BigInt& dflt, BigInt& out) {
  if (v.is_none()) {
    out = dflt;
    return true;
  }
  if (!slice_index(v, out)) return false;
  if (out.sign() < 0) {
    out = out + len;
    if (compare(out, lower) < 0) out = lower;
  } else if (compare(out, upper) > 0) {
    out = upper;
  }
  return true;
}

static Value range_slice(const RangeObj* r, const SliceObj* s) {
  BigRange b = bounds(r);
  BigInt step(1);
  if (!s->step.is_none() && !slice_index(s->step, step)) return Value::raised();
  if (step.is_zero()) return raise(exc.ValueError, "slice step cannot be zero");
  bool down = step.sign() < 0;
  BigInt lower = down ? BigInt(-1) : BigInt(0);
  BigInt upper = down ? b.len - BigInt(1) : b.len;
  BigInt start, stop;
  if (!slice_bound(s->start, b.len, lower, upper, down ? upper : lower, start) ||
      !slice_bound(s->stop, b.len, lower, upper, down ? lower : upper, stop))
    return Value::raised();
  return new_range(b.start + start * b.step, b.start + stop * b.step, b.step * step);
}

// Item i (an int of any size, negative counting from the end) of r.
static Value big_item(const RangeObj* r, BigInt i) {
  BigRange b = bounds(r);
  if (i.sign() < 0) i = i + b.len;
  if (i.sign() < 0 || compare(i, b.len) >= 0) return raise(exc.IndexError, "range object index out of range");
  return make_int(b.start + i * b.step);
}

Value range_getitem(RangeObj* r, const Value& key) {
  if (key.is_int() && !r->big) {
    int64_t i = key.as_int();
    if (!normalize_index(i, static_cast<size_t>(r->len))) return raise(exc.IndexError, "range object index out of range");
    return Value::integer(range_item(r, i));
  }
  if (is_slice(key)) return range_slice(r, as<SliceObj>(key));
  if (!is_intlike(key) && (key.is_float() || !type_lookup(type_of(key), intern("__index__"))))
    return raise(exc.TypeError, "range indices must be integers or slices, not " + type_name(key));
  BigInt i;
  if (!index_int(key, i)) return Value::raised();
  return big_item(r, std::move(i));
}

static Value range_getitem_method(const Args& a) {
  if (!check_args(a, "__getitem__", 2, 2)) return Value::raised();
  return range_getitem(self_range(a), a[1]);
}

static Value range_len(const Args& a) {
  RangeObj* r = self_range(a);
  if (!r->big) return Value::integer(r->len);
  if (!r->big->len.fits_int64()) return raise(exc.OverflowError, kSsizeOverflow);
  return Value::integer(r->big->len.to_int64());
}

static Value range_bool(const Args& a) {
  RangeObj* r = self_range(a);
  return Value::boolean(r->big ? !r->big->len.is_zero() : r->len != 0);
}

// ---- searching ----

// Where int x sits in r: 1 found (at `pos`), 0 absent.
static int int_position(const RangeObj* r, const Value& x, BigInt& pos) {
  if (x.is_int() && !r->big) {
    Wide off = Wide(x.as_int()) - r->start;
    if (off % r->step != 0) return 0;
    Wide i = off / r->step;
    if (i < 0 || i >= r->len) return 0;
    pos = BigInt(static_cast<int64_t>(i));
    return 1;
  }
  BigRange b = bounds(r);
  auto [i, rem] = divmod(to_bigint(x) - b.start, b.step);
  if (!rem.is_zero() || i.sign() < 0 || compare(i, b.len) >= 0) return 0;
  pos = std::move(i);
  return 1;
}

// Where x sits in r by ==, as a sequence search: 1 found (at `pos`), 0 absent, -1 raised.
static int position(const Value& range, const Value& x, BigInt& pos) {
  if (is_intlike(x)) return int_position(as<RangeObj>(range), x, pos);
  Value it = range_iter(range), item;
  for (int64_t i = 0; range_iter_next(it.obj(), item); i++) {
    int eq = equals(item, x);
    if (eq < 0) return -1;
    if (eq) {
      pos = BigInt(i);
      return 1;
    }
  }
  return 0;
}

static Value range_contains(const Args& a) {
  BigInt pos;
  int found = position(a[0], a[1], pos);
  return found < 0 ? Value::raised() : Value::boolean(found);
}

static Value range_index(const Args& a) {
  if (!check_args(a, "index", 2, 2)) return Value::raised();
  BigInt pos;
  int found = position(a[0], a[1], pos);
  if (found < 0) return Value::raised();
  if (found) return make_int(std::move(pos));
  std::string r;
  if (!repr_string(a[1], r)) return Value::raised();
  return raise(exc.ValueError, r + " is not in range");
}

static Value range_count(const Args& a) {
  if (!check_args(a, "count", 2, 2)) return Value::raised();
  BigInt pos;
  if (is_intlike(a[1])) return Value::integer(int_position(self_range(a), a[1], pos));
  Value it = range_iter(a[0]), item;
  int64_t n = 0;
  while (range_iter_next(it.obj(), item)) {
    int eq = equals(item, a[1]);
    if (eq < 0) return Value::raised();
    n += eq;
  }
  return Value::integer(n);
}

// ---- repr, equality, hash ----

static Value range_repr(const Args& a) {
  BigRange b = bounds(self_range(a));
  std::string out = "range(" + b.start.to_string() + ", " + b.stop.to_string();
  if (compare(b.step, BigInt(1)) != 0) out += ", " + b.step.to_string();
  return new_str(out + ")");
}

// Ranges are equal when they hold the same sequence, whatever their bounds.
static bool same_sequence(const RangeObj* x, const RangeObj* y) {
  if (!x->big && !y->big) {
    if (x->len != y->len) return false;
    return x->len == 0 || (x->start == y->start && (x->len == 1 || x->step == y->step));
  }
  BigRange a = bounds(x), b = bounds(y);
  if (compare(a.len, b.len) != 0) return false;
  if (a.len.is_zero()) return true;
  if (compare(a.start, b.start) != 0) return false;
  return compare(a.len, BigInt(1)) == 0 || compare(a.step, b.step) == 0;
}

static Value range_eq(const Args& a) {
  if (!is_exact(a[1], types.range)) return not_implemented();
  return Value::boolean(same_sequence(self_range(a), as<RangeObj>(a[1])));
}

static Value range_ne(const Args& a) {
  if (!is_exact(a[1], types.range)) return not_implemented();
  return Value::boolean(!same_sequence(self_range(a), as<RangeObj>(a[1])));
}

// As CPython: hash((len, start, step)), with start and step None where they do not matter.
static Value range_hash(const Args& a) {
  BigRange b = bounds(self_range(a));
  int many = compare(b.len, BigInt(1));
  Value start = b.len.is_zero() ? Value() : make_int(std::move(b.start));
  Value step = many > 0 ? make_int(std::move(b.step)) : Value();
  Value key = new_tuple({make_int(std::move(b.len)), start, step});
  int64_t h;
  if (!tuple_hash(as<TupleObj>(key), h)) return Value::raised();
  return Value::integer(h);
}

static Value bound_getter(const Value& range, int64_t RangeObj::*small, BigInt BigRange::*wide) {
  auto* r = as<RangeObj>(range);
  return r->big ? make_int(BigInt((*r->big).*wide)) : Value::integer(r->*small);
}

// ---- iteration ----

struct RangeIterObj : Object {
  int64_t next, step, remaining;
  RangeIterObj(Type* t, int64_t n, int64_t s, int64_t r) : Object(t), next(n), step(s), remaining(r) {}
};

// The iterator of a range beyond int64.
struct LongRangeIterObj : Object {
  BigInt next, step, remaining;
  LongRangeIterObj(Type* t, BigInt n, BigInt s, BigInt r)
      : Object(t), next(std::move(n)), step(std::move(s)), remaining(std::move(r)) {}
};

static Type* range_iter_type;
static Type* long_range_iter_type;

static bool long_range_iter_next(Object* o, Value& out) {
  auto* it = static_cast<LongRangeIterObj*>(o);
  if (it->remaining.sign() <= 0) {
    out = Value();
    return false;
  }
  out = make_int(BigInt(it->next));
  it->next = it->next + it->step;
  it->remaining = it->remaining - BigInt(1);
  return true;
}

Value range_iter(const Value& range) {
  auto* r = as<RangeObj>(range);
  if (r->big) return Value::adopt(new LongRangeIterObj(long_range_iter_type, r->big->start, r->big->step, r->big->len));
  return Value::adopt(new RangeIterObj(range_iter_type, r->start, r->step, r->len));
}

bool is_range_iter(const Value& v) { return is_exact(v, range_iter_type) || is_exact(v, long_range_iter_type); }

static bool small_range_iter_next(Object* o, Value& out) {
  auto* it = static_cast<RangeIterObj*>(o);
  if (it->remaining <= 0) {
    out = Value();
    return false;
  }
  out = Value::integer(it->next);
  if (--it->remaining > 0) it->next += it->step;  // the last step could overflow
  return true;
}

bool range_iter_next(Object* it, Value& out) { return it->type->iternext(it, out); }

static Value range_iter_next_method(const Args& a) {
  Value out;
  if (range_iter_next(a[0].obj(), out)) return out;
  return raise_value(make_exception(exc.StopIteration, {}));
}

static Value range_iter_method(const Args& a) { return range_iter(a[0]); }

static Value range_reversed(const Args& a) {
  RangeObj* r = self_range(a);
  if (!r->big && r->step != INT64_MIN) {
    int64_t last = r->len ? range_item(r, r->len - 1) : r->start;
    return Value::adopt(new RangeIterObj(range_iter_type, last, -r->step, r->len));
  }
  BigRange b = bounds(r);
  BigInt last = b.start + (b.len - BigInt(1)) * b.step;
  return Value::adopt(new LongRangeIterObj(long_range_iter_type, std::move(last), -b.step, std::move(b.len)));
}

static Value iter_self(const Args& a) { return a[0]; }

static Value range_iter_length_hint(const Args& a) {
  if (a[0].obj()->type == long_range_iter_type) return make_int(BigInt(as<LongRangeIterObj>(a[0])->remaining));
  return Value::integer(as<RangeIterObj>(a[0])->remaining);
}

static Type* make_iter_type(const char* name, bool (*next)(Object*, Value&)) {
  Type* t = new Type(name, types.object);
  t->iternext = next;
  add_method(t, "__iter__", iter_self);
  add_method(t, "__next__", range_iter_next_method);
  add_method(t, "__length_hint__", range_iter_length_hint);
  return t;
}

void init_range_type() {
  Type* t = types.range;
  add_method(t, "__new__", range_new);
  add_method(t, "__getitem__", range_getitem_method);
  add_method(t, "__len__", range_len);
  add_method(t, "__bool__", range_bool);
  add_method(t, "__contains__", range_contains);
  add_method(t, "__iter__", range_iter_method);
  add_method(t, "__reversed__", range_reversed);
  add_method(t, "__repr__", range_repr);
  add_method(t, "__eq__", range_eq);
  add_method(t, "__ne__", range_ne);
  add_method(t, "__hash__", range_hash);
  add_method(t, "index", range_index);
  add_method(t, "count", range_count);
  add_getset(t, "start", [](const Value& r) { return bound_getter(r, &RangeObj::start, &BigRange::start); });
  add_getset(t, "stop", [](const Value& r) { return bound_getter(r, &RangeObj::stop, &BigRange::stop); });
  add_getset(t, "step", [](const Value& r) { return bound_getter(r, &RangeObj::step, &BigRange::step); });
  range_iter_type = make_iter_type("range_iterator", small_range_iter_next);
  long_range_iter_type = make_iter_type("longrange_iterator", long_range_iter_next);
}

}  // namespace aio
