// Making classes: the class statement, type(name, bases, ns) and metaclasses, as CPython's
// __build_class__ and type_new do: pick the most derived metaclass, let its __prepare__ make the
// namespace the body runs in, then call the metaclass with (name, bases, namespace, **kw).
#include <string>

#include "interp/class.h"
#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/eval.h"
#include "interp/exception.h"
#include "interp/function.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

namespace {

const char* const kMetaclassConflict =
    "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the "
    "metaclasses of all its bases";

bool is_type(const Value& v) { return v.is_obj() && is_subtype(v.obj()->type, types.type); }

// A class statement's or type()'s keyword arguments, kept alive for an Args that names them.
struct Keywords {
  std::vector<Value> names, vals;
  // `pos` followed by these keywords.
  Args with(const std::vector<Value>& pos) const {
    Args a;
    a.pos = pos.data();
    a.npos = pos.size();
    if (!names.empty()) {
      a.kwnames = &names;
      a.kwvals = vals.data();
    }
    return a;
  }
};

Keywords keywords_of(const Args& a) {
  Keywords kw;
  for (size_t i = 0; i < a.nkw(); i++) {
    kw.names.push_back((*a.kwnames)[i]);
    kw.vals.push_back(a.kwvals[i]);
  }
  return kw;
}

// The most derived of `meta` and the bases' metaclasses (CPython's _PyType_CalculateMetaclass).
Type* most_derived_metaclass(Type* meta, const std::vector<Value>& bases) {
  Type* winner = meta;
  for (const Value& b : bases) {
    Type* bt = type_of(b);
    if (is_subtype(winner, bt)) continue;
    if (!is_subtype(bt, winner)) {
      raise(exc.TypeError, kMetaclassConflict);
      return nullptr;
    }
    winner = bt;
  }
  return winner;
}

// Tells each attribute of a new class that defines __set_name__ (a script descriptor) its name.
bool set_names(Type* t) {
  std::vector<std::pair<Value, Value>> items;  // copied: a hook may change the class dict
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(t->dict, pos, e)) items.emplace_back(e->key, e->value);
  for (auto& [name, v] : items) {
    if (!v.is_obj() || v.obj()->type->is_native) continue;
    Value* hook = type_lookup(v.obj()->type, intern("__set_name__"));
    if (hook && call(*hook, {v, Value::borrow(t), name}).is_raised()) return false;
  }
  return true;
}

// Calls __init_subclass__ of the nearest base defining one, with the class keywords.
bool init_subclass(Type* t, const Keywords& kw) {
  Value* hook = nullptr;
  for (size_t i = 1; i < t->mro.size() && !hook; i++) hook = dict_find_str(t->mro[i]->dict, intern("__init_subclass__"));
  if (!hook || !is_exact(*hook, types.classmethod)) return true;
  std::vector<Value> pos{Value::borrow(t)};
  return !call(as<WrapperObj>(*hook)->func, kw.with(pos)).is_raised();
}

// The module a class made now belongs to: its namespace's __module__, else the caller's __name__.
Value module_name_for(DictObj* ns) {
  if (Value* m = dict_find_str(ns, intern("__module__"))) return *m;
  if (Frame* f = tstate->frame())
    if (Value* m = dict_find_str(f->globals(), intern("__name__"))) return *m;
  return intern("__main__");
}

// The class dict: the namespace's entries with identifier keys interned (type_lookup's cache
// compares names by address).
Value class_dict_from(DictObj* ns) {
  Value d = new_dict();
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(ns, pos, e)) {
    if (is_str(e->key)) dict_set_str(as_dict(d), intern(str_of(e->key)), e->value);
    else if (!dict_set(as_dict(d), e->key, e->value)) return Value::raised();
  }
  return d;
}

// type.__new__'s work once the arguments are checked and the metaclass settled.
Value make_class(Type* meta, const std::string& name, const std::vector<Value>& base_vals, DictObj* ns, const Keywords& kw) {
  auto* t = new Type(name);
  Value tv = Value::adopt(t);
  if (meta != types.type) {
    t->type = meta;  // ~Type releases it
    incref(meta);
  }
  t->is_native = false;
  for (const Value& b : base_vals) {
    t->bases.push_back(as<Type>(b));
    incref(as<Type>(b));
  }
  if (t->bases.empty()) {
    t->bases.push_back(types.object);
    incref(types.object);
  }
  if (!compute_mro(t)) return Value::raised();
  for (Type* b : t->bases) b->subclasses.push_back(t);
  for (Type* m : t->mro)
    if (m->alloc) { t->alloc = m->alloc; break; }
  if (!t->alloc) t->alloc = instance_alloc;
  Value d = class_dict_from(ns);
  if (d.is_raised()) return d;
  set_type_dict(t, as_dict(d));
  Value module = module_name_for(ns);
  dict_set_str(t->dict, intern("__module__"), module);
  t->module = is_str(module) ? str_of(module) : "__main__";
  t->has_getattr = type_lookup(t, intern("__getattr__")) != nullptr;
  if (dict_find_str(t->dict, intern("__eq__")) && !dict_find_str(t->dict, intern("__hash__")))
    dict_set_str(t->dict, intern("__hash__"), Value());
  if (!dict_find_str(t->dict, intern("__doc__"))) dict_set_str(t->dict, intern("__doc__"), Value());
  // These two are class methods even when written as plain functions.
  for (const char* n : {"__init_subclass__", "__class_getitem__"})
    if (Value* v = dict_find_str(t->dict, intern(n)); v && is_exact(*v, types.function))
      *v = Value::adopt(new WrapperObj(types.classmethod, *v));
  if (!set_names(t) || !init_subclass(t, kw)) return Value::raised();
  return tv;
}

// type.__new__(meta, name, bases, ns, **kw); type(x) is type.__new__(type, x).
Value type_new(const Args& a) {
  Type* meta = as<Type>(a[0]);
  if (meta == types.type && a.npos == 2 && a.nkw() == 0) return Value::borrow(type_of(a[1]));
  if (a.npos != 4) {
    if (meta == types.type) return raise(exc.TypeError, "type() takes 1 or 3 arguments");
    return raise(exc.TypeError, "type.__new__() takes exactly 3 arguments (" + std::to_string(a.npos - 1) + " given)");
  }
  static const char* const kWants[] = {"str", "tuple", "dict"};
  Type* const wanted[] = {types.str, types.tuple, types.dict};
  for (size_t i = 0; i < 3; i++)
    if (!isinstance(a[i + 1], wanted[i]))
      return raise(exc.TypeError, "type.__new__() argument " + std::to_string(i + 1) + " must be " + kWants[i] +
                                      ", not " + type_name(a[i + 1]));
  const std::vector<Value>& bases = tuple_items(a[2]);
  Type* winner = most_derived_metaclass(meta, bases);
  if (!winner) return Value::raised();
  if (winner != meta) {
    // A base brings a more derived metaclass: its own __new__ makes the class.
    Value* wnew = type_lookup(winner, intern("__new__"));
    if (wnew && !(is_exact(*wnew, types.native) && as<NativeObj>(*wnew)->fn == type_new)) {
      Args rest = a;
      rest.pos = a.pos + 1;
      rest.npos = a.npos - 1;
      Value fn = is_exact(*wnew, types.staticmethod) ? as<WrapperObj>(*wnew)->func : *wnew;
      return call(fn, PrependedArgs(Value::borrow(winner), rest).args());
    }
    meta = winner;
  }
  for (const Value& b : bases)
    if (!is_type(b)) return raise(exc.TypeError, "bases must be types");
  return make_class(meta, str_of(a[1]), bases, as_dict(a[3]), keywords_of(a));
}

Value type_init(const Args& a) {
  if (a.npos != 2 && a.npos != 4) return raise(exc.TypeError, "type.__init__() takes 1 or 3 arguments");
  if (a.npos == 2 && a.nkw()) return raise(exc.TypeError, "type.__init__() takes no keyword arguments");
  return Value();
}

// type.__call__(cls, *args, **kw): what calling a class does when its metaclass does not say.
Value type_call_method(const Args& a) {
  if (a.npos < 1 || !is_type(a[0]))
    return raise(exc.TypeError, "descriptor '__call__' requires a 'type' object but received a '" +
                                    (a.npos ? type_name(a[0]) : std::string("NoneType")) + "'");
  Args rest = a;
  rest.pos = a.pos + 1;
  rest.npos = a.npos - 1;
  return type_call(as<Type>(a[0]), rest);
}

Value type_prepare(const Args&) { return new_dict(); }

Value type_setattr_method(const Args& a) {
  if (!check_args(a, "__setattr__", 3, 3)) return Value::raised();
  if (!is_str(a[1])) return raise(exc.TypeError, "attribute name must be string, not '" + type_name(a[1]) + "'");
  return type_setattr(a[0], intern(str_of(a[1])), a[2]) ? Value() : Value::raised();
}

// ---- the class statement ----

bool eval_bases(ClassDef* c, Frame* f, std::vector<Value>& out) {
  for (auto& b : c->bases) {
    bool star = b->kind == ExprKind::Starred;
    Value v = eval(star ? static_cast<UnaryExpr*>(b.get())->value.get() : b.get(), f);
    if (v.is_raised()) return false;
    if (!star) out.push_back(std::move(v));
    else if (!collect(v, out)) return false;
  }
  return true;
}

// Bases that are not classes give way to what their __mro_entries__(bases) returns
// (class C(List[int]), class P(NamedTuple)); false: raised. `changed` says whether any did.
bool resolve_bases(std::vector<Value>& bases, const Value& original, bool& changed) {
  std::vector<Value> out;
  changed = false;
  for (const Value& b : bases) {
    Value entries;
    int found = is_type(b) ? 0 : getattr_opt(b, intern("__mro_entries__"), entries);
    if (found < 0) return false;
    if (found == 0) {
      out.push_back(b);
      continue;
    }
    Value r = call(entries, {original});
    if (r.is_raised()) return false;
    if (!is_exact(r, types.tuple)) {
      raise(exc.TypeError, "__mro_entries__ must return a tuple");
      return false;
    }
    out.insert(out.end(), tuple_items(r).begin(), tuple_items(r).end());
    changed = true;
  }
  bases = std::move(out);
  return true;
}

// The class keywords, `metaclass` taken out (left None when absent).
bool eval_keywords(ClassDef* c, Frame* f, Keywords& kw, Value& meta, bool& has_meta) {
  for (auto& k : c->keywords) {
    Value v = eval(k.value.get(), f);
    if (v.is_raised()) return false;
    if (k.name == "metaclass") {
      meta = std::move(v);
      has_meta = true;
    } else if (!k.name.empty()) {
      kw.names.push_back(intern(k.name));
      kw.vals.push_back(std::move(v));
    } else {
      Value d = new_dict();
      if (!dict_update(as_dict(d), v)) return false;
      size_t pos = 0;
      const DictObj::Entry* e;
      while (dict_next(as_dict(d), pos, e)) {
        if (!is_str(e->key)) {
          raise(exc.TypeError, "keywords must be strings");
          return false;
        }
        if (str_of(e->key) == "metaclass") {
          meta = e->value;
          has_meta = true;
          continue;
        }
        kw.names.push_back(intern(str_of(e->key)));
        kw.vals.push_back(e->value);
      }
    }
  }
  return true;
}

std::string meta_name(const Value& meta) { return is_type(meta) ? as<Type>(meta)->name : "<metaclass>"; }

// The namespace the body runs in: metaclass.__prepare__(name, bases, **kw), or a fresh dict.
Value prepare_namespace(const Value& meta, const Value& name, const Value& bases, const Keywords& kw) {
  if (meta.is(Value::borrow(types.type))) return new_dict();
  Value prepare;
  int found = getattr_opt(meta, intern("__prepare__"), prepare);
  if (found < 0) return Value::raised();
  if (found == 0) return new_dict();
  Value ns = call(prepare, kw.with({name, bases}));
  if (ns.is_raised() || isinstance(ns, types.dict)) return ns;
  // Class bodies store into dicts only (a dict subclass's __setitem__ and __getitem__ are honoured).
  return raise(exc.TypeError, meta_name(meta) + ".__prepare__() must return a mapping, not " + type_name(ns));
}

}  // namespace

bool class_ns_store(DictObj* ns, const Value& name, const Value& v) {
  if (ns->type == types.dict) {
    dict_set_str(ns, name, v);
    return true;
  }
  return setitem(Value::borrow(ns), name, v);
}

int class_ns_load(DictObj* ns, const Value& name, Value& out) {
  if (ns->type == types.dict) {
    Value* v = dict_find_str(ns, name);
    if (v) out = *v;
    return v ? 1 : 0;
  }
  out = getitem(Value::borrow(ns), name);
  if (!out.is_raised()) return 1;
  if (!exception_matches(exc.KeyError)) return -1;
  take_exception();
  return 0;
}

int class_ns_delete(DictObj* ns, const Value& name) {
  if (ns->type == types.dict) {
    Lookup r = dict_del(ns, name);
    return r == Lookup::Found ? 1 : r == Lookup::Missing ? 0 : -1;
  }
  if (delitem(Value::borrow(ns), name)) return 1;
  if (!exception_matches(exc.KeyError)) return -1;
  take_exception();
  return 0;
}

Value build_class(ClassDef* c, Frame* f) {
  std::vector<Value> bases;
  Keywords kw;
  Value meta;
  bool has_meta = false;
  if (!eval_bases(c, f, bases) || !eval_keywords(c, f, kw, meta, has_meta)) return Value::raised();
  Value orig_bases = new_tuple(std::vector<Value>(bases));
  bool bases_changed;
  if (!resolve_bases(bases, orig_bases, bases_changed)) return Value::raised();
  if (!has_meta) meta = Value::borrow(bases.empty() ? types.type : type_of(bases[0]));
  if (is_type(meta)) {
    Type* winner = most_derived_metaclass(as<Type>(meta), bases);
    if (!winner) return Value::raised();
    meta = Value::borrow(winner);
  }
  Value name = new_str(c->name), bases_tuple = new_tuple(std::vector<Value>(bases));
  Value ns = prepare_namespace(meta, name, bases_tuple, kw);
  if (ns.is_raised()) return ns;
  Value modname;
  if (Value* m = dict_find_str(f->globals(), intern("__name__"))) modname = *m;
  if (!class_ns_store(as_dict(ns), intern("__module__"), modname) ||
      !class_ns_store(as_dict(ns), intern("__qualname__"), new_str(c->code->qualname)) ||
      (bases_changed && !class_ns_store(as_dict(ns), intern("__orig_bases__"), orig_bases)))
    return Value::raised();
  Frame* body = Frame::create(c->code, Value::borrow(f->globals()));
  body->extras->locals_dict = as_dict(ns);
  incref(as_dict(ns));
  for (size_t i = 0; i < c->code->free_names.size(); i++)
    body->slots[c->code->free_slots[i]] = enclosing_cell(f, c->code->free_names[i]);
  Value ignored;
  RunStatus st = run_frame(body, ignored);
  Frame::destroy(body);
  if (st == RunStatus::Raised) return Value::raised();
  return call(meta, kw.with({name, bases_tuple, ns}));
}

Value metaclass_call(Type* cls, const Args& args) {
  static const Value call_name = intern("__call__");
  Value* c = type_lookup(cls->type, call_name);
  if (!c || (is_exact(*c, types.native) && as<NativeObj>(*c)->fn == type_call_method)) return type_call(cls, args);
  // Only what binds (a function, a method of a native type) gets the class as self:
  // `__call__ = dict` on a metaclass calls dict(...) itself.
  bool binds = is_exact(*c, types.function) || (is_exact(*c, types.native) && as<NativeObj>(*c)->binds());
  if (!binds) return call(*c, args);
  return call(*c, PrependedArgs(Value::borrow(cls), args).args());
}

void init_type_creation() {
  Type* t = types.type;
  add_method(t, "__new__", type_new);
  add_method(t, "__init__", type_init);
  add_method(t, "__call__", type_call_method);
  add_method(t, "__setattr__", type_setattr_method);
  add_classmethod(t, "__prepare__", type_prepare);
}

}  // namespace aio
