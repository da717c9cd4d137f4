// tuple, plus what list and tuple share: sequence iterators, lexicographic comparison,
// subscript decoding, the repr recursion guard and collect().
#include "interp/tuple.h"

#include "interp/exception.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/subclass.h"

namespace aio {

using namespace std::literals;

TupleObj::TupleObj(std::vector<Value>&& v) : Object(types.tuple), items(std::move(v)) {}

Value new_tuple(std::vector<Value>&& items) {
  if (items.empty()) return empty_tuple();
  return Value::adopt(new TupleObj(std::move(items)));
}

Value empty_tuple() {
  static Value shared = Value::adopt(new TupleObj({}));
  return shared;
}

Object* with_type(Object* o, Type* t) {
  o->type = t;
  if (!t->is_native) incref(t);
  return o;
}

bool normalize_index(int64_t& i, size_t len) {
  if (i < 0) i += static_cast<int64_t>(len);
  return i >= 0 && i < static_cast<int64_t>(len);
}

bool collect(const Value& iterable, std::vector<Value>& out) {
  if (is_exact(iterable, types.list) || is_exact(iterable, types.tuple)) {
    const auto& src = is_exact(iterable, types.list) ? list_items(iterable) : tuple_items(iterable);
    out.insert(out.end(), src.begin(), src.end());
    return true;
  }
  Value it = get_iter(iterable);
  if (it.is_raised()) return false;
  Value item;
  while (next_item(it, item)) out.push_back(std::move(item));
  return !item.is_raised();
}

// ---- the repr recursion guard ----

static thread_local std::vector<Object*> repr_stack;

bool repr_enter(Object* o) {
  for (Object* p : repr_stack)
    if (p == o) return false;
  repr_stack.push_back(o);
  return true;
}

void repr_leave(Object* o) {
  for (size_t i = repr_stack.size(); i-- > 0;)
    if (repr_stack[i] == o) {
      repr_stack.erase(repr_stack.begin() + static_cast<ptrdiff_t>(i));
      return;
    }
}

bool join_reprs(const std::vector<Value>& items, std::string& out) {
  for (size_t i = 0; i < items.size(); i++) {  // items may shrink while a repr runs
    if (i) out += ", ";
    Value item = items[i];
    if (!repr_string(item, out)) return false;
  }
  return true;
}

// ---- shared sequence behaviour ----

Value seq_compare(const std::vector<Value>& a, const std::vector<Value>& b, CmpOp op) {
  size_t i = 0;
  for (; i < a.size() && i < b.size(); i++) {
    Value x = a[i], y = b[i];  // held: a user __eq__ may shrink either list
    int eq = equals(x, y);
    if (eq < 0) return Value::raised();
    if (!eq) break;
  }
  if (i >= a.size() || i >= b.size()) {
    size_t la = a.size(), lb = b.size();
    switch (op) {
      case CmpOp::Eq: return Value::boolean(la == lb);
      case CmpOp::NotEq: return Value::boolean(la != lb);
      case CmpOp::Lt: return Value::boolean(la < lb);
      case CmpOp::LtE: return Value::boolean(la <= lb);
      case CmpOp::Gt: return Value::boolean(la > lb);
      default: return Value::boolean(la >= lb);
    }
  }
  if (op == CmpOp::Eq) return Value::boolean(false);
  if (op == CmpOp::NotEq) return Value::boolean(true);
  Value x = a[i], y = b[i];
  return compare(op, x, y);
}

int subscript_kind(const Value& key, int64_t& i, const char* what) {
  if (key.is_int() || key.is_bool()) {
    i = key.as_int();
    return 1;
  }
  if (is_slice(key)) return 0;
  if (type_lookup(type_of(key), intern("__index__"))) return index_of(key, i) ? 1 : -1;
  raise(exc.TypeError, std::string(what) + " indices must be integers or slices, not " + type_name(key));
  return -1;
}

std::vector<Value> slice_items(const std::vector<Value>& items, const SliceBounds& b) {
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(b.count));
  for (int64_t k = 0, i = b.start; k < b.count; k++, i += b.step) out.push_back(items[static_cast<size_t>(i)]);
  return out;
}

// ---- list and tuple iterators ----

struct SeqIterObj : Object {
  Value seq;                      // keeps the items alive
  const std::vector<Value>* items;
  size_t pos = 0;
  SeqIterObj(Type* t, Value s, const std::vector<Value>* v) : Object(t), seq(std::move(s)), items(v) {}
};

static Type* list_iter_type;
static Type* tuple_iter_type;

Value list_iter(const Value& list) {
  return Value::adopt(new SeqIterObj(list_iter_type, list, &list_items(list)));
}

Value tuple_iter(const Value& tuple) {
  return Value::adopt(new SeqIterObj(tuple_iter_type, tuple, &tuple_items(tuple)));
}

bool is_seq_iter(const Value& v) { return is_exact(v, list_iter_type) || is_exact(v, tuple_iter_type); }

bool seq_iter_next(Object* o, Value& out) {
  auto* it = static_cast<SeqIterObj*>(o);
  if (it->pos < it->items->size()) {  // a list may have shrunk since the last step
    out = (*it->items)[it->pos++];
    return true;
  }
  it->pos = SIZE_MAX / 2;  // exhausted for good, even if the list grows again
  out = Value();
  return false;
}

static Value stop_iteration() { return raise_value(make_exception(exc.StopIteration, {})); }

static Value seq_iter_next_method(const Args& a) {
  Value out;
  if (seq_iter_next(a[0].obj(), out)) return out;
  return stop_iteration();
}

static Value iter_self(const Args& a) { return a[0]; }

static Value seq_iter_length_hint(const Args& a) {
  auto* it = static_cast<SeqIterObj*>(a[0].obj());
  size_t n = it->items->size();
  return Value::integer(it->pos < n ? static_cast<int64_t>(n - it->pos) : 0);
}

static Type* make_seq_iter_type(const char* name) {
  Type* t = new Type(name, types.object);
  t->iternext = seq_iter_next;
  add_method(t, "__iter__", iter_self);
  add_method(t, "__next__", seq_iter_next_method);
  add_method(t, "__length_hint__", seq_iter_length_hint);
  return t;
}

// ---- tuple methods ----

static TupleObj* self_tuple(const Args& a) { return as<TupleObj>(a[0]); }

Value tuple_getitem(TupleObj* t, const Value& key) {
  int64_t i;
  int kind = subscript_kind(key, i, "tuple");
  if (kind < 0) return Value::raised();
  if (kind == 1) {
    if (!normalize_index(i, t->items.size())) return raise(exc.IndexError, "tuple index out of range");
    return t->items[static_cast<size_t>(i)];
  }
  SliceBounds b;
  if (!slice_bounds(key, t->items.size(), b)) return Value::raised();
  if (b.count == static_cast<int64_t>(t->items.size()) && b.step == 1 && t->type == types.tuple)
    return Value::borrow(t);
  return new_tuple(slice_items(t->items, b));
}

bool tuple_hash(TupleObj* t, int64_t& out) {
  constexpr uint64_t kPrime1 = 11400714785074694791ULL;
  constexpr uint64_t kPrime2 = 14029467366897019727ULL;
  constexpr uint64_t kPrime5 = 2870177450012600261ULL;
  constexpr uint64_t kLenMix = 3527539ULL;
  constexpr int64_t kMinusOneReplacement = 1546275796;
  uint64_t acc = kPrime5;
  for (const Value& item : t->items) {
    int64_t h;
    if (!hash_value(item, h)) return false;
    acc += static_cast<uint64_t>(h) * kPrime2;
    acc = (acc << 31) | (acc >> 33);
    acc *= kPrime1;
  }
  acc += t->items.size() ^ (kPrime5 ^ kLenMix);
  out = acc == UINT64_MAX ? kMinusOneReplacement : static_cast<int64_t>(acc);
  return true;
}

Value tuple_repr(TupleObj* t) {
  if (t->items.empty()) return new_str("()"sv);
  if (!repr_enter(t)) return new_str("(...)"sv);
  std::string out = "(";
  bool ok = join_reprs(t->items, out);
  repr_leave(t);
  if (!ok) return Value::raised();
  return new_str(out + (t->items.size() == 1 ? ",)" : ")"));
}

static Value tuple_new(const Args& a) {
  if (!no_kwargs(a, "tuple") || !check_args(a, "tuple", 1, 2)) return Value::raised();
  Type* cls = as<Type>(a[0]);
  if (a.npos == 1 && cls == types.tuple) return empty_tuple();
  if (cls == types.tuple && is_exact(a[1], types.tuple)) return a[1];
  std::vector<Value> items;
  if (a.npos == 2 && !collect(a[1], items)) return Value::raised();
  if (cls == types.tuple) return new_tuple(std::move(items));
  if (!cls->is_native) return Value::adopt(new WithDict<TupleObj>(cls, std::move(items)));
  return Value::adopt(with_type(new TupleObj(std::move(items)), cls));
}

static Value tuple_getitem_method(const Args& a) {
  if (!check_args(a, "__getitem__", 2, 2)) return Value::raised();
  return tuple_getitem(self_tuple(a), a[1]);
}

static Value tuple_len(const Args& a) { return Value::integer(static_cast<int64_t>(self_tuple(a)->items.size())); }

// Position of x in items[start:stop] by ==; -2 raised, -1 absent.
static int64_t find_item(const std::vector<Value>& items, const Value& x, int64_t start, int64_t stop) {
  for (int64_t i = start; i < stop && i < static_cast<int64_t>(items.size()); i++) {
    Value item = items[static_cast<size_t>(i)];
    if (item.is(x)) return i;
    int eq = equals(item, x);
    if (eq < 0) return -2;
    if (eq) return i;
  }
  return -1;
}

static Value tuple_contains(const Args& a) {
  int64_t i = find_item(self_tuple(a)->items, a[1], 0, INT64_MAX);
  return i == -2 ? Value::raised() : Value::boolean(i >= 0);
}

static Value tuple_iter_method(const Args& a) { return tuple_iter(a[0]); }

static Value tuple_count(const Args& a) {
  if (!check_args(a, "count", 2, 2)) return Value::raised();
  const auto& items = self_tuple(a)->items;
  int64_t n = 0;
  for (int64_t i = 0; (i = find_item(items, a[1], i, INT64_MAX)) >= 0; i++) n++;
  return Value::integer(n);
}

// Resolves index(x, start, stop)'s optional bounds, clamped like slice indices.
bool search_bounds(const Args& a, size_t len, int64_t& start, int64_t& stop) {
  int64_t n = static_cast<int64_t>(len);
  start = 0;
  stop = n;
  if (a.npos > 2 && !index_of(a[2], start)) return false;
  if (a.npos > 3 && !index_of(a[3], stop)) return false;
  if (start < 0) start = std::max<int64_t>(start + n, 0);
  if (stop < 0) stop = std::max<int64_t>(stop + n, 0);
  return true;
}

static Value tuple_index(const Args& a) {
  if (!check_args(a, "index", 2, 4)) return Value::raised();
  const auto& items = self_tuple(a)->items;
  int64_t start, stop;
  if (!search_bounds(a, items.size(), start, stop)) return Value::raised();
  int64_t i = find_item(items, a[1], start, stop);
  if (i == -2) return Value::raised();
  if (i < 0) return raise(exc.ValueError, "tuple.index(x): x not in tuple");
  return Value::integer(i);
}

static Value tuple_add(const Args& a) {
  if (!isinstance(a[1], types.tuple)) {
    if (!isinstance(a[0], types.tuple)) return not_implemented();
    return raise(exc.TypeError, "can only concatenate tuple (not \"" + type_name(a[1]) + "\") to tuple");
  }
  std::vector<Value> items = self_tuple(a)->items;
  const auto& more = tuple_items(a[1]);
  items.insert(items.end(), more.begin(), more.end());
  return new_tuple(std::move(items));
}

// items repeated `times` times, for list and tuple `*`.
bool repeat_items(const std::vector<Value>& items, const Value& times, std::vector<Value>& out) {
  int64_t n;
  if (!index_of(times, n)) return false;
  if (n <= 0 || items.empty()) return true;
  out.reserve(items.size() * static_cast<size_t>(n));
  for (int64_t k = 0; k < n; k++) out.insert(out.end(), items.begin(), items.end());
  return true;
}

static Value tuple_mul(const Args& a) {
  if (!is_intlike(a[1]) && !type_lookup(type_of(a[1]), intern("__index__"))) return not_implemented();
  std::vector<Value> out;
  if (!repeat_items(self_tuple(a)->items, a[1], out)) return Value::raised();
  return new_tuple(std::move(out));
}

template <CmpOp op>
static Value tuple_cmp(const Args& a) {
  if (!isinstance(a[1], types.tuple)) return not_implemented();
  return seq_compare(self_tuple(a)->items, tuple_items(a[1]), op);
}

static Value tuple_hash_method(const Args& a) {
  int64_t h;
  if (!tuple_hash(self_tuple(a), h)) return Value::raised();
  return Value::integer(h);
}

static Value tuple_repr_method(const Args& a) { return tuple_repr(self_tuple(a)); }

void init_tuple_type() {
  list_iter_type = make_seq_iter_type("list_iterator");
  tuple_iter_type = make_seq_iter_type("tuple_iterator");
  Type* t = types.tuple;
  add_method(t, "__new__", tuple_new);
  add_method(t, "__getitem__", tuple_getitem_method);
  add_method(t, "__len__", tuple_len);
  add_method(t, "__contains__", tuple_contains);
  add_method(t, "__iter__", tuple_iter_method);
  add_method(t, "count", tuple_count);
  add_method(t, "index", tuple_index);
  add_method(t, "__add__", tuple_add);
  add_method(t, "__mul__", tuple_mul);
  add_method(t, "__rmul__", tuple_mul);
  add_method(t, "__eq__", tuple_cmp<CmpOp::Eq>);
  add_method(t, "__ne__", tuple_cmp<CmpOp::NotEq>);
  add_method(t, "__lt__", tuple_cmp<CmpOp::Lt>);
  add_method(t, "__le__", tuple_cmp<CmpOp::LtE>);
  add_method(t, "__gt__", tuple_cmp<CmpOp::Gt>);
  add_method(t, "__ge__", tuple_cmp<CmpOp::GtE>);
  add_method(t, "__hash__", tuple_hash_method);
  add_method(t, "__repr__", tuple_repr_method);
}

}  // namespace aio
