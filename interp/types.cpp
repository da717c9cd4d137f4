// Bootstrapping the type system: makes every built-in type, then lets each file add its methods.
#include <cstdio>

#include "interp/bytes.h"
#include "interp/class.h"
#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/function.h"
#include "interp/generator.h"
#include "interp/int.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/range.h"
#include "interp/set.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "interp/types.h"
#include "interp/union_type.h"

namespace aio {

namespace {

struct EllipsisObj : Object {
  EllipsisObj() : Object(types.ellipsis) {}
};

std::string address(const Value& v) {
  char buf[32];
  snprintf(buf, sizeof buf, "0x%012lx", (unsigned long)(uintptr_t)v.obj());
  return buf;
}

Value function_repr(const Args& a) {
  return new_str("<function " + str_of(as<FunctionObj>(a[0])->qualname) + " at " + address(a[0]) + ">");
}
Value native_repr(const Args& a) {
  auto* n = as<NativeObj>(a[0]);
  if (n->bound && n->self.is_obj() && n->self.obj()->type != types.module)
    return new_str(std::string("<built-in method ") + n->name + " of " + type_name(n->self) + " object at " +
                   address(n->self) + ">");
  return new_str(std::string("<built-in function ") + n->name + ">");
}
Value method_repr(const Args& a) {
  auto* m = as<MethodObj>(a[0]);
  Value q = getattr(m->func, "__qualname__");
  if (q.is_raised()) return q;
  std::string self;
  if (!repr_string(m->self, self)) return Value::raised();
  return new_str("<bound method " + str_of(q) + " of " + self + ">");
}
Value ellipsis_repr(const Args&) { return intern("Ellipsis"); }
Value not_implemented_repr(const Args&) { return intern("NotImplemented"); }
Value none_repr(const Args&) { return intern("None"); }
Value none_bool(const Args&) { return Value::boolean(false); }
Value module_repr(const Args& a) { return new_str("<module '" + as<ModuleObj>(a[0])->name + "'>"); }

Value fn_name(const Value& s) { return as<FunctionObj>(s)->name; }
bool fn_set_name(const Value& s, Value v) { as<FunctionObj>(s)->name = std::move(v); return true; }
Value fn_qualname(const Value& s) { return as<FunctionObj>(s)->qualname; }
bool fn_set_qualname(const Value& s, Value v) { as<FunctionObj>(s)->qualname = std::move(v); return true; }
Value fn_doc(const Value& s) { return as<FunctionObj>(s)->doc; }
bool fn_set_doc(const Value& s, Value v) { as<FunctionObj>(s)->doc = std::move(v); return true; }
Value fn_module(const Value& s) { return as<FunctionObj>(s)->module_name; }
bool fn_set_module(const Value& s, Value v) { as<FunctionObj>(s)->module_name = std::move(v); return true; }
Value fn_dict(const Value& s) {
  auto* f = as<FunctionObj>(s);
  if (!f->dict) f->dict = new DictObj();
  return Value::borrow(f->dict);
}
Value fn_defaults(const Value& s) {
  auto* f = as<FunctionObj>(s);
  if (f->defaults.empty()) return Value();
  return new_tuple(std::vector<Value>(f->defaults));
}
Value fn_kwdefaults(const Value& s) {
  auto* f = as<FunctionObj>(s);
  const Params& p = f->code->params;
  Value d = new_dict();
  for (size_t i = 0; i < f->kwdefaults.size(); i++)
    if (!f->kwrequired[i]) dict_set_str(as_dict(d), p.names[p.nargs + i], f->kwdefaults[i]);
  if (!as_dict(d)->used) return Value();
  return d;
}
Value fn_closure(const Value& s) {
  auto* f = as<FunctionObj>(s);
  if (f->closure.empty()) return Value();
  return new_tuple(std::vector<Value>(f->closure));
}
Value fn_annotations(const Value& s) {
  auto* f = as<FunctionObj>(s);
  if (f->annotations.is_none()) f->annotations = new_dict();
  return f->annotations;
}
bool fn_set_annotations(const Value& s, Value v) { as<FunctionObj>(s)->annotations = std::move(v); return true; }
Value fn_globals(const Value& s) { return as<FunctionObj>(s)->globals; }
Value method_func(const Value& s) { return as<MethodObj>(s)->func; }
Value method_self(const Value& s) { return as<MethodObj>(s)->self; }
Value native_name(const Value& s) { return intern(as<NativeObj>(s)->name); }
Value native_self(const Value& s) { return as<NativeObj>(s)->self; }
Value cell_contents(const Value& s) { return as<CellObj>(s)->value; }

Value method_getattr_fallback(const Args& a) { return getattr(as<MethodObj>(a[0])->func, a[1]); }

// f.__call__(...) for functions, natives and methods (call() itself never looks it up for them).
Value callable_call(const Args& a) {
  Args rest = a;
  rest.pos = a.pos + 1;
  rest.npos = a.npos - 1;
  return call(a[0], rest);
}

// types.MethodType(func, obj) and types.ModuleType(name, doc=None).
Value method_new(const Args& a) {
  if (!check_args(a, "method", 3, 3)) return Value::raised();
  if (!is_callable(a[1])) return raise(exc.TypeError, "first argument must be callable");
  if (a[2].is_none()) return raise(exc.TypeError, "instance must not be None");
  return Value::adopt(new MethodObj(a[1], a[2]));
}
Value module_new(const Args& a) {
  if (!check_args(a, "module", 2, 3)) return Value::raised();
  if (!is_str(a[1])) return raise(exc.TypeError, "module.__init__() argument 'name' must be str, not " + type_name(a[1]));
  Value m = new_module(str_of(a[1]));
  if (a.npos == 3) dict_set_str(module_dict(m), intern("__doc__"), a[2]);
  return m;
}

void init_function_types() {
  add_method(types.function, "__repr__", function_repr);
  add_getset(types.function, "__name__", fn_name, fn_set_name);
  add_getset(types.function, "__qualname__", fn_qualname, fn_set_qualname);
  add_getset(types.function, "__doc__", fn_doc, fn_set_doc);
  add_getset(types.function, "__module__", fn_module, fn_set_module);
  add_getset(types.function, "__dict__", fn_dict);
  add_getset(types.function, "__defaults__", fn_defaults);
  add_getset(types.function, "__kwdefaults__", fn_kwdefaults);
  add_getset(types.function, "__closure__", fn_closure);
  add_getset(types.function, "__annotations__", fn_annotations, fn_set_annotations);
  add_getset(types.function, "__globals__", fn_globals);
  for (Type* t : {types.function, types.native, types.method}) add_method(t, "__call__", callable_call);
  add_method(types.method, "__new__", method_new);
  add_method(types.method, "__repr__", method_repr);
  add_method(types.method, "__getattr__", method_getattr_fallback);
  types.method->has_getattr = true;
  add_getset(types.method, "__func__", method_func);
  add_getset(types.method, "__self__", method_self);
  add_method(types.native, "__repr__", native_repr);
  add_getset(types.native, "__name__", native_name);
  add_getset(types.native, "__qualname__", native_name);
  add_getset(types.native, "__self__", native_self);
  add_getset(types.cell, "cell_contents", cell_contents);
  add_method(types.module, "__new__", module_new);
  add_method(types.module, "__repr__", module_repr);
  add_method(types.ellipsis, "__repr__", ellipsis_repr);
  add_method(types.not_implemented, "__repr__", not_implemented_repr);
  add_method(types.none, "__repr__", none_repr);
  add_method(types.none, "__bool__", none_bool);
}

Type* make(const char* name, Type* base) { return new Type(name, base ? base : types.object); }

}  // namespace

Value ellipsis() {
  static Value v = Value::adopt(new EllipsisObj());
  return v;
}

void init_types() {
  if (types.type) return;  // types are process-wide: a second interpreter shares them
  // type, object and dict refer to each other: make them, then tie the knots.
  types.type = new Type("type");
  types.object = new Type("object");
  types.dict = new Type("dict", types.object);
  types.str = new Type("str", types.object);
  types.type->bases = {types.object};
  types.type->mro = {types.type, types.object};
  for (Type* t : {types.type, types.object, types.dict, types.str}) {
    t->type = types.type;
    t->dict->type = types.dict;
  }
  types.none = make("NoneType", nullptr);
  types.int_ = make("int", nullptr);
  types.boolean = make("bool", types.int_);
  types.float_ = make("float", nullptr);
  types.complex = make("complex", nullptr);
  types.bytes = make("bytes", nullptr);
  types.bytearray = make("bytearray", nullptr);
  types.list = make("list", nullptr);
  types.tuple = make("tuple", nullptr);
  types.set = make("set", nullptr);
  types.frozenset = make("frozenset", nullptr);
  types.range = make("range", nullptr);
  types.slice = make("slice", nullptr);
  types.function = make("function", nullptr);
  types.native = make("builtin_function_or_method", nullptr);
  types.method = make("method", nullptr);
  types.cell = make("cell", nullptr);
  types.module = make("module", nullptr);
  types.property = make("property", nullptr);
  types.staticmethod = make("staticmethod", nullptr);
  types.classmethod = make("classmethod", nullptr);
  types.super = make("super", nullptr);
  types.generator = make("generator", nullptr);
  types.coroutine = make("coroutine", nullptr);
  types.async_generator = make("async_generator", nullptr);
  types.not_implemented = make("NotImplementedType", nullptr);
  types.ellipsis = make("ellipsis", nullptr);
  types.iterator = make("iterator", nullptr);
  types.seq_iterator = make("iterator", nullptr);
  types.dict_keys = make("dict_keys", nullptr);
  types.dict_values = make("dict_values", nullptr);
  types.dict_items = make("dict_items", nullptr);
  types.code = make("code", nullptr);
  types.native_getset = make("getset_descriptor", nullptr);

  init_class_types();
  init_function_types();
  init_number_types();
  init_str_type();
  init_bytes_type();
  init_tuple_type();
  init_list_type();
  init_dict_type();
  init_set_type();
  init_range_type();
  init_slice_type();
  init_exception_types();
  init_generator_types();
  init_seq_iterator_type();
  init_union_type();
}

}  // namespace aio
