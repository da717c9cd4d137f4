// The lazy builtins: enumerate, zip, map, filter, reversed, and iter(callable, sentinel).
// Each is a type whose __new__ builds the iterator, as in CPython.
#include <string>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/generator.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/builtins.h"
#include "stdlib/native_args.h"
#include "stdlib/native_iter.h"

namespace aio {

namespace {

// The iterator types; made by init_builtin_iterators before any script runs.
struct IterTypes {
  Type *enumerate, *zip, *map, *filter, *reversed, *callable_iterator;
};
IterTypes itypes;

// ---- enumerate ----

struct EnumerateObj : Object {
  Value it, count;
  EnumerateObj(Value i, Value c) : Object(itypes.enumerate), it(std::move(i)), count(std::move(c)) {}
};

Value enumerate_new(const Args& a) {
  const Value* iterable = arg_or_kw(a, 1, "iterable");
  const Value* start = arg_or_kw(a, 2, "start");
  if (!iterable) return raise(exc.TypeError, "enumerate() missing required argument 'iterable' (pos 1)");
  Value count = start ? *start : Value::integer(0);
  int64_t ignored;
  if (start && !count.is_int() && !index_of(count, ignored)) return Value::raised();
  Value it = get_iter(*iterable);
  if (it.is_raised()) return it;
  return Value::adopt(new EnumerateObj(std::move(it), std::move(count)));
}

Value enumerate_next(const Args& a) {
  auto* e = as<EnumerateObj>(a[0]);
  Value item = next_or_stop(e->it);
  if (item.is_raised()) return item;
  Value n = e->count;
  Value next = n.is_int() && n.as_int() < INT64_MAX ? Value::integer(n.as_int() + 1)
                                                    : binary_op(BinOpKind::Add, n, Value::integer(1));
  if (next.is_raised()) return next;
  e->count = std::move(next);
  return new_tuple({std::move(n), std::move(item)});
}

// ---- zip ----

struct ZipObj : Object {
  std::vector<Value> its;
  bool strict;
  ZipObj(std::vector<Value>&& i, bool s) : Object(itypes.zip), its(std::move(i)), strict(s) {}
};

Value zip_new(const Args& a) {
  const Value* strict = kwarg(a, "strict");
  int s = strict ? truthy(*strict) : 0;
  if (s < 0) return Value::raised();
  std::vector<Value> its;
  for (size_t i = 1; i < a.npos; i++) {
    Value it = get_iter(a[i]);
    if (it.is_raised()) return it;
    its.push_back(std::move(it));
  }
  return Value::adopt(new ZipObj(std::move(its), s));
}

// strict=True: after iterator `stopped` ran out, the others must be exhausted too.
Value zip_strict_check(ZipObj* z, size_t stopped) {
  std::string n = std::to_string(stopped + 1);
  if (stopped > 0) return raise(exc.ValueError, "zip() argument " + n + " is shorter than argument" +
                                                    (stopped == 1 ? " 1" : "s 1-" + std::to_string(stopped)));
  for (size_t i = 1; i < z->its.size(); i++) {
    Value out;
    if (next_item(z->its[i], out))
      return raise(exc.ValueError, "zip() argument " + std::to_string(i + 1) + " is longer than argument" +
                                       (i == 1 ? " 1" : "s 1-" + std::to_string(i)));
    if (out.is_raised()) return out;
  }
  return stop_iteration();
}

Value zip_next(const Args& a) {
  auto* z = as<ZipObj>(a[0]);
  if (z->its.empty()) return stop_iteration();
  std::vector<Value> items;
  items.reserve(z->its.size());
  for (size_t i = 0; i < z->its.size(); i++) {
    Value out;
    if (!next_item(z->its[i], out)) {
      if (out.is_raised()) return out;
      return z->strict ? zip_strict_check(z, i) : stop_iteration();
    }
    items.push_back(std::move(out));
  }
  return new_tuple(std::move(items));
}

// ---- map ----

struct MapObj : Object {
  Value fn;
  std::vector<Value> its;
  MapObj(Value f, std::vector<Value>&& i) : Object(itypes.map), fn(std::move(f)), its(std::move(i)) {}
};

Value map_new(const Args& a) {
  if (a.npos < 3) return raise(exc.TypeError, "map() must have at least two arguments.");
  std::vector<Value> its;
  for (size_t i = 2; i < a.npos; i++) {
    Value it = get_iter(a[i]);
    if (it.is_raised()) return it;
    its.push_back(std::move(it));
  }
  return Value::adopt(new MapObj(a[1], std::move(its)));
}

Value map_next(const Args& a) {
  auto* m = as<MapObj>(a[0]);
  std::vector<Value> args;
  args.reserve(m->its.size());
  for (const Value& it : m->its) {
    Value item = next_or_stop(it);
    if (item.is_raised()) return item;
    args.push_back(std::move(item));
  }
  Args ca;
  ca.pos = args.data();
  ca.npos = args.size();
  return call(m->fn, ca);
}

// ---- filter ----

struct FilterObj : Object {
  Value fn, it;
  FilterObj(Value f, Value i) : Object(itypes.filter), fn(std::move(f)), it(std::move(i)) {}
};

Value filter_new(const Args& a) {
  if (a.npos != 3)
    return raise(exc.TypeError, "filter expected 2 arguments, got " + std::to_string(a.npos - 1));
  Value it = get_iter(a[2]);
  if (it.is_raised()) return it;
  return Value::adopt(new FilterObj(a[1], std::move(it)));
}

Value filter_next(const Args& a) {
  auto* f = as<FilterObj>(a[0]);
  for (;;) {
    Value item = next_or_stop(f->it);
    if (item.is_raised()) return item;
    Value keep = f->fn.is_none() ? item : call(f->fn, {item});
    if (keep.is_raised()) return keep;
    int t = truthy(keep);
    if (t < 0) return Value::raised();
    if (t) return item;
  }
}

// ---- reversed: __reversed__, or the sequence protocol from the end ----

struct ReversedObj : Object {
  Value seq;
  int64_t index;  // the next item to yield; -1 when done
  ReversedObj(Value s, int64_t i) : Object(itypes.reversed), seq(std::move(s)), index(i) {}
};

Value reversed_new(const Args& a) {
  if (!check_args(a, "reversed", 2, 2) || !no_kwargs(a, "reversed")) return Value::raised();
  const Value& seq = a[1];
  if (Value* rev = type_lookup(type_of(seq), intern("__reversed__"))) {
    if (rev->is_none()) return raise(exc.TypeError, "'" + type_name(seq) + "' object is not reversible");
    return call(*rev, {seq});
  }
  int64_t n;
  if (!type_lookup(type_of(seq), intern("__getitem__")) || is_exact(seq, types.dict) ||
      !type_lookup(type_of(seq), intern("__len__")))
    return raise(exc.TypeError, "'" + type_name(seq) + "' object is not reversible");
  if (!length_of(seq, n)) return Value::raised();
  return Value::adopt(new ReversedObj(seq, n - 1));
}

Value reversed_next(const Args& a) {
  auto* r = as<ReversedObj>(a[0]);
  if (r->index < 0) return stop_iteration();
  Value item = getitem(r->seq, Value::integer(r->index--));
  if (item.is_raised() && (exception_matches(exc.IndexError) || exception_matches(exc.StopIteration))) {
    take_exception();
    r->index = -1;
    return stop_iteration();
  }
  return item;
}

// ---- iter(callable, sentinel) ----

struct CallableIterObj : Object {
  Value fn, sentinel;
  bool done = false;
  CallableIterObj(Value f, Value s) : Object(itypes.callable_iterator), fn(std::move(f)), sentinel(std::move(s)) {}
};

Value callable_iter_next(const Args& a) {
  auto* c = as<CallableIterObj>(a[0]);
  if (c->done) return stop_iteration();
  Value v = call(c->fn, std::initializer_list<Value>{});
  if (v.is_raised()) {
    if (exception_matches(exc.StopIteration)) c->done = true;
    return v;
  }
  int eq = equals(v, c->sentinel);
  if (eq < 0) return Value::raised();
  if (!eq) return v;
  c->done = true;
  return stop_iteration();
}

Value callable_iter_new(const Args& a) {
  return raise(exc.TypeError, "cannot create '" + as<Type>(a[0])->name + "' instances");
}

Value builtin_iter(const Args& a) {
  if (!check_args(a, "iter", 1, 2) || !no_kwargs(a, "iter")) return Value::raised();
  if (a.npos == 1) return get_iter(a[0]);
  Value probe = a[0];
  Type* t = type_of(probe);
  bool callable = t == types.function || t == types.native || t == types.method ||
                  is_subtype(t, types.type) || type_lookup(t, intern("__call__"));
  if (!callable) return raise(exc.TypeError, "iter(v, w): v must be callable");
  return Value::adopt(new CallableIterObj(a[0], a[1]));
}

Value builtin_next(const Args& a) {
  if (!check_args(a, "next", 1, 2) || !no_kwargs(a, "next")) return Value::raised();
  if (!type_lookup(type_of(a[0]), intern("__next__")) && type_of(a[0]) != types.generator)
    return raise(exc.TypeError, "'" + type_name(a[0]) + "' object is not an iterator");
  Value out;
  if (is_exact(a[0], types.generator)) {
    // A generator's return value travels in the StopIteration.
    GenResult r = gen_send(as<GenObj>(a[0]), Value(), out);
    if (r == GenResult::Yielded) return out;
    if (r == GenResult::Raised) {
      // An exhausted generator raises StopIteration itself: the default replaces it.
      if (a.npos < 2 || !exception_matches(exc.StopIteration)) return Value::raised();
      take_exception();
    }
    if (a.npos == 2) return a[1];
    std::vector<Value> args;
    if (!out.is_none()) args.push_back(std::move(out));
    return raise_value(make_exception(exc.StopIteration, std::move(args)));
  }
  if (next_item(a[0], out)) return out;
  if (out.is_raised()) return out;
  return a.npos == 2 ? a[1] : stop_iteration();
}

}  // namespace

void init_builtin_iterators(const Value& module) {
  itypes.enumerate = new_iter_type("enumerate", enumerate_new, enumerate_next);
  itypes.zip = new_iter_type("zip", zip_new, zip_next);
  itypes.map = new_iter_type("map", map_new, map_next);
  itypes.filter = new_iter_type("filter", filter_new, filter_next);
  itypes.reversed = new_iter_type("reversed", reversed_new, reversed_next);
  itypes.callable_iterator = new_iter_type("callable_iterator", callable_iter_new, callable_iter_next);
  DictObj* d = module_dict(module);
  for (Type* t : {itypes.enumerate, itypes.zip, itypes.map, itypes.filter, itypes.reversed})
    dict_set_str(d, intern(t->name), Value::borrow(t));
  add_function(module, "iter", builtin_iter);
  add_function(module, "next", builtin_next);
}

}  // namespace aio
