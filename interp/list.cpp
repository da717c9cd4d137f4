// list: a growable array of values, with CPython's slice assignment and a stable sort.
#include "interp/tuple.h"

#include <algorithm>

#include "interp/exception.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/subclass.h"

namespace aio {

using namespace std::literals;

ListObj::ListObj(std::vector<Value>&& v) : Object(types.list), items(std::move(v)) {}

Value new_list(std::vector<Value>&& items) { return Value::adopt(new ListObj(std::move(items))); }

void list_append(ListObj* l, Value v) { l->items.push_back(std::move(v)); }

static ListObj* self_list(const Args& a) { return as<ListObj>(a[0]); }
static int64_t ssize(const std::vector<Value>& v) { return static_cast<int64_t>(v.size()); }

// ---- indexing ----

Value list_getitem(ListObj* l, const Value& key) {
  int64_t i;
  int kind = subscript_kind(key, i, "list");
  if (kind < 0) return Value::raised();
  if (kind == 1) {
    if (!normalize_index(i, l->items.size())) return raise(exc.IndexError, "list index out of range");
    return l->items[static_cast<size_t>(i)];
  }
  SliceBounds b;
  if (!slice_bounds(key, l->items.size(), b)) return Value::raised();
  return new_list(slice_items(l->items, b));
}

// l[b] = values for a resolved slice; values already collected (so `a[:] = a` is safe).
static bool assign_slice(ListObj* l, const SliceBounds& b, std::vector<Value>&& values) {
  auto& items = l->items;
  if (b.step == 1) {
    int64_t stop = std::max(b.stop, b.start);
    std::vector<Value> old(std::make_move_iterator(items.begin() + b.start),
                           std::make_move_iterator(items.begin() + stop));
    items.erase(items.begin() + b.start, items.begin() + stop);
    items.insert(items.begin() + b.start, std::make_move_iterator(values.begin()),
                 std::make_move_iterator(values.end()));
    return true;  // `old` dies here, after the list is whole again
  }
  if (ssize(values) != b.count) {
    raise(exc.ValueError, "attempt to assign sequence of size " + std::to_string(values.size()) +
                              " to extended slice of size " + std::to_string(b.count));
    return false;
  }
  for (int64_t k = 0, i = b.start; k < b.count; k++, i += b.step)
    std::swap(items[static_cast<size_t>(i)], values[static_cast<size_t>(k)]);
  return true;
}

bool list_setitem(ListObj* l, const Value& key, Value v) {
  int64_t i;
  int kind = subscript_kind(key, i, "list");
  if (kind < 0) return false;
  if (kind == 1) {
    if (!normalize_index(i, l->items.size())) {
      raise(exc.IndexError, "list assignment index out of range");
      return false;
    }
    std::swap(l->items[static_cast<size_t>(i)], v);  // the old item dies after the store
    return true;
  }
  std::vector<Value> values;
  if (!collect(v, values)) {
    if (exception_matches(exc.TypeError)) {
      take_exception();
      raise(exc.TypeError, "must assign iterable to extended slice");
    }
    return false;
  }
  SliceBounds b;
  if (!slice_bounds(key, l->items.size(), b)) return false;
  return assign_slice(l, b, std::move(values));
}

static bool list_delitem(ListObj* l, const Value& key) {
  int64_t i;
  int kind = subscript_kind(key, i, "list");
  if (kind < 0) return false;
  auto& items = l->items;
  std::vector<Value> removed;  // destroyed last: a __del__ must see a consistent list
  if (kind == 1) {
    if (!normalize_index(i, items.size())) {
      raise(exc.IndexError, "list assignment index out of range");
      return false;
    }
    removed.push_back(std::move(items[static_cast<size_t>(i)]));
    items.erase(items.begin() + i);
    return true;
  }
  SliceBounds b;
  if (!slice_bounds(key, items.size(), b)) return false;
  if (b.count == 0) return true;
  int64_t step = b.step, first = b.start;
  if (step < 0) {  // walk the same items upwards
    first = b.start + (b.count - 1) * step;
    step = -step;
  }
  std::vector<Value> kept;
  kept.reserve(items.size() - static_cast<size_t>(b.count));
  for (int64_t j = 0; j < ssize(items); j++) {
    bool hit = j >= first && (j - first) % step == 0 && (j - first) / step < b.count;
    (hit ? removed : kept).push_back(std::move(items[static_cast<size_t>(j)]));
  }
  items.swap(kept);
  return true;
}

static Value list_getitem_method(const Args& a) {
  if (!check_args(a, "__getitem__", 2, 2)) return Value::raised();
  return list_getitem(self_list(a), a[1]);
}

static Value list_setitem_method(const Args& a) {
  if (!check_args(a, "__setitem__", 3, 3)) return Value::raised();
  return list_setitem(self_list(a), a[1], a[2]) ? Value() : Value::raised();
}

static Value list_delitem_method(const Args& a) {
  if (!check_args(a, "__delitem__", 2, 2)) return Value::raised();
  return list_delitem(self_list(a), a[1]) ? Value() : Value::raised();
}

// ---- searching ----

// First position >= start and < stop holding x; -2 raised, -1 absent.
static int64_t list_find(ListObj* l, const Value& x, int64_t start, int64_t stop) {
  for (int64_t i = start; i < stop && i < ssize(l->items); i++) {
    Value item = l->items[static_cast<size_t>(i)];  // held: __eq__ may shrink the list
    if (item.is(x)) return i;
    int eq = equals(item, x);
    if (eq < 0) return -2;
    if (eq) return i;
  }
  return -1;
}

static Value list_contains(const Args& a) {
  int64_t i = list_find(self_list(a), a[1], 0, INT64_MAX);
  return i == -2 ? Value::raised() : Value::boolean(i >= 0);
}

static Value list_index(const Args& a) {
  if (!check_args(a, "index", 2, 4)) return Value::raised();
  int64_t start, stop;
  if (!search_bounds(a, self_list(a)->items.size(), start, stop)) return Value::raised();
  int64_t i = list_find(self_list(a), a[1], start, stop);
  if (i == -2) return Value::raised();
  if (i >= 0) return Value::integer(i);
  std::string r;
  if (!repr_string(a[1], r)) return Value::raised();
  return raise(exc.ValueError, r + " is not in list");
}

static Value list_count(const Args& a) {
  if (!check_args(a, "count", 2, 2)) return Value::raised();
  int64_t n = 0;
  for (int64_t i = 0; (i = list_find(self_list(a), a[1], i, INT64_MAX)) >= 0; i++) n++;
  return Value::integer(n);
}

// ---- mutation ----

static Value list_append_method(const Args& a) {
  if (!check_args(a, "append", 2, 2)) return Value::raised();
  list_append(self_list(a), a[1]);
  return Value();
}

static Value list_extend(const Args& a) {
  if (!check_args(a, "extend", 2, 2)) return Value::raised();
  std::vector<Value> more;
  if (!collect(a[1], more)) return Value::raised();
  auto& items = self_list(a)->items;
  items.insert(items.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  return Value();
}

static Value list_insert(const Args& a) {
  if (!check_args(a, "insert", 3, 3)) return Value::raised();
  int64_t i;
  if (!index_of(a[1], i)) return Value::raised();
  auto& items = self_list(a)->items;
  int64_t n = ssize(items);
  if (i < 0) i = std::max<int64_t>(i + n, 0);
  items.insert(items.begin() + std::min(i, n), a[2]);
  return Value();
}

static Value list_pop(const Args& a) {
  if (!check_args(a, "pop", 1, 2)) return Value::raised();
  auto& items = self_list(a)->items;
  int64_t i = -1;
  if (a.npos == 2 && !index_of(a[1], i)) return Value::raised();
  if (items.empty()) return raise(exc.IndexError, "pop from empty list");
  if (!normalize_index(i, items.size())) return raise(exc.IndexError, "pop index out of range");
  Value out = std::move(items[static_cast<size_t>(i)]);
  items.erase(items.begin() + i);
  return out;
}

static Value list_remove(const Args& a) {
  if (!check_args(a, "remove", 2, 2)) return Value::raised();
  ListObj* l = self_list(a);
  int64_t i = list_find(l, a[1], 0, INT64_MAX);
  if (i == -2) return Value::raised();
  if (i < 0) return raise(exc.ValueError, "list.remove(x): x not in list");
  Value removed = std::move(l->items[static_cast<size_t>(i)]);
  l->items.erase(l->items.begin() + i);
  return Value();
}

static Value list_clear(const Args& a) {
  std::vector<Value> old;
  old.swap(self_list(a)->items);
  return Value();
}

static Value list_copy(const Args& a) { return new_list(std::vector<Value>(self_list(a)->items)); }

static Value list_reverse(const Args& a) {
  auto& items = self_list(a)->items;
  std::reverse(items.begin(), items.end());
  return Value();
}

// ---- sorting ----

// Stable bottom-up merge sort of positions by keys; false when a comparison raised.
// Sorting positions (not values) leaves the list whole whatever a user __lt__ does.
static bool merge_sort(std::vector<size_t>& order, const std::vector<Value>& keys) {
  size_t n = order.size();
  std::vector<size_t> buf(n);
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        int lt = compare_bool(CmpOp::Lt, keys[order[j]], keys[order[i]]);
        if (lt < 0) return false;
        buf[k++] = lt ? order[j++] : order[i++];
      }
      while (i < mid) buf[k++] = order[i++];
      while (j < hi) buf[k++] = order[j++];
    }
    order.swap(buf);
  }
  return true;
}

static bool all_small_ints(const std::vector<Value>& keys) {
  return std::all_of(keys.begin(), keys.end(), [](const Value& k) { return k.is_int(); });
}

static Value list_sort(const Args& a) {
  if (a.npos > 1) return raise(exc.TypeError, "sort() takes no positional arguments");
  const Value* key = arg_or_kw(a, SIZE_MAX, "key");
  const Value* rev = arg_or_kw(a, SIZE_MAX, "reverse");
  int reverse = rev ? truthy(*rev) : 0;
  if (reverse < 0) return Value::raised();
  ListObj* l = self_list(a);
  std::vector<Value> items;
  items.swap(l->items);  // empty while sorting, so mutation from a key or __lt__ is detectable
  if (reverse) std::reverse(items.begin(), items.end());
  std::vector<Value> keys;
  bool ok = true;
  if (key && !key->is_none()) {
    keys.reserve(items.size());
    for (const Value& item : items) {
      Value k = call(*key, {item});
      if (k.is_raised()) { ok = false; break; }
      keys.push_back(std::move(k));
    }
  } else {
    keys = items;
  }
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  if (ok && all_small_ints(keys))
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t x, size_t y) { return keys[x].as_int() < keys[y].as_int(); });
  else if (ok)
    ok = merge_sort(order, keys);
  if (ok) {
    std::vector<Value> sorted;
    sorted.reserve(items.size());
    for (size_t i : order) sorted.push_back(std::move(items[i]));
    items.swap(sorted);
    if (reverse) std::reverse(items.begin(), items.end());
  } else if (reverse) {
    std::reverse(items.begin(), items.end());
  }
  bool mutated = !l->items.empty();
  std::vector<Value> intruders;
  intruders.swap(l->items);
  l->items.swap(items);
  if (!ok) return Value::raised();
  if (mutated) return raise(exc.ValueError, "list modified during sort");
  return Value();
}

// ---- operators ----

static Value list_add(const Args& a) {
  if (!isinstance(a[1], types.list))
    return raise(exc.TypeError, "can only concatenate list (not \"" + type_name(a[1]) + "\") to list");
  std::vector<Value> items = self_list(a)->items;
  const auto& more = list_items(a[1]);
  items.insert(items.end(), more.begin(), more.end());
  return new_list(std::move(items));
}

static Value list_iadd(const Args& a) {
  Value r = list_extend(a);
  if (r.is_raised()) return r;
  return a[0];
}

static bool is_index_like(const Value& v) {
  return is_intlike(v) || type_lookup(type_of(v), intern("__index__")) != nullptr;
}

static Value list_mul(const Args& a) {
  if (!is_index_like(a[1])) return not_implemented();
  std::vector<Value> out;
  if (!repeat_items(self_list(a)->items, a[1], out)) return Value::raised();
  return new_list(std::move(out));
}

static Value list_imul(const Args& a) {
  if (!is_index_like(a[1])) return not_implemented();
  std::vector<Value> out;
  if (!repeat_items(self_list(a)->items, a[1], out)) return Value::raised();
  self_list(a)->items.swap(out);
  return a[0];
}

template <CmpOp op>
static Value list_cmp(const Args& a) {
  if (!isinstance(a[1], types.list)) return not_implemented();
  return seq_compare(self_list(a)->items, list_items(a[1]), op);
}

static Value list_len(const Args& a) { return Value::integer(ssize(self_list(a)->items)); }

Value list_repr(ListObj* l) {
  if (l->items.empty()) return new_str("[]"sv);
  if (!repr_enter(l)) return new_str("[...]"sv);
  std::string out = "[";
  bool ok = join_reprs(l->items, out);
  repr_leave(l);
  if (!ok) return Value::raised();
  return new_str(out + "]");
}

static Value list_repr_method(const Args& a) { return list_repr(self_list(a)); }

// list(iterable) and list.__init__ take one optional argument (after the class or self).
static bool list_args_ok(const Args& a) {
  if (!no_kwargs(a, "list")) return false;
  if (a.npos <= 2) return true;
  raise(exc.TypeError, "list expected at most 1 argument, got " + std::to_string(a.npos - 1));
  return false;
}

// A subclass instance starts empty: list.__init__ fills it, as in CPython.
static Value list_new(const Args& a) {
  if (!list_args_ok(a)) return Value::raised();
  Type* cls = as<Type>(a[0]);
  if (!cls->is_native) return Value::adopt(new WithDict<ListObj>(cls, std::vector<Value>{}));
  std::vector<Value> items;
  if (a.npos == 2 && !collect(a[1], items)) return Value::raised();
  return Value::adopt(with_type(new ListObj(std::move(items)), cls));
}

static Value list_init(const Args& a) {
  if (!list_args_ok(a)) return Value::raised();
  std::vector<Value> items;
  if (a.npos == 2 && !collect(a[1], items)) return Value::raised();
  self_list(a)->items = std::move(items);
  return Value();
}

static Value list_iter_method(const Args& a) { return list_iter(a[0]); }

// ---- reversed(list) ----

struct ListRevIterObj : Object {
  Value list;
  int64_t pos;  // next index to yield; -1 once exhausted
  ListRevIterObj(Type* t, Value l) : Object(t), list(std::move(l)), pos(ssize(list_items(list)) - 1) {}
};

static Type* list_reviter_type;

static Value list_reversed(const Args& a) { return Value::adopt(new ListRevIterObj(list_reviter_type, a[0])); }

static Value list_reviter_next(const Args& a) {
  auto* it = static_cast<ListRevIterObj*>(a[0].obj());
  const auto& items = list_items(it->list);
  if (it->pos >= 0 && it->pos < ssize(items)) return items[static_cast<size_t>(it->pos--)];
  it->pos = -1;
  return raise_value(make_exception(exc.StopIteration, {}));
}

static Value iter_self(const Args& a) { return a[0]; }

static Object* alloc_list(Type* t) {
  if (!t->is_native) return new WithDict<ListObj>(t, std::vector<Value>{});
  return with_type(new ListObj({}), t);
}

void init_list_type() {
  Type* t = types.list;
  t->alloc = alloc_list;
  add_method(t, "__new__", list_new);
  add_method(t, "__init__", list_init);
  add_method(t, "__getitem__", list_getitem_method);
  add_method(t, "__setitem__", list_setitem_method);
  add_method(t, "__delitem__", list_delitem_method);
  add_method(t, "__len__", list_len);
  add_method(t, "__contains__", list_contains);
  add_method(t, "__iter__", list_iter_method);
  add_method(t, "__reversed__", list_reversed);
  add_method(t, "__repr__", list_repr_method);
  add_method(t, "__add__", list_add);
  add_method(t, "__iadd__", list_iadd);
  add_method(t, "__mul__", list_mul);
  add_method(t, "__rmul__", list_mul);
  add_method(t, "__imul__", list_imul);
  add_method(t, "__eq__", list_cmp<CmpOp::Eq>);
  add_method(t, "__ne__", list_cmp<CmpOp::NotEq>);
  add_method(t, "__lt__", list_cmp<CmpOp::Lt>);
  add_method(t, "__le__", list_cmp<CmpOp::LtE>);
  add_method(t, "__gt__", list_cmp<CmpOp::Gt>);
  add_method(t, "__ge__", list_cmp<CmpOp::GtE>);
  add_attr(t, "__hash__", Value());
  add_method(t, "append", list_append_method);
  add_method(t, "extend", list_extend);
  add_method(t, "insert", list_insert);
  add_method(t, "pop", list_pop);
  add_method(t, "remove", list_remove);
  add_method(t, "index", list_index);
  add_method(t, "count", list_count);
  add_method(t, "clear", list_clear);
  add_method(t, "copy", list_copy);
  add_method(t, "reverse", list_reverse);
  add_method(t, "sort", list_sort);
  list_reviter_type = new Type("list_reverseiterator", types.object);
  add_method(list_reviter_type, "__iter__", iter_self);
  add_method(list_reviter_type, "__next__", list_reviter_next);
}

}  // namespace aio
