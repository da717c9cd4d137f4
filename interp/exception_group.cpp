// BaseExceptionGroup and ExceptionGroup (what TaskGroup raises): the constructor's checks and
// type choice, str "msg (N sub-exceptions)", and subgroup/split/derive as CPython 3.11 has them.
#include "interp/class.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

namespace {

Value group_field(const Value& g, const char* name) {
  Value* v = dict_find_str(as<ExcObj>(g)->dict, intern(name));
  return v ? *v : Value();
}

const std::vector<Value>& group_items(const Value& g) { return tuple_items(group_field(g, "exceptions")); }

// PySequence_Check: indexable by __getitem__ and not a mapping (a str is a sequence too).
bool is_sequence(const Value& v) {
  return !isinstance(v, types.dict) && type_lookup(type_of(v), intern("__getitem__")) != nullptr;
}

// BaseExceptionGroup(message, exceptions): an ExceptionGroup when every member is an Exception.
Value group_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  if (a.npos != 3) return raise(exc.TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (" + std::to_string(a.npos - 1) + " given)");
  if (!is_str(a[1])) return raise(exc.TypeError, "BaseExceptionGroup.__new__() argument 1 must be str, not " + type_name(a[1]));
  if (!is_sequence(a[2])) return raise(exc.TypeError, "second argument (exceptions) must be a sequence");
  std::vector<Value> items;
  if (!collect(a[2], items)) return Value::raised();
  if (items.empty()) return raise(exc.ValueError, "second argument (exceptions) must be a non-empty sequence");
  bool all_plain = true;
  for (size_t i = 0; i < items.size(); i++) {
    if (!is_exception(items[i]))
      return raise(exc.ValueError, "Item " + std::to_string(i) + " of second argument (exceptions) is not an exception");
    if (!isinstance(items[i], exc.Exception)) all_plain = false;
  }
  if (cls == exc.BaseExceptionGroup && all_plain) cls = exc.ExceptionGroup;
  if (is_subtype(cls, exc.ExceptionGroup) && !all_plain) {
    if (cls == exc.ExceptionGroup) return raise(exc.TypeError, "Cannot nest BaseExceptions in an ExceptionGroup");
    return raise(exc.TypeError, "Cannot nest BaseExceptions in '" + cls->name + "'");
  }
  Value g = Value::adopt(cls->alloc(cls));
  auto* e = as<ExcObj>(g);
  e->args = new_tuple({a[1], a[2]});
  dict_set_str(e->dict, intern("message"), a[1]);
  dict_set_str(e->dict, intern("exceptions"), new_tuple(std::move(items)));
  return g;
}

Value group_init(const Args&) { return Value(); }

Value group_str(const Args& a) {
  size_t n = group_items(a[0]).size();
  return new_str(str_of(group_field(a[0], "message")) + " (" + std::to_string(n) + " sub-exception" + (n == 1 ? "" : "s") + ")");
}

Value derive(const Value& g, std::vector<Value>&& items) {
  return call(Value::borrow(exc.BaseExceptionGroup), {group_field(g, "message"), new_list(std::move(items))});
}

Value group_derive(const Args& a) {
  if (!check_args(a, "derive", 2, 2)) return Value::raised();
  std::vector<Value> items;
  if (!collect(a[1], items)) return Value::raised();
  return derive(a[0], std::move(items));
}

// cond: an exception type, a tuple of them, or a predicate; 1 when e matches, -1 on error.
int matches(const Value& cond, const Value& e) {
  if (is_exact(cond, types.tuple) || (cond.is_obj() && isinstance(cond, types.type))) return exception_isinstance(e, cond);
  Value r = call(cond, {e});
  return r.is_raised() ? -1 : truthy(r);
}

// Splits g by cond into the matching and the other leaves, keeping the nesting; None for none.
bool split(const Value& g, const Value& cond, Value& match, Value& rest) {
  int whole = matches(cond, g);
  if (whole < 0) return false;
  if (whole) {
    match = g;
    rest = Value();
    return true;
  }
  std::vector<Value> yes, no;
  for (const Value& e : group_items(g)) {
    if (isinstance(e, exc.BaseExceptionGroup)) {
      Value m, r;
      if (!split(e, cond, m, r)) return false;
      if (!m.is_none()) yes.push_back(m);
      if (!r.is_none()) no.push_back(r);
      continue;
    }
    int hit = matches(cond, e);
    if (hit < 0) return false;
    (hit ? yes : no).push_back(e);
  }
  match = yes.empty() ? Value() : derive(g, std::move(yes));
  rest = no.empty() ? Value() : derive(g, std::move(no));
  return !match.is_raised() && !rest.is_raised();
}

Value group_split(const Args& a) {
  if (!check_args(a, "split", 2, 2)) return Value::raised();
  Value m, r;
  if (!split(a[0], a[1], m, r)) return Value::raised();
  return new_tuple({m, r});
}

Value group_subgroup(const Args& a) {
  if (!check_args(a, "subgroup", 2, 2)) return Value::raised();
  Value m, r;
  if (!split(a[0], a[1], m, r)) return Value::raised();
  return m;
}

}  // namespace

void init_exception_group_types() {
  Type* base = exc.BaseExceptionGroup;
  add_method(base, "__new__", group_new);
  add_method(base, "__init__", group_init);
  add_method(base, "__str__", group_str);
  add_method(base, "derive", group_derive);
  add_method(base, "split", group_split);
  add_method(base, "subgroup", group_subgroup);
  // ExceptionGroup is both a BaseExceptionGroup and an Exception.
  exc.ExceptionGroup->bases.push_back(exc.Exception);
  compute_mro(exc.ExceptionGroup);
}

}  // namespace aio
