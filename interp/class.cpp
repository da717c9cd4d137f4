// Classes: the class statement, C3 linearization, calling a type, `object` and `type` themselves,
// super(), property, staticmethod and classmethod.
#include "interp/class.h"

#include <algorithm>
#include <cstdio>

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

struct SuperObj : Object {
  Type* after;       // search the MRO past this class
  Value self;
  Type* self_type;
  SuperObj(Type* a, Value s, Type* st) : Object(types.super), after(a), self(std::move(s)), self_type(st) {}
};

// C3: merge the bases' MROs keeping local precedence; false when no consistent order exists.
bool c3_merge(std::vector<std::vector<Type*>> seqs, std::vector<Type*>& out) {
  for (;;) {
    seqs.erase(std::remove_if(seqs.begin(), seqs.end(), [](auto& s) { return s.empty(); }), seqs.end());
    if (seqs.empty()) return true;
    Type* pick = nullptr;
    for (auto& s : seqs) {
      Type* cand = s[0];
      bool in_tail = false;
      for (auto& o : seqs)
        if (std::find(o.begin() + 1, o.end(), cand) != o.end()) in_tail = true;
      if (!in_tail) { pick = cand; break; }
    }
    if (!pick) return false;
    out.push_back(pick);
    for (auto& s : seqs)
      if (!s.empty() && s[0] == pick) s.erase(s.begin());
  }
}

}  // namespace

// A bare object() has no attribute dict; instances of classes do.
Object* instance_alloc(Type* t) { return t == types.object ? new Object(t) : new Instance(t); }

bool compute_mro(Type* t) {
  std::vector<std::vector<Type*>> seqs;
  for (Type* b : t->bases) seqs.push_back(b->mro);
  seqs.push_back(t->bases);
  std::vector<Type*> mro{t};
  if (!c3_merge(seqs, mro)) {
    std::string names;
    for (size_t i = 0; i < t->bases.size(); i++) names += (i ? ", " : "") + t->bases[i]->name;
    raise(exc.TypeError, "Cannot create a consistent method resolution\norder (MRO) for bases " + names);
    return false;
  }
  t->mro = std::move(mro);
  ++type_epoch;  // answers type_lookup cached before the MRO was known are stale
  return true;
}

static Value construct(Type* t, const Args& args) {
  static const Value new_name = intern("__new__"), init_name = intern("__init__");
  Value* newf = type_lookup(t, new_name);
  Value fn = newf ? *newf : Value();
  if (fn.is_obj() && fn.obj()->type == types.staticmethod) fn = as<WrapperObj>(fn)->func;
  Value obj = call(fn, PrependedArgs(Value::borrow(t), args).args());
  if (obj.is_raised()) return obj;
  if (!isinstance(obj, t) || t->is_native) return obj;
  if (Value* init = type_lookup(t, init_name)) {
    Value r = call(*init, PrependedArgs(obj, args).args());
    if (r.is_raised()) return r;
    if (!r.is_none()) return raise(exc.TypeError, "__init__() should return None, not '" + type_name(r) + "'");
  }
  return obj;
}

// Calling a class counts as a level of recursion, as CPython's tp_call does.
Value type_call(Type* t, const Args& args) {
  if (t == types.type && args.npos == 1 && args.nkw() == 0) return Value::borrow(type_of(args[0]));
  if (!enter_recursion(" while calling a Python object")) return Value::raised();
  Value r = construct(t, args);
  leave_recursion();
  return r;
}

namespace {

// ---- object ----

// "Can't instantiate abstract class C with abstract methods f, g" (the names sorted).
Value abstract_class_error(Type* cls) {
  std::vector<std::string> names;
  if (Value* am = type_lookup(cls, intern("__abstractmethods__"))) {
    std::vector<Value> items;
    if (!collect(*am, items)) return Value::raised();
    for (const Value& n : items)
      if (is_str(n)) names.push_back(str_of(n));
  }
  std::sort(names.begin(), names.end());
  std::string list;
  for (size_t i = 0; i < names.size(); i++) list += (i ? ", " : "") + names[i];
  return raise(exc.TypeError, "Can't instantiate abstract class " + cls->name + " with abstract method" +
                                  (names.size() == 1 ? "" : "s") + " " + list);
}

Value object_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  if (cls->is_abstract) return abstract_class_error(cls);
  if (a.npos > 1 || a.nkw()) {
    Value* init = type_lookup(cls, intern("__init__"));
    bool default_init = !init || (init->is_obj() && init->obj()->type == types.native);
    if (default_init) return raise(exc.TypeError, cls->name + "() takes no arguments");
  }
  return Value::adopt(cls->alloc ? cls->alloc(cls) : instance_alloc(cls));
}

Value object_init(const Args&) { return Value(); }

std::string address_of(const Value& v) {
  char buf[32];
  snprintf(buf, sizeof buf, "0x%012lx", (unsigned long)(uintptr_t)v.obj());
  return buf;
}

std::string qualified_name(Type* t) {
  if (t->module == "builtins") return t->name;
  Value* q = dict_find_str(t->dict, intern("__qualname__"));
  return t->module + "." + (q && is_str(*q) ? str_of(*q) : t->name);
}

Value object_repr(const Args& a) {
  if (!a[0].is_obj()) return repr(a[0]);
  return new_str("<" + qualified_name(type_of(a[0])) + " object at " + address_of(a[0]) + ">");
}

Value object_str(const Args& a) { return repr(a[0]); }

Value object_eq(const Args& a) {
  if (a[0].is(a[1])) return Value::boolean(true);
  return not_implemented();
}

Value object_ne(const Args& a) {
  Value r = compare(CmpOp::Eq, a[0], a[1]);
  if (r.is_raised() || is_not_implemented(r)) return r;
  int t = truthy(r);
  if (t < 0) return Value::raised();
  return Value::boolean(!t);
}

Value object_not_implemented(const Args&) { return not_implemented(); }

Value object_hash(const Args& a) { return Value::integer((int64_t)((uintptr_t)a[0].obj() >> 4)); }

Value object_format(const Args& a) {
  if (a.npos > 1 && is_str(a[1]) && !str_of(a[1]).empty())
    return raise(exc.TypeError, "unsupported format string passed to " + type_name(a[0]) + ".__format__");
  return to_str(a[0]);
}

Value object_setattr(const Args& a) {
  if (!check_args(a, "__setattr__", 3, 3)) return Value::raised();
  if (!is_str(a[1])) return raise(exc.TypeError, "attribute name must be string, not '" + type_name(a[1]) + "'");
  return generic_setattr(a[0], intern(str_of(a[1])), a[2]) ? Value() : Value::raised();
}

Value object_delattr(const Args& a) {
  if (!check_args(a, "__delattr__", 2, 2)) return Value::raised();
  if (!is_str(a[1])) return raise(exc.TypeError, "attribute name must be string, not '" + type_name(a[1]) + "'");
  return generic_delattr(a[0], intern(str_of(a[1]))) ? Value() : Value::raised();
}

Value object_getattribute(const Args& a) {
  if (!check_args(a, "__getattribute__", 2, 2)) return Value::raised();
  return getattr(a[0], intern(str_of(a[1])));
}

Value object_subclasshook(const Args&) { return not_implemented(); }

Value object_init_subclass(const Args& a) {
  if (a.nkw()) return raise(exc.TypeError, as<Type>(a[0])->name + ".__init_subclass__() takes no keyword arguments");
  return Value();
}

Value object_class(const Value& self) { return Value::borrow(type_of(self)); }

Value object_dict(const Value& self) {
  if (self.is_obj())
    if (DictObj* d = self.obj()->attr_dict()) return Value::borrow(d);
  return raise(exc.AttributeError, "'" + type_name(self) + "' object has no attribute '__dict__'");
}

// ---- type ----

Value type_repr(const Args& a) { return new_str("<class '" + qualified_name(as<Type>(a[0])) + "'>"); }
// A type named as CPython names its C types, module first ("datetime.date", what messages
// show), has the last part alone as its __name__.
Value type_name_get(const Value& self) {
  const Type* t = as<Type>(self);
  size_t prefix = t->module.size() + 1;
  if (t->name.size() > prefix && t->name.compare(0, prefix, t->module + ".") == 0)
    return new_str(t->name.substr(prefix));
  return new_str(t->name);
}
Value type_qualname_get(const Value& self) {
  if (Value* q = dict_find_str(as<Type>(self)->dict, intern("__qualname__"))) return *q;
  return new_str(as<Type>(self)->name);
}
Value type_module_get(const Value& self) { return new_str(as<Type>(self)->module); }
Value type_mro_get(const Value& self) {
  std::vector<Value> items;
  for (Type* t : as<Type>(self)->mro) items.push_back(Value::borrow(t));
  return new_tuple(std::move(items));
}
Value type_mro(const Args& a) {
  Value t = type_mro_get(a[0]);
  return new_list(std::vector<Value>(tuple_items(t)));
}
Value type_bases_get(const Value& self) {
  std::vector<Value> items;
  for (Type* t : as<Type>(self)->bases) items.push_back(Value::borrow(t));
  return new_tuple(std::move(items));
}
Value type_base_get(const Value& self) {
  auto* t = as<Type>(self);
  return t->bases.empty() ? Value() : Value::borrow(t->bases[0]);
}
Value type_subclasses(const Args& a) {
  std::vector<Value> items;
  for (Type* t : as<Type>(a[0])->subclasses) items.push_back(Value::borrow(t));
  return new_list(std::move(items));
}
Value type_dict_get(const Value& self) { return Value::borrow(as<Type>(self)->dict); }
Value type_subclasscheck(const Args& a) { return Value::boolean(a[1].is_obj() && is_subtype(as<Type>(a[1]), as<Type>(a[0]))); }
Value type_instancecheck(const Args& a) { return Value::boolean(isinstance(a[1], as<Type>(a[0]))); }

// ---- super ----

// The class in st's MRO whose dict holds the function running `code` (as a method, class or
// static method, or property accessor): what zero-argument super() starts after.
Type* defining_class(Type* st, const Code* code) {
  auto runs = [code](const Value& fn) { return is_exact(fn, types.function) && as<FunctionObj>(fn)->code.get() == code; };
  for (Type* m : st->mro) {
    size_t pos = 0;
    const DictObj::Entry* e;
    while (dict_next(m->dict, pos, e)) {
      Value fn = e->value;
      if (fn.is_obj() && (fn.obj()->type == types.classmethod || fn.obj()->type == types.staticmethod))
        fn = as<WrapperObj>(fn)->func;
      if (runs(fn)) return m;
      if (is_exact(fn, types.property)) {
        auto* p = as<PropertyObj>(fn);
        if (runs(p->fget) || runs(p->fset) || runs(p->fdel)) return m;
      }
    }
  }
  return nullptr;
}

Value super_new(const Args& a) {
  Type* after;
  Value self;
  if (a.npos >= 3) {
    after = as<Type>(a[1]);
    self = a[2];
  } else {
    Frame* f = tstate->frame();
    if (!f || !f->func || f->code->params.names.empty())
      return raise(exc.RuntimeError, "super(): no arguments");
    self = f->slots[0];
    if (self.is_raised()) return raise(exc.RuntimeError, "super(): arg[0] deleted");
    if (self.is_obj() && self.obj()->type == types.cell) self = as<CellObj>(self)->value;
    bool self_is_type = self.is_obj() && is_subtype(type_of(self), types.type);
    after = defining_class(self_is_type ? as<Type>(self) : type_of(self), f->code);
    // A metaclass's method gets a class as self: the method sits on the class's metaclass.
    if (!after && self_is_type) after = defining_class(type_of(self), f->code);
    if (!after) return raise(exc.RuntimeError, "super(): __class__ cell not found");
  }
  Type* st = self.is_obj() && is_subtype(type_of(self), types.type) && is_subtype(as<Type>(self), after)
                 ? as<Type>(self)
                 : type_of(self);
  return Value::adopt(new SuperObj(after, self, st));
}

}  // namespace

int super_getattr(const Value& sv, const Value& name, Value& out) {
  auto* s = as<SuperObj>(sv);
  auto& mro = s->self_type->mro;
  auto it = std::find(mro.begin(), mro.end(), s->after);
  if (it != mro.end()) ++it;
  for (; it != mro.end(); ++it) {
    Value* found = dict_find_str((*it)->dict, name);
    if (!found) continue;
    const Value& v = *found;
    bool self_is_type = s->self.is_obj() && is_subtype(type_of(s->self), types.type) && as<Type>(s->self) == s->self_type;
    if (v.is_obj()) {
      Type* vt = v.obj()->type;
      if (vt == types.function) {
        out = self_is_type ? v : Value::adopt(new MethodObj(v, s->self));
        return 1;
      }
      if (vt == types.native) {
        if (self_is_type && str_of(name) != "__new__") { out = v; return 1; }
        if (str_of(name) == "__new__") { out = v; return 1; }
        if (!as<NativeObj>(v)->binds()) { out = v; return 1; }
        auto* b = new NativeObj(as<NativeObj>(v)->name, as<NativeObj>(v)->fn);
        b->self = s->self;
        b->bound = true;
        out = Value::adopt(b);
        return 1;
      }
      if (vt == types.classmethod) {
        out = Value::adopt(new MethodObj(as<WrapperObj>(v)->func, Value::borrow(s->self_type)));
        return 1;
      }
      if (vt == types.staticmethod) { out = as<WrapperObj>(v)->func; return 1; }
      if (vt == types.property) {
        out = call(as<PropertyObj>(v)->fget, {s->self});
        return out.is_raised() ? -1 : 1;
      }
    }
    out = v;
    return 1;
  }
  return 0;
}

namespace {

// ---- property, staticmethod, classmethod ----

Value property_new(const Args& a) {
  auto* p = new PropertyObj();
  Value pv = Value::adopt(p);
  const char* names[] = {"fget", "fset", "fdel", "doc"};
  Value* fields[] = {&p->fget, &p->fset, &p->fdel, &p->doc};
  for (size_t i = 0; i < 4; i++)
    if (const Value* v = arg_or_kw(a, i + 1, names[i])) *fields[i] = *v;
  if (p->doc.is_none() && p->fget.is_obj() && p->fget.obj()->type == types.function)
    p->doc = as<FunctionObj>(p->fget)->doc;
  return pv;
}

Value property_copy_with(const Args& a, int which) {
  auto* old = as<PropertyObj>(a[0]);
  auto* p = new PropertyObj();
  p->fget = old->fget;
  p->fset = old->fset;
  p->fdel = old->fdel;
  p->doc = old->doc;
  (which == 0 ? p->fget : which == 1 ? p->fset : p->fdel) = a[1];
  return Value::adopt(p);
}
Value property_getter(const Args& a) { return property_copy_with(a, 0); }
Value property_setter(const Args& a) { return property_copy_with(a, 1); }
Value property_deleter(const Args& a) { return property_copy_with(a, 2); }
Value property_fget(const Value& self) { return as<PropertyObj>(self)->fget; }
Value property_fset(const Value& self) { return as<PropertyObj>(self)->fset; }
Value property_fdel(const Value& self) { return as<PropertyObj>(self)->fdel; }
Value property_doc(const Value& self) { return as<PropertyObj>(self)->doc; }

Value staticmethod_new(const Args& a) {
  if (!check_args(a, "staticmethod", 2, 2)) return Value::raised();
  return Value::adopt(new WrapperObj(types.staticmethod, a[1]));
}
Value classmethod_new(const Args& a) {
  if (!check_args(a, "classmethod", 2, 2)) return Value::raised();
  return Value::adopt(new WrapperObj(types.classmethod, a[1]));
}
Value wrapper_func(const Value& self) { return as<WrapperObj>(self)->func; }
Value staticmethod_call(const Args& a) {
  Args b = a;
  b.pos = a.pos + 1;
  b.npos = a.npos - 1;
  return call(as<WrapperObj>(a[0])->func, b);
}

}  // namespace

void init_class_types() {
  Type* o = types.object;
  o->alloc = instance_alloc;
  add_method(o, "__new__", object_new);
  add_method(o, "__init__", object_init);
  add_method(o, "__repr__", object_repr);
  add_method(o, "__str__", object_str);
  add_method(o, "__eq__", object_eq);
  add_method(o, "__ne__", object_ne);
  for (const char* n : {"__lt__", "__le__", "__gt__", "__ge__"}) add_method(o, n, object_not_implemented);
  add_method(o, "__hash__", object_hash);
  add_method(o, "__format__", object_format);
  add_method(o, "__setattr__", object_setattr);
  add_method(o, "__delattr__", object_delattr);
  add_method(o, "__getattribute__", object_getattribute);
  add_classmethod(o, "__init_subclass__", object_init_subclass);
  add_classmethod(o, "__subclasshook__", object_subclasshook);
  add_getset(o, "__class__", object_class);
  add_getset(o, "__dict__", object_dict);
  add_attr(o, "__doc__", new_str("The base class of the class hierarchy."));

  Type* t = types.type;
  init_type_creation();
  add_method(t, "__repr__", type_repr);
  add_method(t, "mro", type_mro);
  add_method(t, "__subclasses__", type_subclasses);
  add_method(t, "__subclasscheck__", type_subclasscheck);
  add_method(t, "__instancecheck__", type_instancecheck);
  add_getset(t, "__name__", type_name_get);
  add_getset(t, "__qualname__", type_qualname_get);
  add_getset(t, "__module__", type_module_get);
  add_getset(t, "__mro__", type_mro_get);
  add_getset(t, "__bases__", type_bases_get);
  add_getset(t, "__base__", type_base_get);
  add_getset(t, "__dict__", type_dict_get);

  add_method(types.super, "__new__", super_new);
  add_method(types.property, "__new__", property_new);
  add_method(types.property, "getter", property_getter);
  add_method(types.property, "setter", property_setter);
  add_method(types.property, "deleter", property_deleter);
  add_getset(types.property, "fget", property_fget);
  add_getset(types.property, "fset", property_fset);
  add_getset(types.property, "fdel", property_fdel);
  add_getset(types.property, "__doc__", property_doc);
  add_method(types.staticmethod, "__new__", staticmethod_new);
  add_method(types.staticmethod, "__call__", staticmethod_call);
  add_getset(types.staticmethod, "__func__", wrapper_func);
  add_method(types.classmethod, "__new__", classmethod_new);
  add_getset(types.classmethod, "__func__", wrapper_func);
}

}  // namespace aio
