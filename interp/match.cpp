// Pattern matching as CPython's ceval does it: sequences and mappings by their type, classes by
// isinstance and __match_args__; captured values are bound only once the whole pattern matched.
#include "interp/match.h"

#include <algorithm>

#include "interp/dict.h"
#include "interp/eval.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

void for_each_pattern_expr(Pattern* p, const std::function<void(ExprP& e, bool binds)>& fn) {
  if (p->value) fn(p->value, false);
  for (auto& k : p->keys) fn(k, false);
  for (auto* group : {&p->items, &p->kwd_patterns})
    for (auto& sub : *group) for_each_pattern_expr(sub.get(), fn);
  if (p->target) fn(p->target, true);
}

namespace {

// What a successful match binds: (target Name, value), in order.
using Bindings = std::vector<std::pair<Expr*, Value>>;

// 1 matched, 0 not, -1 raised.
int match(const Pattern* p, const Value& v, Frame* f, Bindings& out);

bool derives_from(const Value& v, std::initializer_list<Type*> bases) {
  for (Type* t : bases)
    if (isinstance(v, t)) return true;
  return false;
}

// Sequence patterns match the sequence types (not str, bytes or bytearray), as the
// Py_TPFLAGS_SEQUENCE flag selects them.
bool is_sequence(const Value& v) {
  if (derives_from(v, {types.list, types.tuple, types.range})) return true;
  for (Type* t : type_of(v)->mro)
    if (t->is_native && t->name == "deque") return true;
  return false;
}

// Builtins whose class pattern's single positional sub-pattern matches the subject itself.
bool matches_self(Type* cls) {
  for (Type* t : {types.boolean, types.bytearray, types.bytes, types.dict, types.float_, types.frozenset,
                  types.int_, types.list, types.set, types.str, types.tuple})
    if (cls == t || is_subtype(cls, t)) return true;
  return false;
}

int match_sequence(const Pattern* p, const Value& v, Frame* f, Bindings& out) {
  if (!is_sequence(v)) return 0;
  std::vector<Value> elems;
  if (!collect(v, elems)) return -1;
  size_t n = p->items.size(), len = elems.size();
  auto star = std::find_if(p->items.begin(), p->items.end(), [](auto& q) { return q->kind == PatternKind::Star; });
  size_t s = size_t(star - p->items.begin());
  if (star == p->items.end() ? len != n : len < n - 1) return 0;
  for (size_t i = 0; i < n; i++) {
    if (i == s) {
      if ((*star)->target)
        out.emplace_back((*star)->target.get(), new_list(std::vector<Value>(elems.begin() + s, elems.begin() + (len - (n - 1 - s)))));
      continue;
    }
    const Value& elem = i < s ? elems[i] : elems[len - (n - i)];
    int r = match(p->items[i].get(), elem, f, out);
    if (r <= 0) return r;
  }
  return 1;
}

int match_mapping(const Pattern* p, const Value& v, Frame* f, Bindings& out) {
  if (!isinstance(v, types.dict)) return 0;
  int64_t len;
  if (!length_of(v, len)) return -1;
  if (size_t(len) < p->keys.size()) return 0;
  Value missing = new_list({});  // `get`'s default: a fresh object no mapping can hold
  std::vector<Value> keys, values;
  for (auto& key : p->keys) {
    Value k = eval(key.get(), f);
    if (k.is_raised()) return -1;
    Value got = call_method(v, "get", {k, missing});
    if (got.is_raised()) return -1;
    if (got.is(missing)) return 0;
    keys.push_back(std::move(k));
    values.push_back(std::move(got));
  }
  for (size_t i = 0; i < values.size(); i++) {
    int r = match(p->items[i].get(), values[i], f, out);
    if (r <= 0) return r;
  }
  if (!p->target) return 1;
  Value rest = call(Value::borrow(types.dict), {v});
  if (rest.is_raised()) return -1;
  for (const Value& k : keys)
    if (!delitem(rest, k)) return -1;
  out.emplace_back(p->target.get(), std::move(rest));
  return 1;
}

// The values a class pattern's sub-patterns match: positional ones through __match_args__.
int class_values(const Pattern* p, Type* cls, const Value& v, std::vector<Value>& values) {
  Value match_args;
  int has = getattr_opt(Value::borrow(cls), intern("__match_args__"), match_args);
  if (has < 0) return -1;
  bool self = has == 0 && matches_self(cls);
  if (has == 1 && !is_exact(match_args, types.tuple)) {
    raise(exc.TypeError, cls->name + ".__match_args__ must be a tuple (got " + type_name(match_args) + ")");
    return -1;
  }
  size_t allowed = has == 1 ? tuple_items(match_args).size() : self ? 1 : 0;
  size_t given = p->items.size();
  if (given > allowed) {
    raise(exc.TypeError, cls->name + "() accepts " + std::to_string(allowed) + " positional sub-pattern" +
                             (allowed == 1 ? "" : "s") + " (" + std::to_string(given) + " given)");
    return -1;
  }
  std::vector<Value> names;
  for (size_t i = 0; i < given && !self; i++) {
    const Value& name = tuple_items(match_args)[i];
    if (!is_str(name)) {
      raise(exc.TypeError, "__match_args__ elements must be strings (got " + type_name(name) + ")");
      return -1;
    }
    names.push_back(name);
  }
  for (const std::string& a : p->attrs) names.push_back(intern(a));
  for (size_t i = 0; i < names.size(); i++) {
    for (size_t j = 0; j < i; j++) {
      if (str_of(names[j]) != str_of(names[i])) continue;
      raise(exc.TypeError, cls->name + "() got multiple sub-patterns for attribute " + str_repr(str_of(names[i])));
      return -1;
    }
  }
  if (self && given == 1) values.push_back(v);
  for (const Value& name : names) {
    Value attr;
    int r = getattr_opt(v, intern(str_of(name)), attr);
    if (r <= 0) return r;  // a missing attribute is no match
    values.push_back(std::move(attr));
  }
  return 1;
}

int match_class(const Pattern* p, const Value& v, Frame* f, Bindings& out) {
  Value cls = eval(p->value.get(), f);
  if (cls.is_raised()) return -1;
  if (!isinstance(cls, types.type)) {
    raise(exc.TypeError, "called match pattern must be a type");
    return -1;
  }
  if (!isinstance(v, as<Type>(cls))) return 0;
  std::vector<Value> values;
  int r = class_values(p, as<Type>(cls), v, values);
  if (r <= 0) return r;
  size_t npos = p->items.size();
  for (size_t i = 0; i < values.size(); i++) {
    const Pattern* sub = i < npos ? p->items[i].get() : p->kwd_patterns[i - npos].get();
    if ((r = match(sub, values[i], f, out)) <= 0) return r;
  }
  return 1;
}

int match(const Pattern* p, const Value& v, Frame* f, Bindings& out) {
  switch (p->kind) {
    case PatternKind::Value:
    case PatternKind::Singleton: {
      Value want = eval(p->value.get(), f);
      if (want.is_raised()) return -1;
      return p->kind == PatternKind::Singleton ? v.is(want) : equals(v, want);
    }
    case PatternKind::Capture:
    case PatternKind::Star:
      if (p->target) out.emplace_back(p->target.get(), v);
      return 1;
    case PatternKind::As: {
      int r = match(p->items[0].get(), v, f, out);
      if (r == 1) out.emplace_back(p->target.get(), v);
      return r;
    }
    case PatternKind::Or:
      for (auto& alt : p->items) {
        size_t mark = out.size();
        int r = match(alt.get(), v, f, out);
        if (r != 0) return r;
        out.resize(mark);
      }
      return 0;
    case PatternKind::Sequence: return match_sequence(p, v, f, out);
    case PatternKind::Mapping: return match_mapping(p, v, f, out);
    case PatternKind::Class: return match_class(p, v, f, out);
  }
  return 0;
}

}  // namespace

Value match_test(MatchTest* t, Frame* f) {
  Value subject = eval(t->subject.get(), f);
  if (subject.is_raised()) return subject;
  Bindings binds;
  int r = match(t->pattern, subject, f, binds);
  if (r < 0) return Value::raised();
  for (auto& [target, v] : binds)
    if (!assign(target, v, f)) return Value::raised();
  return Value::boolean(r == 1);
}

}  // namespace aio
