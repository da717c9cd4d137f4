// _collections: deque, the double-ended queue behind collections.deque (and asyncio's queues),
// with CPython's methods, reprs and error messages.
#include <algorithm>
#include <deque>
#include <string>

#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/int.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/native_iter.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

Type* deque_type = nullptr;
Type* deque_iter_type = nullptr;
Type* deque_reviter_type = nullptr;

struct DequeObj : Object {
  std::deque<Value> items;
  int64_t maxlen = -1;  // -1: unbounded
  uint64_t state = 0;   // bumped by every mutation, so iterators notice them
  explicit DequeObj(Type* t) : Object(t) {}
};

Object* alloc_deque(Type* t) {
  if (!t->is_native) return new WithDict<DequeObj>(t, t);
  return new DequeObj(t);
}

DequeObj* self_deque(const Args& a) { return as<DequeObj>(a[0]); }
bool is_deque(const Value& v) { return v.is_obj() && isinstance(v, deque_type); }

// ---- adding and removing at the ends (a bounded deque drops from the other end) ----

void push_back(DequeObj* d, Value v) {
  if (d->maxlen == 0) return;
  if (d->maxlen > 0 && int64_t(d->items.size()) == d->maxlen) d->items.pop_front();
  d->items.push_back(std::move(v));
  d->state++;
}

void push_front(DequeObj* d, Value v) {
  if (d->maxlen == 0) return;
  if (d->maxlen > 0 && int64_t(d->items.size()) == d->maxlen) d->items.pop_back();
  d->items.push_front(std::move(v));
  d->state++;
}

// Appends every item of an iterable at one end; extending a deque by itself reads a copy first.
bool extend(DequeObj* d, const Value& iterable, bool left) {
  std::vector<Value> items;
  if (iterable.is_obj() && iterable.obj() == d) {
    items.assign(d->items.begin(), d->items.end());
  } else {
    Value it = get_iter(iterable);
    if (it.is_raised()) return false;
    Value item;
    while (next_item(it, item)) (left ? push_front : push_back)(d, std::move(item));
    return !item.is_raised();
  }
  for (Value& v : items) (left ? push_front : push_back)(d, std::move(v));
  return true;
}

// ---- construction: deque(iterable=(), maxlen=None) ----

bool parse_init(const Args& a, const Value*& iterable, int64_t& maxlen) {
  if (a.npos > 3) {
    raise(exc.TypeError, "deque() takes at most 2 arguments (" + std::to_string(a.npos - 1) + " given)");
    return false;
  }
  iterable = arg_or_kw(a, 1, "iterable");
  const Value* ml = arg_or_kw(a, 2, "maxlen");
  maxlen = -1;
  if (!ml || ml->is_none()) return true;
  if (!isinstance(*ml, types.int_)) {
    raise(exc.TypeError, "an integer is required");
    return false;
  }
  if (!index_of(*ml, maxlen)) return false;
  if (maxlen >= 0) return true;
  raise(exc.ValueError, "maxlen must be non-negative");
  return false;
}

Value deque_init(const Args& a) {
  const Value* iterable;
  int64_t maxlen;
  if (!parse_init(a, iterable, maxlen)) return Value::raised();
  DequeObj* d = self_deque(a);
  d->maxlen = maxlen;
  if (!d->items.empty()) {
    d->items.clear();
    d->state++;
  }
  if (iterable && !extend(d, *iterable, false)) return Value::raised();
  return Value();
}

// Native types get no __init__ call, so deque() fills itself here; a subclass's __init__ does it.
Value deque_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  Value d = Value::adopt(alloc_deque(cls));
  if (!cls->is_native) return d;
  std::vector<Value> pos(a.pos, a.pos + a.npos);
  pos[0] = d;
  Args b = a;
  b.pos = pos.data();
  return deque_init(b).is_raised() ? Value::raised() : d;
}

// A deque with d's maxlen holding `items`, of d's own type.
Value deque_like(DequeObj* d, std::deque<Value> items) {
  Value v = Value::adopt(alloc_deque(d->type));
  auto* out = as<DequeObj>(v);
  out->maxlen = d->maxlen;
  for (Value& x : items) push_back(out, std::move(x));
  return v;
}

// ---- methods ----

Value deque_append(const Args& a) {
  if (!check_args(a, "append", 2, 2)) return Value::raised();
  push_back(self_deque(a), a[1]);
  return Value();
}

Value deque_appendleft(const Args& a) {
  if (!check_args(a, "appendleft", 2, 2)) return Value::raised();
  push_front(self_deque(a), a[1]);
  return Value();
}

Value deque_pop(const Args& a) {
  if (!check_args(a, "pop", 1, 1)) return Value::raised();
  DequeObj* d = self_deque(a);
  if (d->items.empty()) return raise(exc.IndexError, "pop from an empty deque");
  Value v = std::move(d->items.back());
  d->items.pop_back();
  d->state++;
  return v;
}

Value deque_popleft(const Args& a) {
  if (!check_args(a, "popleft", 1, 1)) return Value::raised();
  DequeObj* d = self_deque(a);
  if (d->items.empty()) return raise(exc.IndexError, "pop from an empty deque");
  Value v = std::move(d->items.front());
  d->items.pop_front();
  d->state++;
  return v;
}

Value deque_extend(const Args& a) {
  if (!check_args(a, "extend", 2, 2)) return Value::raised();
  return extend(self_deque(a), a[1], false) ? Value() : Value::raised();
}

Value deque_extendleft(const Args& a) {
  if (!check_args(a, "extendleft", 2, 2)) return Value::raised();
  return extend(self_deque(a), a[1], true) ? Value() : Value::raised();
}

Value deque_clear(const Args& a) {
  DequeObj* d = self_deque(a);
  d->items.clear();
  d->state++;
  return Value();
}

Value deque_copy(const Args& a) {
  DequeObj* d = self_deque(a);
  return deque_like(d, d->items);
}

Value deque_rotate(const Args& a) {
  if (!check_args(a, "rotate", 1, 2)) return Value::raised();
  int64_t n = 1;
  if (a.npos == 2 && !index_of(a[1], n)) return Value::raised();
  DequeObj* d = self_deque(a);
  int64_t len = int64_t(d->items.size());
  if (len <= 1) return Value();
  n %= len;
  if (n < 0) n += len;
  std::rotate(d->items.begin(), d->items.end() - n, d->items.end());
  d->state++;
  return Value();
}

Value deque_reverse(const Args& a) {
  DequeObj* d = self_deque(a);
  std::reverse(d->items.begin(), d->items.end());
  d->state++;
  return Value();
}

// x == item for each item, stopping at a match; RuntimeError when a comparison mutates the deque.
int64_t find(DequeObj* d, const Value& x, int64_t start, int64_t stop) {
  uint64_t state = d->state;
  for (int64_t i = start; i < stop && i < int64_t(d->items.size()); i++) {
    Value item = d->items[size_t(i)];
    int eq = equals(item, x);
    if (eq < 0) return -2;
    if (d->state != state) {
      raise(exc.RuntimeError, "deque mutated during iteration");
      return -2;
    }
    if (eq) return i;
  }
  return -1;
}

Value deque_count(const Args& a) {
  if (!check_args(a, "count", 2, 2)) return Value::raised();
  DequeObj* d = self_deque(a);
  uint64_t state = d->state;
  int64_t n = 0;
  for (size_t i = 0; i < d->items.size(); i++) {
    Value item = d->items[i];
    int eq = equals(item, a[1]);
    if (eq < 0) return Value::raised();
    if (d->state != state) return raise(exc.RuntimeError, "deque mutated during iteration");
    n += eq;
  }
  return Value::integer(n);
}

Value not_in_deque(const Value& x) {
  std::string r;
  if (!repr_string(x, r)) return Value::raised();
  return raise(exc.ValueError, r + " is not in deque");
}

// A start/stop argument of index(), clamped as slice bounds are.
bool clamp_index(const Value& v, int64_t len, int64_t& out) {
  if (!index_of(v, out)) return false;
  if (out < 0) out = std::max<int64_t>(out + len, 0);
  out = std::min(out, len);
  return true;
}

Value deque_index(const Args& a) {
  if (!check_args(a, "index", 2, 4)) return Value::raised();
  DequeObj* d = self_deque(a);
  int64_t len = int64_t(d->items.size()), start = 0, stop = len;
  if (a.npos > 2 && !clamp_index(a[2], len, start)) return Value::raised();
  if (a.npos > 3 && !clamp_index(a[3], len, stop)) return Value::raised();
  int64_t i = find(d, a[1], start, stop);
  if (i == -2) return Value::raised();
  return i < 0 ? not_in_deque(a[1]) : Value::integer(i);
}

Value deque_remove(const Args& a) {
  if (!check_args(a, "remove", 2, 2)) return Value::raised();
  DequeObj* d = self_deque(a);
  int64_t i = find(d, a[1], 0, int64_t(d->items.size()));
  if (i == -2) return Value::raised();
  if (i < 0) return not_in_deque(a[1]);
  d->items.erase(d->items.begin() + i);
  d->state++;
  return Value();
}

Value deque_insert(const Args& a) {
  if (!check_args(a, "insert", 3, 3)) return Value::raised();
  DequeObj* d = self_deque(a);
  int64_t i, len = int64_t(d->items.size());
  if (d->maxlen >= 0 && len >= d->maxlen) return raise(exc.IndexError, "deque already at its maximum size");
  if (!clamp_index(a[1], len, i)) return Value::raised();
  d->items.insert(d->items.begin() + i, a[2]);
  d->state++;
  return Value();
}

Value deque_maxlen(const Value& self) {
  int64_t m = as<DequeObj>(self)->maxlen;
  return m < 0 ? Value() : Value::integer(m);
}

// ---- the sequence protocol ----

Value deque_len(const Args& a) { return Value::integer(int64_t(self_deque(a)->items.size())); }

Value deque_bool(const Args& a) { return Value::boolean(!self_deque(a)->items.empty()); }

// The position a subscript names; false after raising TypeError or IndexError.
bool item_index(DequeObj* d, const Value& key, int64_t& i) {
  if (!isinstance(key, types.int_) && !type_lookup(type_of(key), intern("__index__"))) {
    raise(exc.TypeError, "sequence index must be integer, not '" + type_name(key) + "'");
    return false;
  }
  if (!index_of(key, i)) return false;
  if (normalize_index(i, d->items.size())) return true;
  raise(exc.IndexError, "deque index out of range");
  return false;
}

Value deque_getitem(const Args& a) {
  DequeObj* d = self_deque(a);
  int64_t i;
  if (!item_index(d, a[1], i)) return Value::raised();
  return d->items[size_t(i)];
}

Value deque_setitem(const Args& a) {
  DequeObj* d = self_deque(a);
  int64_t i;
  if (!item_index(d, a[1], i)) return Value::raised();
  d->items[size_t(i)] = a[2];
  return Value();
}

Value deque_delitem(const Args& a) {
  DequeObj* d = self_deque(a);
  int64_t i;
  if (!item_index(d, a[1], i)) return Value::raised();
  d->items.erase(d->items.begin() + i);
  d->state++;
  return Value();
}

Value deque_contains(const Args& a) {
  DequeObj* d = self_deque(a);
  int64_t i = find(d, a[1], 0, int64_t(d->items.size()));
  return i == -2 ? Value::raised() : Value::boolean(i >= 0);
}

Value deque_repr(const Args& a) {
  DequeObj* d = self_deque(a);
  if (!repr_enter(d)) return new_str("[...]");
  std::string out = type_of(a[0])->name + "([";
  bool ok = join_reprs(std::vector<Value>(d->items.begin(), d->items.end()), out);
  repr_leave(d);
  if (!ok) return Value::raised();
  out += "]";
  if (d->maxlen >= 0) out += ", maxlen=" + std::to_string(d->maxlen);
  return new_str(out + ")");
}

template <CmpOp op>
Value deque_cmp(const Args& a) {
  if (!is_deque(a[1])) return not_implemented();
  auto& x = self_deque(a)->items;
  auto& y = as<DequeObj>(a[1])->items;
  return seq_compare(std::vector<Value>(x.begin(), x.end()), std::vector<Value>(y.begin(), y.end()), op);
}

Value deque_add(const Args& a) {
  if (!is_deque(a[1]))
    return raise(exc.TypeError, "can only concatenate deque (not \"" + type_name(a[1]) + "\") to deque");
  DequeObj* d = self_deque(a);
  std::deque<Value> items = d->items;
  auto& more = as<DequeObj>(a[1])->items;
  items.insert(items.end(), more.begin(), more.end());
  return deque_like(d, std::move(items));
}

Value deque_iadd(const Args& a) {
  if (!extend(self_deque(a), a[1], false)) return Value::raised();
  return a[0];
}

// d * n into `out`; false: raised or not an int (then `out` is untouched and NotImplemented is due).
bool repeat_into(DequeObj* d, const Value& n, DequeObj* out, bool& declined) {
  declined = !isinstance(n, types.int_) && !type_lookup(type_of(n), intern("__index__"));
  int64_t times;
  if (declined || !index_of(n, times)) return false;
  std::deque<Value> once = d->items;
  for (int64_t k = 0; k < times; k++)
    for (const Value& v : once) push_back(out, v);
  return true;
}

Value deque_mul(const Args& a) {
  DequeObj* d = self_deque(a);
  Value v = deque_like(d, {});
  bool declined;
  if (!repeat_into(d, a[1], as<DequeObj>(v), declined)) return declined ? not_implemented() : Value::raised();
  return v;
}

Value deque_imul(const Args& a) {
  DequeObj* d = self_deque(a);
  Value v = deque_like(d, {});
  bool declined;
  if (!repeat_into(d, a[1], as<DequeObj>(v), declined)) return declined ? not_implemented() : Value::raised();
  d->items = std::move(as<DequeObj>(v)->items);
  d->state++;
  return a[0];
}

// ---- iterators (forward and reversed): fail once the deque changes under them ----

struct DequeIterObj : Object {
  Value deque;
  size_t done = 0;  // items produced so far
  uint64_t state;
  DequeIterObj(Type* t, Value d) : Object(t), deque(std::move(d)), state(as<DequeObj>(deque)->state) {}
};

Value deque_iter(const Args& a) { return Value::adopt(new DequeIterObj(deque_iter_type, a[0])); }
Value deque_reversed(const Args& a) { return Value::adopt(new DequeIterObj(deque_reviter_type, a[0])); }

Value deque_iter_step(const Args& a, bool reversed) {
  auto* it = as<DequeIterObj>(a[0]);
  auto* d = as<DequeObj>(it->deque);
  if (d->state != it->state) {
    it->done = SIZE_MAX;
    return raise(exc.RuntimeError, "deque mutated during iteration");
  }
  if (it->done >= d->items.size()) return stop_iteration();
  size_t i = it->done++;
  return d->items[reversed ? d->items.size() - 1 - i : i];
}

Value deque_iter_next(const Args& a) { return deque_iter_step(a, false); }
Value deque_reviter_next(const Args& a) { return deque_iter_step(a, true); }

Value no_new(const Args& a) { return raise(exc.TypeError, "cannot create '" + as<Type>(a[0])->name + "' instances"); }

void make_deque_type() {
  Type* t = deque_type = new Type("deque", types.object);
  t->module = "collections";
  t->alloc = alloc_deque;
  struct Entry { const char* name; NativeFn fn; };
  static const Entry methods[] = {
      {"__new__", deque_new},          {"__init__", deque_init},       {"append", deque_append},
      {"appendleft", deque_appendleft}, {"pop", deque_pop},            {"popleft", deque_popleft},
      {"extend", deque_extend},        {"extendleft", deque_extendleft}, {"clear", deque_clear},
      {"copy", deque_copy},            {"__copy__", deque_copy},       {"rotate", deque_rotate},
      {"reverse", deque_reverse},      {"count", deque_count},         {"index", deque_index},
      {"remove", deque_remove},        {"insert", deque_insert},       {"__len__", deque_len},
      {"__bool__", deque_bool},        {"__getitem__", deque_getitem}, {"__setitem__", deque_setitem},
      {"__delitem__", deque_delitem},  {"__contains__", deque_contains}, {"__iter__", deque_iter},
      {"__reversed__", deque_reversed}, {"__repr__", deque_repr},      {"__add__", deque_add},
      {"__iadd__", deque_iadd},        {"__mul__", deque_mul},         {"__rmul__", deque_mul},
      {"__imul__", deque_imul},        {"__eq__", deque_cmp<CmpOp::Eq>}, {"__ne__", deque_cmp<CmpOp::NotEq>},
      {"__lt__", deque_cmp<CmpOp::Lt>}, {"__le__", deque_cmp<CmpOp::LtE>}, {"__gt__", deque_cmp<CmpOp::Gt>},
      {"__ge__", deque_cmp<CmpOp::GtE>},
  };
  for (const Entry& m : methods) add_method(t, m.name, m.fn);
  add_attr(t, "__hash__", Value());
  add_getset(t, "maxlen", deque_maxlen);
  deque_iter_type = new_iter_type("_deque_iterator", no_new, deque_iter_next, "collections");
  deque_reviter_type = new_iter_type("_deque_reverse_iterator", no_new, deque_reviter_next, "collections");
}

}  // namespace

void init_collections_native(const Value& module) {
  if (!deque_type) make_deque_type();
  dict_set_str(module_dict(module), intern("deque"), Value::borrow(deque_type));
}

}  // namespace aio
