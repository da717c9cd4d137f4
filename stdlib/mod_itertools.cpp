// itertools: CPython's iterator building blocks, each a native iterator type with CPython's
// algorithms (so orders, laziness and error messages match).
#include <memory>
#include <string>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/native_iter.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

struct ItTypes {
  Type *count, *cycle, *repeat, *accumulate, *chain, *compress, *dropwhile, *takewhile,
      *filterfalse, *starmap, *groupby, *grouper, *islice, *pairwise, *tee, *zip_longest, *product,
      *permutations, *combinations, *cwr;
};
ItTypes it;

// A positional-only argument count check worded as CPython's itertools ("cycle expected 1 argument, got 0").
bool expect_args(const Args& a, const char* fname, size_t n) {
  if (a.npos - 1 == n && a.nkw() == 0) return true;
  if (a.nkw()) {
    raise(exc.TypeError, std::string(fname) + "() takes no keyword arguments");
    return false;
  }
  raise(exc.TypeError, std::string(fname) + " expected " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
                           ", got " + std::to_string(a.npos - 1));
  return false;
}

Value iter_of(const Args& a, size_t idx) { return get_iter(a[idx]); }

// a + b with a fast path for small ints.
Value add(const Value& a, const Value& b) {
  int64_t r;
  if (a.is_int() && b.is_int() && !__builtin_add_overflow(a.as_int(), b.as_int(), &r)) return Value::integer(r);
  return binary_op(BinOpKind::Add, a, b);
}

// A non-negative int argument (r, n, repeat); -1 raised, -2 negative.
int64_t count_arg(const Value& v) {
  int64_t n;
  if (!index_of(v, n)) return -1;
  return n < 0 ? -2 : n;
}

// ---- count(start=0, step=1) ----

struct CountObj : Object {
  Value next, step;
  CountObj(Value n, Value s) : Object(it.count), next(std::move(n)), step(std::move(s)) {}
};

bool number_like(const Value& v) {
  return v.is_int() || v.is_bool() || v.is_float() || isinstance(v, types.int_) || isinstance(v, types.float_) ||
         isinstance(v, types.complex) || type_lookup(type_of(v), intern("__index__")) ||
         type_lookup(type_of(v), intern("__float__"));
}

Value count_new(const Args& a) {
  if (a.npos > 3) return raise(exc.TypeError, "count() takes at most 2 arguments (" + std::to_string(a.npos - 1) + " given)");
  const Value* start = arg_or_kw(a, 1, "start");
  const Value* step = arg_or_kw(a, 2, "step");
  Value s = start ? *start : Value::integer(0), st = step ? *step : Value::integer(1);
  if (!number_like(s) || !number_like(st)) return raise(exc.TypeError, "a number is required");
  return Value::adopt(new CountObj(std::move(s), std::move(st)));
}

Value count_next(const Args& a) {
  auto* c = as<CountObj>(a[0]);
  Value n = add(c->next, c->step);
  if (n.is_raised()) return n;
  return std::exchange(c->next, std::move(n));
}

Value count_repr(const Args& a) {
  auto* c = as<CountObj>(a[0]);
  std::string s = "count(";
  if (!repr_string(c->next, s)) return Value::raised();
  if (!(c->step.is_int() && c->step.as_int() == 1)) {
    s += ", ";
    if (!repr_string(c->step, s)) return Value::raised();
  }
  return new_str(s + ")");
}

// ---- cycle(iterable) ----

struct CycleObj : Object {
  Value src;  // None once exhausted: then replay `saved`
  std::vector<Value> saved;
  size_t pos = 0;
  explicit CycleObj(Value s) : Object(it.cycle), src(std::move(s)) {}
};

Value cycle_new(const Args& a) {
  if (!expect_args(a, "cycle", 1)) return Value::raised();
  Value src = iter_of(a, 1);
  if (src.is_raised()) return src;
  return Value::adopt(new CycleObj(std::move(src)));
}

Value cycle_next(const Args& a) {
  auto* c = as<CycleObj>(a[0]);
  if (!c->src.is_none()) {
    Value item;
    if (next_item(c->src, item)) {
      c->saved.push_back(item);
      return item;
    }
    if (item.is_raised()) return item;
    c->src = Value();
  }
  if (c->saved.empty()) return stop_iteration();
  if (c->pos == c->saved.size()) c->pos = 0;
  return c->saved[c->pos++];
}

// ---- repeat(object, times=None) ----

struct RepeatObj : Object {
  Value obj;
  int64_t left;  // -1: forever
  RepeatObj(Value o, int64_t n) : Object(it.repeat), obj(std::move(o)), left(n) {}
};

Value repeat_new(const Args& a) {
  const Value* obj = required_arg(a, 1, "repeat", "object");
  if (!obj) return Value::raised();
  const Value* times = arg_or_kw(a, 2, "times");
  int64_t n = -1;
  if (times && !index_of(*times, n)) return Value::raised();
  return Value::adopt(new RepeatObj(*obj, times ? std::max<int64_t>(n, 0) : -1));
}

Value repeat_next(const Args& a) {
  auto* r = as<RepeatObj>(a[0]);
  if (r->left == 0) return stop_iteration();
  if (r->left > 0) r->left--;
  return r->obj;
}

Value repeat_repr(const Args& a) {
  auto* r = as<RepeatObj>(a[0]);
  std::string s = "repeat(";
  if (!repr_string(r->obj, s)) return Value::raised();
  if (r->left >= 0) s += ", " + std::to_string(r->left);
  return new_str(s + ")");
}

// ---- accumulate(iterable, func=None, *, initial=None) ----

struct AccumulateObj : Object {
  Value src, func, total, initial;
  bool started = false;
  AccumulateObj(Value s, Value f, Value i) : Object(it.accumulate), src(std::move(s)), func(std::move(f)), initial(std::move(i)) {}
};

Value accumulate_new(const Args& a) {
  const Value* iterable = required_arg(a, 1, "accumulate", "iterable");
  if (!iterable) return Value::raised();
  const Value* func = arg_or_kw(a, 2, "func");
  const Value* initial = kwarg(a, "initial");
  Value src = get_iter(*iterable);
  if (src.is_raised()) return src;
  return Value::adopt(new AccumulateObj(std::move(src), func ? *func : Value(), initial ? *initial : Value()));
}

Value accumulate_next(const Args& a) {
  auto* c = as<AccumulateObj>(a[0]);
  if (!c->initial.is_none()) {
    c->total = std::exchange(c->initial, Value());
    c->started = true;
    return c->total;
  }
  Value item = next_or_stop(c->src);
  if (item.is_raised()) return item;
  if (c->started) {
    item = c->func.is_none() ? add(c->total, item) : call(c->func, {c->total, item});
    if (item.is_raised()) return item;
  }
  c->started = true;
  c->total = item;
  return item;
}

// ---- chain(*iterables), chain.from_iterable(iterable) ----

struct ChainObj : Object {
  Value sources;  // an iterator over the iterables; None when done
  Value active;   // the current iterable's iterator, or None
  explicit ChainObj(Value s) : Object(it.chain), sources(std::move(s)) {}
};

Value chain_new(const Args& a) {
  if (!no_kwargs(a, "chain")) return Value::raised();
  Value src = tuple_iter(new_tuple(std::vector<Value>(a.pos + 1, a.pos + a.npos)));
  return Value::adopt(new ChainObj(std::move(src)));
}

Value chain_from_iterable(const Args& a) {
  if (!check_args(a, "from_iterable", 2, 2)) return Value::raised();
  Value src = iter_of(a, 1);
  if (src.is_raised()) return src;
  return Value::adopt(new ChainObj(std::move(src)));
}

Value chain_next(const Args& a) {
  auto* c = as<ChainObj>(a[0]);
  while (!c->sources.is_none()) {
    if (c->active.is_none()) {
      Value next;
      if (!next_item(c->sources, next)) {
        c->sources = Value();
        return next.is_raised() ? next : stop_iteration();
      }
      c->active = get_iter(next);
      if (c->active.is_raised()) {
        c->active = Value();
        return Value::raised();
      }
    }
    Value item;
    if (next_item(c->active, item)) return item;
    if (item.is_raised()) return item;
    c->active = Value();
  }
  return stop_iteration();
}

// ---- compress(data, selectors) ----

struct CompressObj : Object {
  Value data, selectors;
  CompressObj(Value d, Value s) : Object(it.compress), data(std::move(d)), selectors(std::move(s)) {}
};

Value compress_new(const Args& a) {
  const Value* data = required_arg(a, 1, "compress", "data");
  const Value* sel = data ? required_arg(a, 2, "compress", "selectors") : nullptr;
  if (!sel) return Value::raised();
  Value d = get_iter(*data);
  if (d.is_raised()) return d;
  Value s = get_iter(*sel);
  if (s.is_raised()) return s;
  return Value::adopt(new CompressObj(std::move(d), std::move(s)));
}

Value compress_next(const Args& a) {
  auto* c = as<CompressObj>(a[0]);
  for (;;) {
    Value item = next_or_stop(c->data);
    if (item.is_raised()) return item;
    Value sel = next_or_stop(c->selectors);
    if (sel.is_raised()) return sel;
    int t = truthy(sel);
    if (t < 0) return Value::raised();
    if (t) return item;
  }
}

// ---- dropwhile, takewhile, filterfalse, starmap: a function and an iterator ----

struct PredObj : Object {
  Value fn, src;
  bool flag = false;  // dropwhile: done dropping; takewhile: done taking
  PredObj(Type* t, Value f, Value s) : Object(t), fn(std::move(f)), src(std::move(s)) {}
};

Value pred_new(const Args& a, Type* t, const char* name) {
  if (!expect_args(a, name, 2)) return Value::raised();
  Value src = iter_of(a, 2);
  if (src.is_raised()) return src;
  return Value::adopt(new PredObj(t, a[1], std::move(src)));
}

// pred(item) as 1/0, -1 raised; filterfalse's None predicate is bool.
int test(const Value& fn, const Value& item) {
  if (fn.is_none()) return truthy(item);
  Value r = call(fn, {item});
  return r.is_raised() ? -1 : truthy(r);
}

Value dropwhile_new(const Args& a) { return pred_new(a, it.dropwhile, "dropwhile"); }
Value takewhile_new(const Args& a) { return pred_new(a, it.takewhile, "takewhile"); }
Value filterfalse_new(const Args& a) { return pred_new(a, it.filterfalse, "filterfalse"); }
Value starmap_new(const Args& a) { return pred_new(a, it.starmap, "starmap"); }

Value dropwhile_next(const Args& a) {
  auto* p = as<PredObj>(a[0]);
  for (;;) {
    Value item = next_or_stop(p->src);
    if (item.is_raised() || p->flag) return item;
    int t = test(p->fn, item);
    if (t < 0) return Value::raised();
    if (!t) {
      p->flag = true;
      return item;
    }
  }
}

Value takewhile_next(const Args& a) {
  auto* p = as<PredObj>(a[0]);
  if (p->flag) return stop_iteration();
  Value item = next_or_stop(p->src);
  if (item.is_raised()) return item;
  int t = test(p->fn, item);
  if (t < 0) return Value::raised();
  if (t) return item;
  p->flag = true;
  return stop_iteration();
}

Value filterfalse_next(const Args& a) {
  auto* p = as<PredObj>(a[0]);
  for (;;) {
    Value item = next_or_stop(p->src);
    if (item.is_raised()) return item;
    int t = test(p->fn, item);
    if (t < 0) return Value::raised();
    if (!t) return item;
  }
}

Value starmap_next(const Args& a) {
  auto* p = as<PredObj>(a[0]);
  Value item = next_or_stop(p->src);
  if (item.is_raised()) return item;
  std::vector<Value> args;
  if (!collect(item, args)) return Value::raised();
  Args ca;
  ca.pos = args.data();
  ca.npos = args.size();
  return call(p->fn, ca);
}

// ---- groupby(iterable, key=None) and its _grouper ----

struct GroupByObj : Object {
  Value src, keyfn, tgtkey, currkey, currvalue;
  bool has_tgt = false, has_key = false, has_value = false;
  const Object* current = nullptr;  // the live _grouper (identity only)
  GroupByObj(Value s, Value k) : Object(it.groupby), src(std::move(s)), keyfn(std::move(k)) {}
};

struct GrouperObj : Object {
  Value parent, tgtkey;
  GrouperObj(Value p, Value k) : Object(it.grouper), parent(std::move(p)), tgtkey(std::move(k)) {}
};

Value groupby_new(const Args& a) {
  const Value* iterable = required_arg(a, 1, "groupby", "iterable");
  if (!iterable) return Value::raised();
  const Value* key = arg_or_kw(a, 2, "key");
  Value src = get_iter(*iterable);
  if (src.is_raised()) return src;
  return Value::adopt(new GroupByObj(std::move(src), key ? *key : Value()));
}

// Reads the next value and its key; false with raised() or StopIteration pending.
bool groupby_step(GroupByObj* g) {
  Value v = next_or_stop(g->src);
  if (v.is_raised()) return false;
  Value k = g->keyfn.is_none() ? v : call(g->keyfn, {v});
  if (k.is_raised()) return false;
  g->currvalue = std::move(v);
  g->currkey = std::move(k);
  g->has_value = g->has_key = true;
  return true;
}

Value groupby_next(const Args& a) {
  auto* g = as<GroupByObj>(a[0]);
  g->current = nullptr;
  // Skip the rest of the current group.
  for (;;) {
    if (g->has_key) {
      if (!g->has_tgt) break;
      int eq = equals(g->tgtkey, g->currkey);
      if (eq < 0) return Value::raised();
      if (!eq) break;
    }
    if (!groupby_step(g)) return Value::raised();
  }
  g->tgtkey = g->currkey;
  g->has_tgt = true;
  auto* grouper = new GrouperObj(a[0], g->tgtkey);
  g->current = grouper;
  return new_tuple({g->currkey, Value::adopt(grouper)});
}

Value grouper_new(const Args&) { return raise(exc.TypeError, "cannot create 'itertools._grouper' instances"); }

Value grouper_next(const Args& a) {
  auto* gr = as<GrouperObj>(a[0]);
  auto* g = as<GroupByObj>(gr->parent);
  if (g->current != gr) return stop_iteration();
  if (!g->has_value && !groupby_step(g)) return Value::raised();
  int eq = equals(gr->tgtkey, g->currkey);
  if (eq < 0) return Value::raised();
  if (!eq) return stop_iteration();
  g->has_value = false;
  return std::exchange(g->currvalue, Value());
}

// ---- islice(iterable, stop) / islice(iterable, start, stop[, step]) ----

struct IsliceObj : Object {
  Value src;  // None once exhausted
  int64_t next, stop, step, cnt = 0;  // stop -1: no limit
  IsliceObj(Value s, int64_t n, int64_t e, int64_t st) : Object(it.islice), src(std::move(s)), next(n), stop(e), step(st) {}
};

// An islice index: None gives `dflt`; false after raising ValueError with `msg`.
bool slice_index(const Value& v, int64_t dflt, const char* msg, int64_t& out) {
  if (v.is_none()) { out = dflt; return true; }
  if (v.is_int() || v.is_bool() || type_lookup(type_of(v), intern("__index__"))) {
    if (!index_of(v, out)) return false;
    if (out >= 0) return true;
  }
  raise(exc.ValueError, msg);
  return false;
}

Value islice_new(const Args& a) {
  static const char* kStopMsg = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
  static const char* kIndexMsg = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
  if (!no_kwargs(a, "islice") || !check_args(a, "islice", 3, 5)) return Value::raised();
  int64_t start = 0, stop = -1, step = 1;
  if (a.npos == 3) {
    if (!slice_index(a[2], -1, kStopMsg, stop)) return Value::raised();
  } else {
    if (!slice_index(a[2], 0, kIndexMsg, start) || !slice_index(a[3], -1, kStopMsg, stop)) return Value::raised();
    if (a.npos == 5) {
      if (!slice_index(a[4], 1, "Step for islice() must be a positive integer or None.", step)) return Value::raised();
      if (step == 0) return raise(exc.ValueError, "Step for islice() must be a positive integer or None.");
    }
  }
  Value src = iter_of(a, 1);
  if (src.is_raised()) return src;
  return Value::adopt(new IsliceObj(std::move(src), start, stop, step));
}

Value islice_next(const Args& a) {
  auto* s = as<IsliceObj>(a[0]);
  if (s->src.is_none()) return stop_iteration();
  for (; s->cnt < s->next; s->cnt++) {
    Value skipped;
    if (!next_item(s->src, skipped)) {
      s->src = Value();
      return skipped.is_raised() ? skipped : stop_iteration();
    }
  }
  if (s->stop != -1 && s->cnt >= s->stop) {
    s->src = Value();
    return stop_iteration();
  }
  Value item;
  if (!next_item(s->src, item)) {
    s->src = Value();
    return item.is_raised() ? item : stop_iteration();
  }
  s->cnt++;
  int64_t old = s->next;
  s->next += s->step;
  if (s->next < old || (s->stop != -1 && s->next > s->stop)) s->next = s->stop;
  return item;
}

// ---- pairwise(iterable) ----

struct PairwiseObj : Object {
  Value src, prev;
  bool started = false;
  explicit PairwiseObj(Value s) : Object(it.pairwise), src(std::move(s)) {}
};

Value pairwise_new(const Args& a) {
  if (!expect_args(a, "pairwise", 1)) return Value::raised();
  Value src = iter_of(a, 1);
  if (src.is_raised()) return src;
  return Value::adopt(new PairwiseObj(std::move(src)));
}

Value pairwise_next(const Args& a) {
  auto* p = as<PairwiseObj>(a[0]);
  if (!p->started) {
    p->prev = next_or_stop(p->src);
    if (p->prev.is_raised()) return p->prev;
    p->started = true;
  }
  Value item = next_or_stop(p->src);
  if (item.is_raised()) return item;
  Value prev = std::exchange(p->prev, item);
  return new_tuple({std::move(prev), std::move(item)});
}

// ---- tee(iterable, n=2): iterators sharing one buffer, a linked list each reader walks ----

struct TeeLink {
  Value value;
  bool filled = false;
  std::shared_ptr<TeeLink> next;
  TeeLink() = default;
  TeeLink(const TeeLink&) = delete;
  TeeLink& operator=(const TeeLink&) = delete;
  // Frees a long unread chain iteratively instead of by recursive destructors.
  ~TeeLink() {
    std::shared_ptr<TeeLink> n = std::move(next);
    while (n && n.use_count() == 1) n = std::move(n->next);
  }
};

struct TeeSource {
  Value src;  // None once exhausted
};

struct TeeObj : Object {
  std::shared_ptr<TeeSource> source;
  std::shared_ptr<TeeLink> link;  // the next value to read
  TeeObj(std::shared_ptr<TeeSource> s, std::shared_ptr<TeeLink> l) : Object(it.tee), source(std::move(s)), link(std::move(l)) {}
};

Value tee_new(const Args&) { return raise(exc.TypeError, "cannot create 'itertools._tee' instances"); }

Value tee_next(const Args& a) {
  auto* t = as<TeeObj>(a[0]);
  if (!t->link->filled) {
    if (t->source->src.is_none()) return stop_iteration();
    Value item;
    if (!next_item(t->source->src, item)) {
      if (!item.is_raised()) t->source->src = Value();
      return item.is_raised() ? item : stop_iteration();
    }
    t->link->value = std::move(item);
    t->link->filled = true;
    t->link->next = std::make_shared<TeeLink>();
  }
  Value v = t->link->value;
  t->link = t->link->next;
  return v;
}

Value tee_copy(const Args& a) {
  auto* t = as<TeeObj>(a[0]);
  return Value::adopt(new TeeObj(t->source, t->link));
}

Value itertools_tee(const Args& a) {
  if (!check_args(a, "tee", 1, 2) || !no_kwargs(a, "tee")) return Value::raised();
  int64_t n = 2;
  if (a.npos == 2 && !index_of(a[1], n)) return Value::raised();
  if (n < 0) return raise(exc.ValueError, "n must be >= 0");
  std::vector<Value> out;
  if (n == 0) return new_tuple(std::move(out));
  Value first;
  if (is_exact(a[0], it.tee)) {
    first = a[0];
  } else {
    Value src = get_iter(a[0]);
    if (src.is_raised()) return src;
    auto source = std::make_shared<TeeSource>(TeeSource{std::move(src)});
    first = Value::adopt(new TeeObj(source, std::make_shared<TeeLink>()));
  }
  auto* t = as<TeeObj>(first);
  for (int64_t i = 0; i < n; i++) out.push_back(Value::adopt(new TeeObj(t->source, t->link)));
  return new_tuple(std::move(out));
}

// ---- zip_longest(*iterables, fillvalue=None) ----

struct ZipLongestObj : Object {
  std::vector<Value> its;  // None for an exhausted one
  size_t active;
  Value fill;
  ZipLongestObj(std::vector<Value>&& i, Value f) : Object(it.zip_longest), its(std::move(i)), active(its.size()), fill(std::move(f)) {}
};

Value zip_longest_new(const Args& a) {
  Value fill;
  for (size_t i = 0; i < a.nkw(); i++) {
    if (str_of((*a.kwnames)[i]) != "fillvalue") return raise(exc.TypeError, "zip_longest() got an unexpected keyword argument '" + str_of((*a.kwnames)[i]) + "'");
    fill = a.kwvals[i];
  }
  std::vector<Value> its;
  for (size_t i = 1; i < a.npos; i++) {
    Value s = iter_of(a, i);
    if (s.is_raised()) return s;
    its.push_back(std::move(s));
  }
  return Value::adopt(new ZipLongestObj(std::move(its), std::move(fill)));
}

Value zip_longest_next(const Args& a) {
  auto* z = as<ZipLongestObj>(a[0]);
  if (z->active == 0) return stop_iteration();
  std::vector<Value> items;
  items.reserve(z->its.size());
  for (Value& src : z->its) {
    if (src.is_none()) {
      items.push_back(z->fill);
      continue;
    }
    Value item;
    if (next_item(src, item)) {
      items.push_back(std::move(item));
      continue;
    }
    if (item.is_raised()) return item;
    src = Value();
    if (--z->active == 0) return stop_iteration();
    items.push_back(z->fill);
  }
  return new_tuple(std::move(items));
}

// ---- product, permutations, combinations, combinations_with_replacement ----

// State shared by the combinatoric iterators: the pools, index vectors and whether the first
// result has been produced.
struct PoolObj : Object {
  std::vector<std::vector<Value>> pools;  // product: one per factor; the others: one
  std::vector<size_t> indices, cycles;
  size_t r = 0;
  bool first = true, done = false;
  explicit PoolObj(Type* t) : Object(t) {}
  const std::vector<Value>& pool() const { return pools[0]; }
  // product indexes pool i at position i; the others pick from their one pool.
  Value result() const {
    bool per_position = type == it.product;
    std::vector<Value> items;
    items.reserve(r);
    for (size_t i = 0; i < r; i++) items.push_back((per_position ? pools[i] : pool())[indices[i]]);
    return new_tuple(std::move(items));
  }
};

Value product_new(const Args& a) {
  int64_t repeat = 1;
  for (size_t i = 0; i < a.nkw(); i++) {
    if (str_of((*a.kwnames)[i]) != "repeat") return raise(exc.TypeError, "product() got an unexpected keyword argument '" + str_of((*a.kwnames)[i]) + "'");
    repeat = count_arg(a.kwvals[i]);
    if (repeat == -1) return Value::raised();
    if (repeat == -2) return raise(exc.ValueError, "repeat argument cannot be negative");
  }
  auto* p = new PoolObj(it.product);
  Value pv = Value::adopt(p);
  std::vector<std::vector<Value>> factors(a.npos - 1);
  for (size_t i = 1; i < a.npos; i++)
    if (!collect(a[i], factors[i - 1])) return Value::raised();
  for (int64_t k = 0; k < repeat; k++)
    for (auto& f : factors) p->pools.push_back(f);
  p->r = p->pools.size();
  p->indices.assign(p->r, 0);
  for (auto& pool : p->pools)
    if (pool.empty()) p->done = true;
  return pv;
}

Value product_next(const Args& a) {
  auto* p = as<PoolObj>(a[0]);
  if (p->done) return stop_iteration();
  if (p->first) {
    p->first = false;
    return p->result();
  }
  size_t i = p->r;
  while (i-- > 0) {
    if (++p->indices[i] < p->pools[i].size()) return p->result();
    p->indices[i] = 0;
  }
  p->done = true;
  return stop_iteration();
}

// The (iterable, r) arguments of permutations/combinations; r_required: combinations need r.
Value pool_new(const Args& a, Type* t, const char* name, bool r_required) {
  const Value* iterable = required_arg(a, 1, name, "iterable");
  if (!iterable) return Value::raised();
  const Value* rv = r_required ? required_arg(a, 2, name, "r") : arg_or_kw(a, 2, "r");
  if (r_required && !rv) return Value::raised();
  auto* p = new PoolObj(t);
  Value pv = Value::adopt(p);
  p->pools.emplace_back();
  if (!collect(*iterable, p->pools[0])) return Value::raised();
  int64_t r = (int64_t)p->pool().size();
  if (rv && !rv->is_none()) {
    r = count_arg(*rv);
    if (r == -1) return Value::raised();
    if (r == -2) return raise(exc.ValueError, "r must be non-negative");
  }
  p->r = (size_t)r;
  return pv;
}

Value permutations_new(const Args& a) {
  Value pv = pool_new(a, it.permutations, "permutations", false);
  if (pv.is_raised()) return pv;
  auto* p = as<PoolObj>(pv);
  size_t n = p->pool().size();
  if (p->r > n) p->done = true;
  for (size_t i = 0; i < n; i++) p->indices.push_back(i);
  for (size_t i = 0; i < p->r && !p->done; i++) p->cycles.push_back(n - i);
  return pv;
}

Value permutations_next(const Args& a) {
  auto* p = as<PoolObj>(a[0]);
  if (p->done) return stop_iteration();
  if (p->first) {
    p->first = false;
    return p->result();
  }
  size_t n = p->pool().size();
  for (size_t i = p->r; n > 0 && i-- > 0;) {
    if (--p->cycles[i] == 0) {
      // Rotate indices[i:] left by one.
      size_t moved = p->indices[i];
      p->indices.erase(p->indices.begin() + i);
      p->indices.push_back(moved);
      p->cycles[i] = n - i;
    } else {
      std::swap(p->indices[i], p->indices[n - p->cycles[i]]);
      return p->result();
    }
  }
  p->done = true;
  return stop_iteration();
}

Value combinations_new(const Args& a) {
  Value pv = pool_new(a, it.combinations, "combinations", true);
  if (pv.is_raised()) return pv;
  auto* p = as<PoolObj>(pv);
  if (p->r > p->pool().size()) p->done = true;
  for (size_t i = 0; i < p->r; i++) p->indices.push_back(i);
  return pv;
}

Value combinations_next(const Args& a) {
  auto* p = as<PoolObj>(a[0]);
  if (p->done) return stop_iteration();
  if (p->first) {
    p->first = false;
    return p->result();
  }
  size_t n = p->pool().size(), r = p->r, i = r;
  while (i-- > 0)
    if (p->indices[i] != i + n - r) break;
  if (i == SIZE_MAX) {
    p->done = true;
    return stop_iteration();
  }
  p->indices[i]++;
  for (size_t j = i + 1; j < r; j++) p->indices[j] = p->indices[j - 1] + 1;
  return p->result();
}

Value cwr_new(const Args& a) {
  Value pv = pool_new(a, it.cwr, "combinations_with_replacement", true);
  if (pv.is_raised()) return pv;
  auto* p = as<PoolObj>(pv);
  if (p->pool().empty() && p->r) p->done = true;
  p->indices.assign(p->r, 0);
  return pv;
}

Value cwr_next(const Args& a) {
  auto* p = as<PoolObj>(a[0]);
  if (p->done) return stop_iteration();
  if (p->first) {
    p->first = false;
    return p->result();
  }
  size_t n = p->pool().size(), i = p->r;
  while (i-- > 0)
    if (p->indices[i] != n - 1) break;
  if (i == SIZE_MAX) {
    p->done = true;
    return stop_iteration();
  }
  size_t v = p->indices[i] + 1;
  for (size_t j = i; j < p->r; j++) p->indices[j] = v;
  return p->result();
}

}  // namespace

void init_itertools(const Value& module) {
  struct Entry { Type** slot; const char* name; NativeFn make, next; };
  static const Entry entries[] = {
      {&it.count, "count", count_new, count_next},
      {&it.cycle, "cycle", cycle_new, cycle_next},
      {&it.repeat, "repeat", repeat_new, repeat_next},
      {&it.accumulate, "accumulate", accumulate_new, accumulate_next},
      {&it.chain, "chain", chain_new, chain_next},
      {&it.compress, "compress", compress_new, compress_next},
      {&it.dropwhile, "dropwhile", dropwhile_new, dropwhile_next},
      {&it.takewhile, "takewhile", takewhile_new, takewhile_next},
      {&it.filterfalse, "filterfalse", filterfalse_new, filterfalse_next},
      {&it.starmap, "starmap", starmap_new, starmap_next},
      {&it.groupby, "groupby", groupby_new, groupby_next},
      {&it.grouper, "_grouper", grouper_new, grouper_next},
      {&it.islice, "islice", islice_new, islice_next},
      {&it.pairwise, "pairwise", pairwise_new, pairwise_next},
      {&it.tee, "_tee", tee_new, tee_next},
      {&it.zip_longest, "zip_longest", zip_longest_new, zip_longest_next},
      {&it.product, "product", product_new, product_next},
      {&it.permutations, "permutations", permutations_new, permutations_next},
      {&it.combinations, "combinations", combinations_new, combinations_next},
      {&it.cwr, "combinations_with_replacement", cwr_new, cwr_next},
  };
  DictObj* d = module_dict(module);
  for (const Entry& e : entries) {
    if (!*e.slot) *e.slot = new_iter_type(e.name, e.make, e.next, "itertools");
    dict_set_str(d, intern(e.name), Value::borrow(*e.slot));
  }
  add_method(it.count, "__repr__", count_repr);
  add_method(it.repeat, "__repr__", repeat_repr);
  add_classmethod(it.chain, "from_iterable", chain_from_iterable);
  add_method(it.tee, "__copy__", tee_copy);
  add_function(module, "tee", itertools_tee);
}

}  // namespace aio
