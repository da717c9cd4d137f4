// BaseExceptionGroup and ExceptionGroup (what TaskGroup raises): the constructor's checks and
// type choice, str "msg (N sub-exceptions)", subgroup/split/derive as CPython 3.11 has them,
// and the runtime half of `except*` (which parts each handler gets, what is raised after).
#include <unordered_set>

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

// A part of g made by split/subgroup/except*: derive() plus g's traceback, cause, context and
// notes, so the part reads as the exception it came from.
Value derive_part(const Value& g, std::vector<Value>&& items) {
  Value part = derive(g, std::move(items));
  if (part.is_raised()) return part;
  auto *from = as<ExcObj>(g), *to = as<ExcObj>(part);
  to->traceback = from->traceback;
  to->cause = from->cause;
  to->context = from->context;
  to->suppress_context = from->suppress_context;
  if (Value* notes = dict_find_str(from->dict, intern("__notes__"))) dict_set_str(to->dict, intern("__notes__"), *notes);
  return part;
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
  match = yes.empty() ? Value() : derive_part(g, std::move(yes));
  rest = no.empty() ? Value() : derive_part(g, std::move(no));
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

// ---- except* ----
// One try statement's handling of an exception: what is still unmatched, what handlers raised.
struct ExceptStar : Object {
  Value orig;                 // the exception caught (naked or a group)
  Value rest;                 // the part no handler has matched yet (None: all matched)
  std::vector<Value> raised;  // what handlers raised (their own match re-raised counts too)
  ExceptStar(Type* t, Value e) : Object(t), orig(e), rest(std::move(e)) {}
};

Type* except_star_type() {
  static Type* t = new Type("except_star", nullptr);
  return t;
}

ExceptStar* star_state(const Value& v) { return as<ExceptStar>(v); }

Value star_begin(const Args& a) {
  return Value::adopt(new ExceptStar(except_star_type(), a[0]));
}

bool is_group_type(const Value& t) {
  return t.is_obj() && isinstance(t, types.type) && is_subtype(as<Type>(t), exc.BaseExceptionGroup);
}

// The part of what is left that handler type a[1] takes (an ExceptionGroup), or None.
Value star_match(const Args& a) {
  ExceptStar* st = star_state(a[0]);
  const Value& t = a[1];
  bool group = is_group_type(t);
  if (is_exact(t, types.tuple))
    for (const Value& x : tuple_items(t)) group |= is_group_type(x);
  if (group) return raise(exc.TypeError, "catching ExceptionGroup with except* is not allowed. Use except instead.");
  if (st->rest.is_none()) return Value();
  if (!isinstance(st->rest, exc.BaseExceptionGroup)) {
    int hit = exception_isinstance(st->rest, t);
    if (hit <= 0) return hit < 0 ? Value::raised() : Value();
    Value naked = std::move(st->rest);
    st->rest = Value();
    return call(Value::borrow(exc.BaseExceptionGroup), {new_str(""), new_tuple({naked})});
  }
  if (exception_isinstance(st->rest, t) < 0) return Value::raised();  // t is not an exception type
  Value match, rest;
  if (!split(st->rest, t, match, rest)) return Value::raised();
  st->rest = std::move(rest);
  return match;
}

Value star_raised(const Args& a) {
  star_state(a[0])->raised.push_back(a[1]);
  return Value();
}

void add_leaves(const Value& e, std::unordered_set<Object*>& out) {
  if (!isinstance(e, exc.BaseExceptionGroup)) {
    out.insert(e.obj());
    return;
  }
  for (const Value& x : group_items(e)) add_leaves(x, out);
}

// e cut down to the leaves in keep, keeping its nesting (e itself when nothing is cut).
Value project(const Value& e, const std::unordered_set<Object*>& keep) {
  if (!isinstance(e, exc.BaseExceptionGroup)) return keep.count(e.obj()) ? e : Value();
  std::vector<Value> items;
  bool same = true;
  for (const Value& x : group_items(e)) {
    Value p = project(x, keep);
    if (p.is_raised()) return p;
    same &= p.is(x);
    if (!p.is_none()) items.push_back(std::move(p));
  }
  if (items.empty()) return Value();
  return same ? e : derive_part(e, std::move(items));
}

// After the last handler: None (all handled), or what to re-raise for what is left and what
// handlers raised, as CPython's _PyExc_PrepReraiseStar: re-raised parts go back into the
// original group's shape; new exceptions join it in a new ExceptionGroup("", [...]).
Value star_finish(const Args& a) {
  ExceptStar* st = star_state(a[0]);
  std::vector<Value> excs = std::move(st->raised);
  if (!st->rest.is_none()) excs.push_back(st->rest);
  if (excs.empty()) return Value();
  if (!isinstance(st->orig, exc.BaseExceptionGroup)) return excs[0];  // only one handler ran
  std::unordered_set<Object*> orig_leaves, keep;
  add_leaves(st->orig, orig_leaves);
  std::vector<Value> fresh;
  for (const Value& e : excs) {
    std::unordered_set<Object*> leaves;
    add_leaves(e, leaves);
    bool reraised = true;
    for (Object* l : leaves) reraised &= orig_leaves.count(l) > 0;
    if (reraised) keep.insert(leaves.begin(), leaves.end());
    else fresh.push_back(e);
  }
  Value kept = project(st->orig, keep);
  if (kept.is_raised()) return kept;
  if (fresh.empty()) return kept;
  if (!kept.is_none()) fresh.push_back(kept);
  return call(Value::borrow(exc.BaseExceptionGroup), {new_str(""), new_list(std::move(fresh))});
}

}  // namespace

const ExceptStarNatives& except_star_natives() {
  static const ExceptStarNatives natives{new_native("except_star_begin", star_begin),
                                         new_native("except_star_match", star_match),
                                         new_native("except_star_raised", star_raised),
                                         new_native("except_star_finish", star_finish)};
  return natives;
}

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
