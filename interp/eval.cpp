// Expression evaluation: a direct recursive walk of the tree, with no allocation per node for
// the common cases (locals, small-int arithmetic, method calls with positional arguments).
#include "interp/eval.h"

#include <algorithm>
#include <new>

#include "interp/bytes.h"
#include "interp/class.h"
#include "interp/complex.h"
#include "interp/match.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/fast_ops.h"
#include "interp/generator.h"
#include "interp/int.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/set.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "interp/types.h"

namespace aio {

namespace {

constexpr size_t kInlineArgs = 8;  // calls with up to this many arguments use a stack buffer
// eval is a thin switch: every case that needs locals is a [[gnu::noinline]] helper it tail-calls,
// so a level of the walk saves no registers and grows no stack frame of its own.

Value unbound_local(Name* n) {
  return raise(exc.UnboundLocalError,
               "cannot access local variable '" + n->id + "' where it is not associated with a value");
}

Value name_error(const std::string& id) {
  Value e = make_exception(exc.NameError, {new_str("name '" + id + "' is not defined")});
  return raise_value(e);
}

Value call_expr(Call* c, Frame* f, Frame** coroutine = nullptr);
Value binop(BinOp* b, Frame* f);

// The most common operands (bound locals, constants, temporaries, calls, arithmetic) without a
// trip through eval's dispatch: a chain of tests, each predicted well at its own call site,
// rather than an indirect jump that mispredicts often.
inline Value operand(Expr* e, Frame* f) {
  ExprKind k = e->kind;
  if (k == ExprKind::Name) {
    auto* n = static_cast<Name*>(e);
    if (n->scope == Scope::Local && !f->slots[n->slot].is_raised()) return f->slots[n->slot];
    if (n->scope == Scope::Global || n->scope == Scope::Builtin) return load_global(f, n);
    return eval(e, f);
  }
  if (k == ExprKind::Constant) return static_cast<Constant*>(e)->value;
  if (k == ExprKind::Temp) return f->slots[static_cast<TempRef*>(e)->slot];
  if (k == ExprKind::Call) return call_expr(static_cast<Call*>(e), f);
  if (k == ExprKind::BinOp) return binop(static_cast<BinOp*>(e), f);
  return eval(e, f);
}

[[gnu::noinline]] Value load_name(Name* n, Frame* f) {
  switch (n->scope) {
    case Scope::Local: {
      const Value& v = f->slots[n->slot];
      if (v.is_raised()) return unbound_local(n);
      return v;
    }
    case Scope::Cell: {
      auto* c = as<CellObj>(f->slots[n->slot]);
      if (c->empty)
        return raise(exc.NameError, "cannot access free variable '" + n->id +
                                        "' where it is not associated with a value in enclosing scope");
      return c->value;
    }
    case Scope::ClassBody: {
      Value v;
      int r = class_ns_load(f->extras->locals_dict, n->interned, v);
      if (r) return r > 0 ? v : Value::raised();
      return load_global(f, n);
    }
    default: return load_global(f, n);
  }
}

bool store_to_name(Name* n, const Value& v, Frame* f) {
  switch (n->scope) {
    case Scope::Local: f->slots[n->slot] = v; return true;
    case Scope::Cell: {
      auto* c = as<CellObj>(f->slots[n->slot]);
      c->value = v;
      c->empty = false;
      return true;
    }
    case Scope::ClassBody: return class_ns_store(f->extras->locals_dict, n->interned, v);
    default: dict_set_str(f->globals(), n->interned, v); return true;
  }
}

[[gnu::noinline]] Value fstring(JoinedStr* j, Frame* f) {
  std::string out;
  for (auto& part : j->parts) {
    if (part->kind == ExprKind::Constant) {
      out += str_of(static_cast<Constant*>(part.get())->value);
      continue;
    }
    Value v = eval(part.get(), f);
    if (v.is_raised()) return v;
    out += str_of(v);
  }
  return new_str(std::move(out));
}

[[gnu::noinline]] Value formatted(FormattedValue* fv, Frame* f) {
  Value v = eval(fv->value.get(), f);
  if (v.is_raised()) return v;
  if (fv->conversion == 'r') v = repr(v);
  else if (fv->conversion == 'a') {
    v = repr(v);
    if (!v.is_raised()) v = new_str(ascii_escape(str_of(v)));
  }
  else if (fv->conversion == 's') v = to_str(v);
  if (v.is_raised()) return v;
  if (!fv->format_spec) {
    if (is_exact(v, types.str)) return v;  // a subclass may have its own __format__
    return format_value(v, intern(""));
  }
  Value spec = eval(fv->format_spec.get(), f);
  if (spec.is_raised()) return spec;
  return format_value(v, spec);
}

[[gnu::noinline]] Value bool_op(BoolOp* b, Frame* f) {
  Value v;
  for (auto& e : b->values) {
    v = eval(e.get(), f);
    if (v.is_raised()) return v;
    int t = truthy(v);
    if (t < 0) return Value::raised();
    if (b->is_and ? !t : t) return v;
  }
  return v;
}

// A comparison of one operator, as a condition: 1 true, 0 false, -1 raised.
int compare_once(Compare* c, Frame* f) {
  Value left = operand(c->left.get(), f);
  if (left.is_raised()) return -1;
  Value right = operand(c->comparators[0].get(), f);
  if (right.is_raised()) return -1;
  bool fast;
  if (fast_compare(c->ops[0], left, right, fast)) return fast;
  Value result = compare(c->ops[0], left, right);
  if (result.is_raised()) return -1;
  return result.is_bool() ? result.as_bool() : truthy(result);
}

[[gnu::noinline]] Value compare_chain(Compare* c, Frame* f) {
  Value left = operand(c->left.get(), f);
  if (left.is_raised()) return left;
  Value result;
  for (size_t i = 0; i < c->ops.size(); i++) {
    Value right = operand(c->comparators[i].get(), f);
    if (right.is_raised()) return right;
    bool fast;
    if (fast_compare(c->ops[i], left, right, fast)) {
      result = Value::boolean(fast);
    } else {
      result = compare(c->ops[i], left, right);
      if (result.is_raised()) return result;
    }
    if (i + 1 < c->ops.size()) {
      int t = result.is_bool() ? result.as_bool() : truthy(result);
      if (t < 0) return Value::raised();
      if (!t) return result;
      left = std::move(right);
    }
  }
  return result;
}

[[gnu::noinline]] Value binop(BinOp* b, Frame* f) {
  Value l = operand(b->left.get(), f);
  if (l.is_raised()) return l;
  Value r = operand(b->right.get(), f);
  if (r.is_raised()) return r;
  Value out;
  if (fast_binop(b->op, l, r, out)) return out;
  return binary_op(b->op, l, r);
}

// `cur op= rhs` once both are evaluated.
Value augmented(BinOpKind op, const Value& cur, const Value& rhs) {
  Value out;
  if (fast_binop(op, cur, rhs, out)) return out;
  return inplace_op(op, cur, rhs);
}

// Appends an iterable's items (for *args and [*a] forms).
bool extend_from(std::vector<Value>& out, const Value& it) {
  if (is_exact(it, types.list) || is_exact(it, types.tuple)) {
    auto& items = is_exact(it, types.list) ? list_items(it) : tuple_items(it);
    out.insert(out.end(), items.begin(), items.end());
    return true;
  }
  return collect(it, out);
}

bool eval_elements(std::vector<ExprP>& elts, Frame* f, std::vector<Value>& out) {
  out.reserve(elts.size());
  for (auto& e : elts) {
    if (e->kind == ExprKind::Starred) {
      Value v = eval(static_cast<UnaryExpr*>(e.get())->value.get(), f);
      if (v.is_raised()) return false;
      if (!extend_from(out, v)) {
        if (exception_matches(exc.TypeError)) {
          take_exception();
          raise(exc.TypeError, "Value after * must be an iterable, not " + type_name(v));
        }
        return false;
      }
      continue;
    }
    Value v = eval(e.get(), f);
    if (v.is_raised()) return false;
    out.push_back(std::move(v));
  }
  return true;
}

[[gnu::noinline]] Value sequence_display(Sequence* s, Frame* f) {
  std::vector<Value> items;
  if (!eval_elements(s->elts, f, items)) return Value::raised();
  if (s->kind == ExprKind::List) return new_list(std::move(items));
  if (s->kind == ExprKind::Tuple) return new_tuple(std::move(items));
  Value set = new_set();
  for (auto& x : items)
    if (!set_add(as<SetObj>(set), x)) return Value::raised();
  return set;
}

[[gnu::noinline]] Value dict_display(Dict* d, Frame* f) {
  Value out = new_dict();
  DictObj* dict = as_dict(out);
  for (size_t i = 0; i < d->keys.size(); i++) {
    if (!d->keys[i]) {
      Value m = eval(d->values[i].get(), f);
      if (m.is_raised()) return m;
      if (!dict_update(dict, m)) return Value::raised();
      continue;
    }
    Value k = eval(d->keys[i].get(), f);
    if (k.is_raised()) return k;
    Value v = eval(d->values[i].get(), f);
    if (v.is_raised()) return v;
    if (!dict_set(dict, k, std::move(v))) return Value::raised();
  }
  return out;
}

// Calls with *args or **kwargs: build the full argument lists first.
[[gnu::noinline]] Value call_general(Call* c, const Value& fn, Value* self, Frame* f) {
  std::vector<Value> pos;
  if (self) pos.push_back(*self);
  if (!eval_elements(c->args, f, pos)) return Value::raised();
  std::vector<Value> kwnames, kwvals;
  for (auto& k : c->keywords) {
    Value v = eval(k.value.get(), f);
    if (v.is_raised()) return v;
    if (!k.name.empty()) {
      kwnames.push_back(intern(k.name));
      kwvals.push_back(std::move(v));
      continue;
    }
    if (!is_exact(v, types.dict)) {
      Value d = new_dict();
      if (!dict_update(as_dict(d), v)) {
        take_exception();
        return raise(exc.TypeError, "argument after ** must be a mapping, not " + type_name(v));
      }
      v = d;
    }
    size_t pos_i = 0;
    const DictObj::Entry* e;
    while (dict_next(as_dict(v), pos_i, e)) {
      if (!is_str(e->key)) return raise(exc.TypeError, "keywords must be strings");
      for (auto& existing : kwnames)
        if (str_of(existing) == str_of(e->key)) {
          Value fname = getattr(fn, "__qualname__");
          std::string nm = fname.is_raised() ? type_name(fn) : str_of(fname);
          if (fname.is_raised()) take_exception();
          return raise(exc.TypeError, nm + "() got multiple values for keyword argument '" + str_of(e->key) + "'");
        }
      kwnames.push_back(intern(str_of(e->key)));
      kwvals.push_back(e->value);
    }
  }
  Args a;
  a.pos = pos.data();
  a.npos = pos.size();
  if (!kwnames.empty()) {
    a.kwnames = &kwnames;
    a.kwvals = kwvals.data();
  }
  return call(fn, a);
}

// The value slot for obj.name in obj's attribute dict, when the site's cache still applies.
Value* cached_attr(Attribute* a, const Value& obj) {
  if (!obj.is_obj() || obj.obj()->type != a->cache_type || a->cache_epoch != type_epoch) return nullptr;
  DictObj* d = obj.obj()->attr_dict();
  return d ? dict_entry_value(d, a->cache_entry, a->interned) : nullptr;
}

// After the general protocol ran: remember where the name sits when the instance dict decides it.
void fill_attr_cache(Attribute* a, const Value& obj) {
  if (!obj.is_obj()) return;
  DictObj* d = obj.obj()->attr_dict();
  if (!d || !instance_attr_is_plain(obj.obj()->type, a->interned)) return;
  int64_t entry = dict_str_entry(d, a->interned);
  if (entry < 0) return;
  a->cache_type = obj.obj()->type;
  a->cache_epoch = type_epoch;
  a->cache_entry = (uint32_t)entry;
}

Value load_attr(Attribute* a, const Value& obj) {
  if (Value* v = cached_attr(a, obj)) return *v;
  Value v = getattr(obj, a->interned);
  if (!v.is_raised()) fill_attr_cache(a, obj);
  return v;
}

bool store_attr(Attribute* a, const Value& obj, Value v) {
  if (Value* slot = cached_attr(a, obj)) {
    std::swap(*slot, v);  // the old value dies after the store, as dict_set_str does it
    return true;
  }
  if (!setattr(obj, a->interned, std::move(v))) return false;
  fill_attr_cache(a, obj);
  return true;
}

// True when obj's own attribute dict holds name (it then hides the class's method).
bool shadowed_by_instance(const Value& obj, const Value& name) {
  DictObj* d = obj.obj()->attr_dict();
  return d && dict_find_str(d, name);
}

// A script function called with exactly its positional parameters: the arguments go straight
// into the new frame's slots, with no argument list in between. nullptr: an argument raised.
Frame* bind_direct(FunctionObj* fn, Call* c, Value* self, Frame* f) {
  Frame* frame = Frame::create(fn->code.get(), fn);
  Value* slot = frame->slots;
  if (self) *slot++ = std::move(*self);
  for (auto& a : c->args) {
    Value v = operand(a.get(), f);
    if (v.is_raised()) {
      Frame::destroy(frame);
      return nullptr;
    }
    *slot++ = std::move(v);
  }
  if (fn->code->has_cells) bind_cells(fn, frame);
  return frame;
}

bool takes_direct_call(const Value& fn, size_t nargs) {
  if (!fn.is_obj() || fn.obj()->type != types.function) return false;
  const Params& p = static_cast<FunctionObj*>(fn.obj())->code->params;
  return p.positional_only_shape() && (size_t)p.nargs == nargs;
}

// The callee of a call: globals (the common case: a module-level function) without eval's dispatch.
Value callee(Expr* e, Frame* f) {
  if (e->kind == ExprKind::Name && static_cast<Name*>(e)->scope == Scope::Global) return load_global(f, static_cast<Name*>(e));
  return eval(e, f);
}

// Argument storage for one call: a Value is constructed only when an argument is pushed.
class ArgBuffer {
 public:
  explicit ArgBuffer(size_t capacity)
      : data_(capacity <= kInlineArgs ? reinterpret_cast<Value*>(inline_)
                                      : static_cast<Value*>(::operator new(capacity * sizeof(Value)))) {}
  ArgBuffer(const ArgBuffer&) = delete;
  ArgBuffer& operator=(const ArgBuffer&) = delete;
  ~ArgBuffer() {
    for (size_t i = 0; i < n_; i++) data_[i].~Value();
    if (data_ != reinterpret_cast<Value*>(inline_)) ::operator delete(data_);
  }
  void push(Value&& v) { new (data_ + n_++) Value(std::move(v)); }
  Value* data() { return data_; }
  size_t size() const { return n_; }

 private:
  alignas(Value) unsigned char inline_[kInlineArgs * sizeof(Value)];
  Value* data_;
  size_t n_ = 0;
};

// A call's positional and keyword arguments gathered into a buffer for call().
[[gnu::noinline]] Value call_with_args(Call* c, const Value& fn, Value* self, Frame* f) {
  ArgBuffer buf(c->args.size() + c->keywords.size() + (self ? 1 : 0));
  if (self) buf.push(std::move(*self));
  for (auto& a : c->args) {
    Value v = operand(a.get(), f);
    if (v.is_raised()) return v;
    buf.push(std::move(v));
  }
  size_t npos = buf.size();
  for (auto& k : c->keywords) {
    Value v = eval(k.value.get(), f);
    if (v.is_raised()) return v;
    buf.push(std::move(v));
  }
  Args a;
  a.pos = buf.data();
  a.npos = npos;
  if (!c->keywords.empty()) {
    a.kwnames = &c->kwnames;
    a.kwvals = buf.data() + npos;
  }
  return call(fn, a);
}

// Calls fn (with self first, for a method found on the type) with the call's arguments.
// `coroutine` (for `await f(...)`): when f is a script coroutine function called directly, its
// bound frame is left there instead of a coroutine object being made (the result is then None).
inline Value call_value(Call* c, const Value& fn, Value* self, Frame* f, Frame** coroutine) {
  if (!c->simple) return call_general(c, fn, self, f);
  if (c->keywords.empty() && takes_direct_call(fn, c->args.size() + (self ? 1 : 0))) {
    auto* fo = static_cast<FunctionObj*>(fn.obj());
    Frame* bound = bind_direct(fo, c, self, f);
    if (!bound) return Value::raised();
    if (coroutine && (fo->code->flags & kCoroutine)) {
      *coroutine = bound;
      return Value();
    }
    return call_bound(fo, bound);
  }
  return call_with_args(c, fn, self, f);
}

// obj.name(...): find a plain function on the type and pass obj along, with no bound method.
[[gnu::noinline]] Value call_method_expr(Call* c, Attribute* at, Frame* f, Frame** coroutine) {
  Value obj = operand(at->value.get(), f);
  if (obj.is_raised()) return obj;
  Type* t = type_of(obj);
  Value* found = nullptr;
  if (t != types.module && t != types.super && !is_subtype(t, types.type)) found = type_lookup(t, at->interned);
  if (found && found->is_obj() &&
      (found->obj()->type == types.function ||
       (found->obj()->type == types.native && as<NativeObj>(*found)->binds())) &&
      !(obj.is_obj() && !t->is_native && shadowed_by_instance(obj, at->interned))) {
    Value fn = *found;
    return call_value(c, fn, &obj, f, coroutine);
  }
  Value fn = load_attr(at, obj);  // a module's function: through the site's cache
  if (fn.is_raised()) return fn;
  return call_value(c, fn, nullptr, f, coroutine);
}

[[gnu::noinline]] Value call_expr(Call* c, Frame* f, Frame** coroutine) {
  if (c->func->kind == ExprKind::Attribute)
    return call_method_expr(c, static_cast<Attribute*>(c->func.get()), f, coroutine);
  Value fn = callee(c->func.get(), f);
  if (fn.is_raised()) return fn;
  return call_value(c, fn, nullptr, f, coroutine);
}

[[gnu::noinline]] Value comprehension(Comp* c, Frame* f) {
  Value first = eval(c->generators[0].iter.get(), f);
  if (first.is_raised()) return first;
  Value it = c->generators[0].is_async ? get_aiter(first) : get_iter(first);
  if (it.is_raised()) return it;
  Value fn = make_closure(c->fn->code, nullptr, f);
  if (fn.is_raised()) return fn;
  return call(fn, {it});
}

[[gnu::noinline]] Value subscript_index(Expr* index, Frame* f) {
  if (index->kind != ExprKind::Slice) return operand(index, f);
  auto* s = static_cast<Slice*>(index);
  Value parts[3];
  Expr* exprs[3] = {s->lower.get(), s->upper.get(), s->step.get()};
  for (int i = 0; i < 3; i++) {
    if (!exprs[i]) continue;
    parts[i] = eval(exprs[i], f);
    if (parts[i].is_raised()) return parts[i];
  }
  return new_slice(parts[0], parts[1], parts[2]);
}

[[gnu::noinline]] bool unpack(std::vector<ExprP>& targets, const Value& v, Frame* f) {
  std::vector<Value> items;
  if (is_exact(v, types.tuple) || is_exact(v, types.list)) {
    items = is_exact(v, types.tuple) ? tuple_items(v) : list_items(v);
  } else {
    Value it = get_iter(v);
    if (it.is_raised()) {
      if (exception_matches(exc.TypeError)) {
        take_exception();
        raise(exc.TypeError, "cannot unpack non-iterable " + type_name(v) + " object");
      }
      return false;
    }
    Value x;
    while (next_item(it, x)) items.push_back(std::move(x));
    if (x.is_raised()) return false;
  }
  size_t star = targets.size();
  for (size_t i = 0; i < targets.size(); i++)
    if (targets[i]->kind == ExprKind::Starred) star = i;
  size_t n = targets.size();
  if (star == n) {
    if (items.size() < n) {
      raise(exc.ValueError, "not enough values to unpack (expected " + std::to_string(n) + ", got " +
                                std::to_string(items.size()) + ")");
      return false;
    }
    if (items.size() > n) {
      raise(exc.ValueError, "too many values to unpack (expected " + std::to_string(n) + ")");
      return false;
    }
    for (size_t i = 0; i < n; i++)
      if (!assign(targets[i].get(), items[i], f)) return false;
    return true;
  }
  if (items.size() < n - 1) {
    raise(exc.ValueError, "not enough values to unpack (expected at least " + std::to_string(n - 1) + ", got " +
                              std::to_string(items.size()) + ")");
    return false;
  }
  size_t after = n - star - 1;
  for (size_t i = 0; i < star; i++)
    if (!assign(targets[i].get(), items[i], f)) return false;
  std::vector<Value> rest(items.begin() + star, items.end() - after);
  if (!assign(static_cast<UnaryExpr*>(targets[star].get())->value.get(), new_list(std::move(rest)), f)) return false;
  for (size_t i = 0; i < after; i++)
    if (!assign(targets[star + 1 + i].get(), items[items.size() - after + i], f)) return false;
  return true;
}

}  // namespace

int eval_condition(Expr* e, Frame* f) {
  if (e->kind == ExprKind::Compare && static_cast<Compare*>(e)->ops.size() == 1)
    return compare_once(static_cast<Compare*>(e), f);
  Value v = eval(e, f);
  if (v.is_raised()) return -1;
  return v.is_bool() ? v.as_bool() : truthy(v);
}

Value eval_awaited(Expr* e, Frame* f, Frame*& coroutine) {
  coroutine = nullptr;
  if (e->kind == ExprKind::Call) return call_expr(static_cast<Call*>(e), f, &coroutine);
  return eval(e, f);
}

// Name::builtins_version of a site whose cached entry is in the module dict: builtins cannot
// shadow it, so only the module dict's version is checked.
constexpr uint64_t kFoundInGlobals = ~uint64_t(0);

Value load_global(Frame* f, Name* n) {
  DictObj* globals = f->globals();
  if (n->cached && n->globals_version == globals->version &&
      (n->builtins_version == kFoundInGlobals || n->builtins_version == tstate->interp->builtins->version))
    return *n->cached;
  DictObj* builtins = tstate->interp->builtins;
  Value* v = dict_find_str(globals, n->interned);
  n->builtins_version = v ? kFoundInGlobals : builtins->version;
  if (!v) v = dict_find_str(builtins, n->interned);
  if (!v) return name_error(n->id);
  n->cached = v;
  n->globals_version = globals->version;
  return *v;
}

namespace {

[[gnu::noinline]] Value unary_expr(UnaryOp* u, Frame* f) {
  Value v = eval(u->operand.get(), f);
  if (v.is_raised()) return v;
  return unary_op(u->op, v);
}

[[gnu::noinline]] Value attribute_expr(Attribute* a, Frame* f) {
  Value v = operand(a->value.get(), f);
  if (v.is_raised()) return v;
  return load_attr(a, v);
}

[[gnu::noinline]] Value subscript_expr(Subscript* s, Frame* f) {
  Value v = operand(s->value.get(), f);
  if (v.is_raised()) return v;
  Value i = subscript_index(s->index.get(), f);
  if (i.is_raised()) return i;
  return getitem(v, i);
}

[[gnu::noinline]] Value if_expr(IfExp* i, Frame* f) {
  Value t = eval(i->test.get(), f);
  if (t.is_raised()) return t;
  int b = truthy(t);
  if (b < 0) return Value::raised();
  return eval(b ? i->body.get() : i->orelse.get(), f);
}

[[gnu::noinline]] Value named_expr(NamedExpr* n, Frame* f) {
  Value v = eval(n->value.get(), f);
  if (v.is_raised()) return v;
  if (!assign(n->target.get(), v, f)) return Value::raised();
  return v;
}

[[gnu::noinline]] Value lambda_expr(Lambda* l, Frame* f) {
  return make_closure(static_cast<FunctionDef*>(l->fn.get())->code, &l->args, f);
}

[[gnu::noinline]] Value misplaced(Expr* e) {
  if (e->kind == ExprKind::Starred) return raise(exc.SyntaxError, "can't use starred expression here");
  if (e->kind == ExprKind::Await || e->kind == ExprKind::Yield || e->kind == ExprKind::YieldFrom)
    return raise(exc.SystemError, "suspending expression was not lifted");
  return raise(exc.SystemError, "unknown expression");
}

}  // namespace

Value eval(Expr* e, Frame* f) {
  switch (e->kind) {
    case ExprKind::Constant: return static_cast<Constant*>(e)->value;
    case ExprKind::Name: {
      auto* n = static_cast<Name*>(e);
      if (n->scope == Scope::Local && !f->slots[n->slot].is_raised()) return f->slots[n->slot];
      return load_name(n, f);
    }
    case ExprKind::Temp: return f->slots[static_cast<TempRef*>(e)->slot];
    case ExprKind::MatchTest: return match_test(static_cast<MatchTest*>(e), f);
    case ExprKind::JoinedStr: return fstring(static_cast<JoinedStr*>(e), f);
    case ExprKind::FormattedValue: return formatted(static_cast<FormattedValue*>(e), f);
    case ExprKind::BinOp: return binop(static_cast<BinOp*>(e), f);
    case ExprKind::UnaryOp: return unary_expr(static_cast<UnaryOp*>(e), f);
    case ExprKind::BoolOp: return bool_op(static_cast<BoolOp*>(e), f);
    case ExprKind::Compare: return compare_chain(static_cast<Compare*>(e), f);
    case ExprKind::Call: return call_expr(static_cast<Call*>(e), f);
    case ExprKind::Attribute: return attribute_expr(static_cast<Attribute*>(e), f);
    case ExprKind::Subscript: return subscript_expr(static_cast<Subscript*>(e), f);
    case ExprKind::Slice: return subscript_index(e, f);
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Set: return sequence_display(static_cast<Sequence*>(e), f);
    case ExprKind::Dict: return dict_display(static_cast<Dict*>(e), f);
    case ExprKind::ListComp:
    case ExprKind::SetComp:
    case ExprKind::DictComp:
    case ExprKind::GeneratorExp: return comprehension(static_cast<Comp*>(e), f);
    case ExprKind::Lambda: return lambda_expr(static_cast<Lambda*>(e), f);
    case ExprKind::IfExp: return if_expr(static_cast<IfExp*>(e), f);
    case ExprKind::NamedExpr: return named_expr(static_cast<NamedExpr*>(e), f);
    case ExprKind::Starred:
    case ExprKind::Await:
    case ExprKind::Yield:
    case ExprKind::YieldFrom: break;
  }
  return misplaced(e);
}

bool assign(Expr* target, const Value& v, Frame* f) {
  switch (target->kind) {
    case ExprKind::Name: return store_to_name(static_cast<Name*>(target), v, f);
    case ExprKind::Attribute: {
      auto* a = static_cast<Attribute*>(target);
      Value obj = operand(a->value.get(), f);
      if (obj.is_raised()) return false;
      return store_attr(a, obj, v);
    }
    case ExprKind::Subscript: {
      auto* s = static_cast<Subscript*>(target);
      Value obj = eval(s->value.get(), f);
      if (obj.is_raised()) return false;
      Value i = subscript_index(s->index.get(), f);
      if (i.is_raised()) return false;
      return setitem(obj, i, v);
    }
    case ExprKind::Tuple:
    case ExprKind::List: return unpack(static_cast<Sequence*>(target)->elts, v, f);
    case ExprKind::Temp: f->slots[static_cast<TempRef*>(target)->slot] = v; return true;
    default:
      raise(exc.SyntaxError, "cannot assign to expression");
      return false;
  }
}

bool delete_target(Expr* target, Frame* f) {
  switch (target->kind) {
    case ExprKind::Name: {
      auto* n = static_cast<Name*>(target);
      switch (n->scope) {
        case Scope::Local:
          if (f->slots[n->slot].is_raised()) { unbound_local(n); return false; }
          f->slots[n->slot] = Value::raised();
          return true;
        case Scope::Cell: {
          auto* c = as<CellObj>(f->slots[n->slot]);
          c->value = Value();
          c->empty = true;
          return true;
        }
        default: {
          int r = n->scope == Scope::ClassBody ? class_ns_delete(f->extras->locals_dict, n->interned)
                                                : dict_del(f->globals(), n->interned) == Lookup::Found ? 1 : 0;
          if (r == 0) name_error(n->id);
          return r == 1;
        }
      }
    }
    case ExprKind::Attribute: {
      auto* a = static_cast<Attribute*>(target);
      Value obj = eval(a->value.get(), f);
      if (obj.is_raised()) return false;
      return delattr(obj, a->interned);
    }
    case ExprKind::Subscript: {
      auto* s = static_cast<Subscript*>(target);
      Value obj = eval(s->value.get(), f);
      if (obj.is_raised()) return false;
      Value i = subscript_index(s->index.get(), f);
      if (i.is_raised()) return false;
      return delitem(obj, i);
    }
    case ExprKind::Tuple:
    case ExprKind::List:
      for (auto& t : static_cast<Sequence*>(target)->elts)
        if (!delete_target(t.get(), f)) return false;
      return true;
    default:
      raise(exc.SyntaxError, "cannot delete expression");
      return false;
  }
}

namespace {

// Where a name's value is stored (nullptr for class bodies and unbound names).
Value* name_storage(Name* n, Frame* f) {
  switch (n->scope) {
    case Scope::Local: return &f->slots[n->slot];
    case Scope::Cell: return &as<CellObj>(f->slots[n->slot])->value;
    case Scope::ClassBody: return nullptr;
    default: return dict_find_str(f->globals(), n->interned);
  }
}

// `s += t` when s's variable and `cur` hold the only references to a str: append in place, as
// CPython does, so building a string in a loop is linear instead of quadratic.
bool append_in_place(AugAssign* a, Name* n, const Value& cur, const Value& rhs, Frame* f) {
  constexpr uint32_t kVariableAndCur = 2;
  if (a->op != BinOpKind::Add || !is_exact(cur, types.str) || !is_exact(rhs, types.str)) return false;
  auto* s = as<StrObj>(cur);
  if (s->refcount != kVariableAndCur || s->interned) return false;
  Value* home = name_storage(n, f);
  if (!home || !home->is(cur)) return false;
  str_append(s, as<StrObj>(rhs));
  return true;
}

}  // namespace

bool exec_augassign(AugAssign* a, Frame* f) {
  Expr* t = a->target.get();
  switch (t->kind) {
    case ExprKind::Name: {
      auto* n = static_cast<Name*>(t);
      Value cur = load_name(n, f);
      if (cur.is_raised()) return false;
      Value rhs = eval(a->value.get(), f);
      if (rhs.is_raised()) return false;
      if (append_in_place(a, n, cur, rhs, f)) return true;
      Value r = augmented(a->op, cur, rhs);
      if (r.is_raised()) return false;
      return store_to_name(n, r, f);
    }
    case ExprKind::Attribute: {
      auto* at = static_cast<Attribute*>(t);
      Value obj = operand(at->value.get(), f);
      if (obj.is_raised()) return false;
      Value cur = load_attr(at, obj);
      if (cur.is_raised()) return false;
      Value rhs = eval(a->value.get(), f);
      if (rhs.is_raised()) return false;
      Value r = augmented(a->op, cur, rhs);
      if (r.is_raised()) return false;
      return store_attr(at, obj, r);
    }
    case ExprKind::Subscript: {
      auto* s = static_cast<Subscript*>(t);
      Value obj = eval(s->value.get(), f);
      if (obj.is_raised()) return false;
      Value i = subscript_index(s->index.get(), f);
      if (i.is_raised()) return false;
      Value cur = getitem(obj, i);
      if (cur.is_raised()) return false;
      Value rhs = eval(a->value.get(), f);
      if (rhs.is_raised()) return false;
      Value r = augmented(a->op, cur, rhs);
      if (r.is_raised()) return false;
      return setitem(obj, i, r);
    }
    default:
      raise(exc.SyntaxError, "illegal expression for augmented assignment");
      return false;
  }
}

Value make_closure(const std::shared_ptr<Code>& code, Arguments* args, Frame* f) {
  auto* fn = new FunctionObj(code, Value::borrow(f->globals()));
  Value fnv = Value::adopt(fn);
  if (args) {
    for (auto& e : args->defaults) {
      Value v = eval(e.get(), f);
      if (v.is_raised()) return v;
      fn->defaults.push_back(std::move(v));
    }
    for (auto& e : args->kw_defaults) {
      if (!e) {
        fn->kwdefaults.emplace_back();
        fn->kwrequired.push_back(true);
        continue;
      }
      Value v = eval(e.get(), f);
      if (v.is_raised()) return v;
      fn->kwdefaults.push_back(std::move(v));
      fn->kwrequired.push_back(false);
    }
  }
  for (const Value& name : code->free_names) fn->closure.push_back(enclosing_cell(f, name));
  if (Value* modname = dict_find_str(f->globals(), intern("__name__"))) fn->module_name = *modname;
  return fnv;
}

const Value& enclosing_cell(Frame* f, const Value& name) {
  const auto& names = f->code->slot_names;
  auto it = std::find_if(names.begin(), names.end(), [&](const Value& n) { return n.is(name); });
  return f->slots[it - names.begin()];
}

Value constant_value(const Constant* c) {
  switch (c->ck) {
    case ConstKind::None: return Value();
    case ConstKind::True: return Value::boolean(true);
    case ConstKind::False: return Value::boolean(false);
    case ConstKind::Ellipsis: return ellipsis();
    case ConstKind::Int: return Value::integer(c->i);
    case ConstKind::BigInt: {
      auto b = BigInt::parse(c->s, 10);
      if (!b) return Value::raised();
      return make_int(std::move(*b));
    }
    case ConstKind::Float: return Value::real(c->f);
    case ConstKind::Imag: return new_complex({0, c->f});
    case ConstKind::Str: return c->s.size() <= 32 ? intern(c->s) : new_str(std::string(c->s));
    case ConstKind::Bytes: return new_bytes(std::string(c->s));
  }
  return Value();
}

}  // namespace aio
