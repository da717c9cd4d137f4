// slice objects and PySlice_AdjustIndices: resolving start/stop/step against a sequence length.
#include "interp/slice.h"

#include <algorithm>
#include <limits>

#include "interp/descr.h"
#include "interp/ast.h"  // int.h names BinOpKind without including it
#include "interp/exception.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/tuple.h"

namespace aio {

SliceObj::SliceObj(Value a, Value b, Value c)
    : Object(types.slice), start(std::move(a)), stop(std::move(b)), step(std::move(c)) {}

Value new_slice(Value start, Value stop, Value step) {
  return Value::adopt(new SliceObj(std::move(start), std::move(stop), std::move(step)));
}

static constexpr int64_t kMaxIndex = std::numeric_limits<int64_t>::max();

// A slice component: None gives `dflt`; anything else must be an index.
static bool slice_component(const Value& v, int64_t dflt, int64_t& out) {
  if (v.is_none()) { out = dflt; return true; }
  if (v.is_int() || v.is_bool()) { out = v.as_int(); return true; }
  if (!type_lookup(type_of(v), intern("__index__"))) {
    raise(exc.TypeError, "slice indices must be integers or None or have an __index__ method");
    return false;
  }
  return index_of(v, out);
}

// Clamps an index into [lo, hi] after adding len to negatives.
static int64_t adjust(int64_t i, int64_t len, int64_t lo, int64_t hi) {
  if (i < 0) {
    i += len;
    return i < 0 ? lo : i;
  }
  return i >= len ? hi : i;
}

bool slice_bounds(const Value& slice, size_t len, SliceBounds& out) {
  auto* s = as<SliceObj>(slice);
  int64_t step;
  if (!slice_component(s->step, 1, step)) return false;
  if (step == 0) {
    raise(exc.ValueError, "slice step cannot be zero");
    return false;
  }
  int64_t n = static_cast<int64_t>(len);
  int64_t start, stop;
  if (step > 0) {
    if (!slice_component(s->start, 0, start) || !slice_component(s->stop, kMaxIndex, stop))
      return false;
    start = adjust(start, n, 0, n);
    stop = adjust(stop, n, 0, n);
    out.count = stop > start ? (stop - start - 1) / step + 1 : 0;
  } else {
    if (!slice_component(s->start, kMaxIndex, start) || !slice_component(s->stop, -1 - n, stop))
      return false;
    start = adjust(start, n, -1, n - 1);
    stop = adjust(stop, n, -1, n - 1);
    out.count = start > stop ? (start - stop - 1) / (-step) + 1 : 0;
  }
  out.start = start;
  out.stop = stop;
  out.step = step;
  return true;
}

static Value slice_repr(const Args& a) {
  auto* s = as<SliceObj>(a[0]);
  std::string out = "slice(";
  const Value* parts[] = {&s->start, &s->stop, &s->step};
  for (int i = 0; i < 3; i++) {
    std::string r;
    if (!repr_string(*parts[i], r)) return Value::raised();
    out += (i ? ", " : "") + r;
  }
  return new_str(out + ")");
}

static Value slice_new(const Args& a) {
  if (!no_kwargs(a, "slice") || !check_args(a, "slice", 2, 4)) return Value::raised();
  if (a.npos == 2) return new_slice(Value(), a[1], Value());
  return new_slice(a[1], a[2], a.npos == 4 ? a[3] : Value());
}

// slice.indices(len): the resolved (start, stop, step) triple.
static Value slice_indices(const Args& a) {
  if (!check_args(a, "indices", 2, 2)) return Value::raised();
  int64_t len;
  if (!index_of(a[1], len)) return Value::raised();
  if (len < 0) return raise(exc.ValueError, "length should not be negative");
  SliceBounds b;
  if (!slice_bounds(a[0], static_cast<size_t>(len), b)) return Value::raised();
  return new_tuple({Value::integer(b.start), Value::integer(b.stop), Value::integer(b.step)});
}

static Value slice_eq(const Args& a) {
  if (!is_slice(a[1])) return not_implemented();
  auto* x = as<SliceObj>(a[0]);
  auto* y = as<SliceObj>(a[1]);
  Value tx = new_tuple({x->start, x->stop, x->step});
  Value ty = new_tuple({y->start, y->stop, y->step});
  int r = equals(tx, ty);
  return r < 0 ? Value::raised() : Value::boolean(r);
}

void init_slice_type() {
  add_method(types.slice, "__new__", slice_new);
  add_method(types.slice, "__repr__", slice_repr);
  add_method(types.slice, "__eq__", slice_eq);
  add_method(types.slice, "indices", slice_indices);
  add_attr(types.slice, "__hash__", Value());
  add_getset(types.slice, "start", [](const Value& s) { return as<SliceObj>(s)->start; });
  add_getset(types.slice, "stop", [](const Value& s) { return as<SliceObj>(s)->stop; });
  add_getset(types.slice, "step", [](const Value& s) { return as<SliceObj>(s)->step; });
}

bool slice_index(const Value* v, int64_t len, int64_t fallback, int64_t& out) {
  if (!v || v->is_none()) {
    out = fallback;
    return true;
  }
  static Value index_name = intern("__index__");
  if (!is_intlike(*v) && !(v->is_obj() && type_lookup(type_of(*v), index_name))) {
    raise(exc.TypeError, "slice indices must be integers or None or have an __index__ method");
    return false;
  }
  if (!index_of(*v, out)) return false;
  if (out < 0) out = std::max<int64_t>(out + len, 0);
  return true;
}

}  // namespace aio
