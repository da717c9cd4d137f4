// range objects and their iterator.
#include "interp/range.h"

#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/slice.h"
#include "interp/tuple.h"

namespace aio {

using Wide = __int128;  // intermediate arithmetic that must not overflow

static int64_t range_length(int64_t start, int64_t stop, int64_t step) {
  Wide lo = start, hi = stop, st = step;
  if (st < 0) {
    std::swap(lo, hi);
    st = -st;
  }
  return hi > lo ? static_cast<int64_t>((hi - lo - 1) / st + 1) : 0;
}

RangeObj::RangeObj(int64_t a, int64_t b, int64_t c)
    : Object(types.range), start(a), stop(b), step(c), len(range_length(a, b, c)) {}

Value new_range(int64_t start, int64_t stop, int64_t step) { return Value::adopt(new RangeObj(start, stop, step)); }

static RangeObj* self_range(const Args& a) { return as<RangeObj>(a[0]); }

static Value range_new(const Args& a) {
  if (!no_kwargs(a, "range")) return Value::raised();
  if (a.npos < 2 || a.npos > 4) {
    if (a.npos < 2) return raise(exc.TypeError, "range expected at least 1 argument, got 0");
    return raise(exc.TypeError, "range expected at most 3 arguments, got " + std::to_string(a.npos - 1));
  }
  int64_t v[3] = {0, 0, 1};
  for (size_t i = 1; i < a.npos; i++) {
    const Value& arg = a[i];
    if (!arg.is_int() && !arg.is_bool() && !type_lookup(type_of(arg), intern("__index__")))
      return raise(exc.TypeError, "'" + type_name(arg) + "' object cannot be interpreted as an integer");
    if (!index_of(arg, v[a.npos == 2 ? 1 : i - 1])) return Value::raised();
  }
  if (v[2] == 0) return raise(exc.ValueError, "range() arg 3 must not be zero");
  return new_range(v[0], v[1], v[2]);
}

Value range_getitem(RangeObj* r, const Value& key) {
  int64_t i;
  int kind = subscript_kind(key, i, "range");
  if (kind < 0) return Value::raised();
  if (kind == 1) {
    if (!normalize_index(i, static_cast<size_t>(r->len))) return raise(exc.IndexError, "range object index out of range");
    return Value::integer(range_item(r, i));
  }
  SliceBounds b;
  if (!slice_bounds(key, static_cast<size_t>(r->len), b)) return Value::raised();
  Wide start = r->start + Wide(b.start) * r->step, step = Wide(r->step) * b.step;
  Wide stop = start + Wide(b.count) * step;
  return new_range(static_cast<int64_t>(start), static_cast<int64_t>(stop), static_cast<int64_t>(step));
}

static Value range_getitem_method(const Args& a) {
  if (!check_args(a, "__getitem__", 2, 2)) return Value::raised();
  return range_getitem(self_range(a), a[1]);
}

static Value range_len(const Args& a) { return Value::integer(self_range(a)->len); }

static Value range_bool(const Args& a) { return Value::boolean(self_range(a)->len != 0); }

// Position of int x in r, or -1.
static int64_t int_position(const RangeObj* r, int64_t x) {
  Wide off = Wide(x) - r->start;
  if (off % r->step != 0) return -1;
  Wide i = off / r->step;
  return i >= 0 && i < r->len ? static_cast<int64_t>(i) : -1;
}

// Position of any x in r by ==: -1 absent, -2 raised.
static int64_t position(RangeObj* r, const Value& x) {
  if (x.is_int() || x.is_bool()) return int_position(r, x.as_int());
  for (int64_t i = 0; i < r->len; i++) {
    int eq = equals(Value::integer(range_item(r, i)), x);
    if (eq) return eq < 0 ? -2 : i;
  }
  return -1;
}

static Value range_contains(const Args& a) {
  int64_t i = position(self_range(a), a[1]);
  return i == -2 ? Value::raised() : Value::boolean(i >= 0);
}

static Value range_index(const Args& a) {
  if (!check_args(a, "index", 2, 2)) return Value::raised();
  int64_t i = position(self_range(a), a[1]);
  if (i == -2) return Value::raised();
  if (i >= 0) return Value::integer(i);
  std::string r;
  if (!repr_string(a[1], r)) return Value::raised();
  return raise(exc.ValueError, r + " is not in range");
}

static Value range_count(const Args& a) {
  if (!check_args(a, "count", 2, 2)) return Value::raised();
  RangeObj* r = self_range(a);
  if (a[1].is_int() || a[1].is_bool()) return Value::integer(int_position(r, a[1].as_int()) >= 0);
  int64_t n = 0;
  for (int64_t i = 0; i < r->len; i++) {
    int eq = equals(Value::integer(range_item(r, i)), a[1]);
    if (eq < 0) return Value::raised();
    n += eq;
  }
  return Value::integer(n);
}

static Value range_repr(const Args& a) {
  RangeObj* r = self_range(a);
  std::string out = "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
  if (r->step != 1) out += ", " + std::to_string(r->step);
  return new_str(out + ")");
}

// Ranges are equal when they hold the same sequence, whatever their bounds.
static bool same_sequence(const RangeObj* x, const RangeObj* y) {
  if (x->len != y->len) return false;
  if (x->len == 0) return true;
  if (x->start != y->start) return false;
  return x->len == 1 || x->step == y->step;
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
  RangeObj* r = self_range(a);
  Value start = r->len ? Value::integer(r->start) : Value();
  Value step = r->len > 1 ? Value::integer(r->step) : Value();
  Value key = new_tuple({Value::integer(r->len), start, step});
  int64_t h;
  if (!tuple_hash(as<TupleObj>(key), h)) return Value::raised();
  return Value::integer(h);
}

// ---- iteration ----

struct RangeIterObj : Object {
  int64_t next, step, remaining;
  RangeIterObj(Type* t, int64_t n, int64_t s, int64_t r) : Object(t), next(n), step(s), remaining(r) {}
};

static Type* range_iter_type;

Value range_iter(const Value& range) {
  auto* r = as<RangeObj>(range);
  return Value::adopt(new RangeIterObj(range_iter_type, r->start, r->step, r->len));
}

bool is_range_iter(const Value& v) { return is_exact(v, range_iter_type); }

bool range_iter_next(Object* o, Value& out) {
  auto* it = static_cast<RangeIterObj*>(o);
  if (it->remaining <= 0) {
    out = Value();
    return false;
  }
  out = Value::integer(it->next);
  if (--it->remaining > 0) it->next += it->step;  // the last step could overflow
  return true;
}

static Value range_iter_next_method(const Args& a) {
  Value out;
  if (range_iter_next(a[0].obj(), out)) return out;
  return raise_value(make_exception(exc.StopIteration, {}));
}

static Value range_iter_method(const Args& a) { return range_iter(a[0]); }

static Value range_reversed(const Args& a) {
  RangeObj* r = self_range(a);
  int64_t last = r->len ? range_item(r, r->len - 1) : r->start;
  return Value::adopt(new RangeIterObj(range_iter_type, last, -r->step, r->len));
}

static Value iter_self(const Args& a) { return a[0]; }

static Value range_iter_length_hint(const Args& a) {
  return Value::integer(static_cast<RangeIterObj*>(a[0].obj())->remaining);
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
  add_getset(t, "start", [](const Value& r) { return Value::integer(as<RangeObj>(r)->start); });
  add_getset(t, "stop", [](const Value& r) { return Value::integer(as<RangeObj>(r)->stop); });
  add_getset(t, "step", [](const Value& r) { return Value::integer(as<RangeObj>(r)->step); });
  range_iter_type = new Type("range_iterator", types.object);
  range_iter_type->iternext = range_iter_next;
  add_method(range_iter_type, "__iter__", iter_self);
  add_method(range_iter_type, "__next__", range_iter_next_method);
  add_method(range_iter_type, "__length_hint__", range_iter_length_hint);
}

}  // namespace aio
