// The generic protocols: fast paths for the built-in types first, then dunder dispatch.
#include "interp/ops.h"

#include <cmath>
#include <cstdio>

#include "interp/class.h"
#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/float_repr.h"
#include "interp/function.h"
#include "interp/generator.h"
#include "interp/generic_alias.h"
#include "interp/int.h"
#include "interp/module.h"
#include "interp/range.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

namespace {

struct NotImplementedObj : Object {
  NotImplementedObj() : Object(types.not_implemented) {}
};

// Dunder names interned once, so protocol lookups hit the type cache by pointer.
struct DunderNames {
  Value repr = intern("__repr__"), str = intern("__str__"), format = intern("__format__"),
        bool_ = intern("__bool__"), len = intern("__len__"), hash = intern("__hash__"),
        contains = intern("__contains__"), getattr = intern("__getattr__"),
        setattr = intern("__setattr__"), class_getitem = intern("__class_getitem__"),
        getitem = intern("__getitem__"), setitem = intern("__setitem__"),
        delitem = intern("__delitem__"), index = intern("__index__"), call = intern("__call__"),
        iter = intern("__iter__"), next = intern("__next__"), neg = intern("__neg__"),
        pos = intern("__pos__"), invert = intern("__invert__"), get = intern("__get__"),
        set = intern("__set__"), delete_ = intern("__delete__");
  Value cmp[6];                     // by CmpOp, Eq to GtE
  Value binop[13], rbinop[13], ibinop[13];  // by BinOpKind
  DunderNames() {
    static const char* cmps[] = {"eq", "ne", "lt", "le", "gt", "ge"};
    static const char* ops[] = {"add", "sub", "mul", "matmul", "truediv", "floordiv", "mod",
                                "pow", "lshift", "rshift", "or", "xor", "and"};
    for (size_t i = 0; i < std::size(cmps); i++) cmp[i] = intern(std::string("__") + cmps[i] + "__");
    for (size_t i = 0; i < std::size(ops); i++) {
      binop[i] = intern(std::string("__") + ops[i] + "__");
      rbinop[i] = intern(std::string("__r") + ops[i] + "__");
      ibinop[i] = intern(std::string("__i") + ops[i] + "__");
    }
  }
};

const DunderNames& dunder() {
  static const DunderNames names;
  return names;
}

Value lookup_special(const Value& obj, const Value& name) {
  Value* d = type_lookup(type_of(obj), name);
  return d ? *d : Value::raised();
}

// Calls a dunder found on the type with obj as self (at most kMaxSpecialArgs arguments after it).
constexpr size_t kMaxSpecialArgs = 3;
Value call_special(const Value& fn, const Value& self, std::initializer_list<Value> rest) {
  Value args[kMaxSpecialArgs + 1];
  size_t n = 0;
  args[n++] = self;
  for (auto& v : rest) args[n++] = v;
  Args a;
  a.pos = args;
  a.npos = n;
  return call(fn, a);
}

// Calls self.name(other): true when that decided the operation (a result or an error), false
// when self's type has no such method or it returned NotImplemented.
bool try_dunder(const Value& self, const Value& name, const Value& other, Value& out) {
  Value f = lookup_special(self, name);
  if (f.is_raised()) return false;
  out = call_special(f, self, {other});
  return out.is_raised() || !is_not_implemented(out);
}

// The binary protocol shared by operators and comparisons: b's reflected method first when
// `reflected_first` (b's type subclasses a's), then a's method, then (if `try_reflected`) b's.
bool dispatch_dunders(const Value& a, const Value& b, const Value& name, const Value& rname,
                      bool reflected_first, bool try_reflected, Value& out) {
  if (reflected_first && try_dunder(b, rname, a, out)) return true;
  if (try_dunder(a, name, b, out)) return true;
  return try_reflected && !reflected_first && try_dunder(b, rname, a, out);
}

}  // namespace

Value not_implemented() {
  static Value v = Value::adopt(new NotImplementedObj());
  return v;
}

// ---- text ----

Value repr(const Value& v) {
  switch (v.tag()) {
    case Tag::None: return intern("None");
    case Tag::Bool: return intern(v.as_bool() ? "True" : "False");
    case Tag::Int: return new_str(std::to_string(v.as_int()));
    case Tag::Float: return new_str(float_repr(v.as_float()));
    default: break;
  }
  if (is_exact(v, types.str)) return new_str(str_repr(str_of(v)));
  Value f = lookup_special(v, dunder().repr);
  if (f.is_raised()) return raise(exc.TypeError, "no __repr__");
  if (!enter_recursion(" while getting the repr of an object")) return Value::raised();
  Value r = call_special(f, v, {});
  leave_recursion();
  if (r.is_raised()) return r;
  if (!is_str(r)) return raise(exc.TypeError, "__repr__ returned non-string (type " + type_name(r) + ")");
  return r;
}

Value to_str(const Value& v) {
  if (is_exact(v, types.str)) return v;
  if (!v.is_obj()) return repr(v);
  Value f = lookup_special(v, dunder().str);
  if (f.is_raised()) return repr(v);
  Value r = call_special(f, v, {});
  if (r.is_raised()) return r;
  if (!is_str(r)) return raise(exc.TypeError, "__str__ returned non-string (type " + type_name(r) + ")");
  return r;
}

bool repr_string(const Value& v, std::string& out) {
  Value r = repr(v);
  if (r.is_raised()) return false;
  out += str_of(r);
  return true;
}

bool str_string(const Value& v, std::string& out) {
  Value r = to_str(v);
  if (r.is_raised()) return false;
  out += str_of(r);
  return true;
}

Value format_value(const Value& v, const Value& spec) {
  if (is_exact(v, types.str) && str_of(spec).empty()) return v;
  Value f = lookup_special(v, dunder().format);
  if (f.is_raised()) return raise(exc.TypeError, "no __format__");
  Value r = call_special(f, v, {spec});
  if (r.is_raised()) return r;
  if (!is_str(r)) return raise(exc.TypeError, "__format__ must return a str, not " + type_name(r));
  return r;
}

// ---- truth, hashing, comparison ----

int truthy(const Value& v) {
  switch (v.tag()) {
    case Tag::None: return 0;
    case Tag::Bool:
    case Tag::Int: return v.as_int() != 0;
    case Tag::Float: return v.as_float() != 0;
    default: break;
  }
  Type* t = v.obj()->type;
  if (t == types.str) return as<StrObj>(v)->s.empty() ? 0 : 1;
  if (t == types.list) return list_items(v).empty() ? 0 : 1;
  if (t == types.tuple) return tuple_items(v).empty() ? 0 : 1;
  if (t == types.dict) return as_dict(v)->used ? 1 : 0;
  if (t == types.int_) return 1;  // a big int is never zero
  Value f = lookup_special(v, dunder().bool_);
  if (!f.is_raised()) {
    Value r = call_special(f, v, {});
    if (r.is_raised()) return -1;
    if (!r.is_bool()) {
      raise(exc.TypeError, "__bool__ should return bool, returned " + type_name(r));
      return -1;
    }
    return r.as_bool();
  }
  f = lookup_special(v, dunder().len);
  if (!f.is_raised()) {
    Value r = call_special(f, v, {});
    if (r.is_raised()) return -1;
    int64_t n;
    if (!index_of(r, n)) return -1;
    return n != 0;
  }
  return 1;
}

bool hash_value(const Value& v, int64_t& out) {
  switch (v.tag()) {
    case Tag::None: out = 0xFCA86420; return true;
    case Tag::Bool:
    case Tag::Int: out = i64_hash(v.as_int()); return true;
    case Tag::Float: out = float_hash(v.as_float()); return true;
    default: break;
  }
  Type* t = v.obj()->type;
  if (t == types.str) { out = str_hash(as<StrObj>(v)); return true; }
  if (t == types.int_) { out = as<BigIntObj>(v)->v.hash(); return true; }
  Value f = lookup_special(v, dunder().hash);
  if (f.is_raised() || f.is_none()) {
    raise(exc.TypeError, "unhashable type: '" + t->name + "'");
    return false;
  }
  Value r = call_special(f, v, {});
  if (r.is_raised()) return false;
  if (r.is_int()) { out = r.as_int() == -1 ? -2 : r.as_int(); return true; }
  if (is_bigint(r)) { out = as<BigIntObj>(r)->v.hash(); return true; }
  raise(exc.TypeError, "__hash__ method should return an integer");
  return false;
}

namespace {

const char* cmp_symbol(CmpOp op) {
  switch (op) {
    case CmpOp::Eq: return "==";
    case CmpOp::NotEq: return "!=";
    case CmpOp::Lt: return "<";
    case CmpOp::LtE: return "<=";
    case CmpOp::Gt: return ">";
    case CmpOp::GtE: return ">=";
    default: return "?";
  }
}

const Value& cmp_dunder(CmpOp op) { return dunder().cmp[(int)op]; }

CmpOp reflected(CmpOp op) {
  switch (op) {
    case CmpOp::Lt: return CmpOp::Gt;
    case CmpOp::LtE: return CmpOp::GtE;
    case CmpOp::Gt: return CmpOp::Lt;
    case CmpOp::GtE: return CmpOp::LtE;
    default: return op;
  }
}

Value cmp_result(CmpOp op, int c) {
  if (c == 2) return Value::boolean(op == CmpOp::NotEq);  // nan
  switch (op) {
    case CmpOp::Eq: return Value::boolean(c == 0);
    case CmpOp::NotEq: return Value::boolean(c != 0);
    case CmpOp::Lt: return Value::boolean(c < 0);
    case CmpOp::LtE: return Value::boolean(c <= 0);
    case CmpOp::Gt: return Value::boolean(c > 0);
    default: return Value::boolean(c >= 0);
  }
}

Value rich_compare(CmpOp op, const Value& a, const Value& b) {
  Type *ta = type_of(a), *tb = type_of(b);
  bool reflected_first = ta != tb && is_subtype(tb, ta);
  Value r;
  if (dispatch_dunders(a, b, cmp_dunder(op), cmp_dunder(reflected(op)), reflected_first, true, r)) return r;
  if (op == CmpOp::Eq) return Value::boolean(a.is(b));
  if (op == CmpOp::NotEq) return Value::boolean(!a.is(b));
  return raise(exc.TypeError, std::string("'") + cmp_symbol(op) + "' not supported between instances of '" +
                                  ta->name + "' and '" + tb->name + "'");
}

}  // namespace

Value compare(CmpOp op, const Value& a, const Value& b) {
  switch (op) {
    case CmpOp::Is: return Value::boolean(a.is(b));
    case CmpOp::IsNot: return Value::boolean(!a.is(b));
    case CmpOp::In:
    case CmpOp::NotIn: {
      int c = contains(b, a);
      if (c < 0) return Value::raised();
      return Value::boolean(op == CmpOp::In ? c : !c);
    }
    default: break;
  }
  int c;
  if ((a.is_int() || a.is_float()) && (b.is_int() || b.is_float()) && number_compare(a, b, c))
    return cmp_result(op, c);
  if (is_exact(a, types.str) && is_exact(b, types.str)) {
    if (op == CmpOp::Eq) return Value::boolean(str_eq(as<StrObj>(a), as<StrObj>(b)));
    if (op == CmpOp::NotEq) return Value::boolean(!str_eq(as<StrObj>(a), as<StrObj>(b)));
    int r = str_of(a).compare(str_of(b));
    return cmp_result(op, r < 0 ? -1 : r > 0);
  }
  return rich_compare(op, a, b);
}

int compare_bool(CmpOp op, const Value& a, const Value& b) {
  Value r = compare(op, a, b);
  if (r.is_raised()) return -1;
  if (r.is_bool()) return r.as_bool();
  return truthy(r);
}

int equals(const Value& a, const Value& b) {
  if (a.is(b) && !a.is_float()) return 1;
  if (a.is_int() && b.is_int()) return 0;  // not the same int
  if (is_exact(a, types.str) && is_exact(b, types.str)) return str_eq(as<StrObj>(a), as<StrObj>(b));
  return compare_bool(CmpOp::Eq, a, b);
}

int contains(const Value& container, const Value& item) {
  if (is_exact(container, types.dict)) {
    Value ignored;
    Lookup r = dict_get(as_dict(container), item, ignored);
    return r == Lookup::Error ? -1 : r == Lookup::Found;
  }
  if (is_exact(container, types.str) && is_exact(item, types.str))
    return str_contains(as<StrObj>(container), as<StrObj>(item));
  Value f = lookup_special(container, dunder().contains);
  if (!f.is_raised()) {
    Value r = call_special(f, container, {item});
    if (r.is_raised()) return -1;
    return truthy(r);
  }
  Value it = get_iter(container);
  if (it.is_raised()) {
    take_exception();
    raise(exc.TypeError, "argument of type '" + type_name(container) + "' is not iterable");
    return -1;
  }
  Value x;
  while (next_item(it, x)) {
    int e = equals(x, item);
    if (e != 0) return e;
  }
  return x.is_raised() ? -1 : 0;
}

// ---- arithmetic ----

const char* binop_symbol(BinOpKind op) {
  static const char* syms[] = {"+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "|", "^", "&"};
  return syms[(int)op];
}

namespace {

bool is_sequence_type(Type* t) { return t == types.str || t == types.list || t == types.tuple || t == types.bytes; }

Value binop_error(BinOpKind op, const Value& a, const Value& b) {
  Type *ta = type_of(a), *tb = type_of(b);
  if (op == BinOpKind::Add && is_sequence_type(ta) && ta != tb)
    return raise(exc.TypeError, "can only concatenate " + ta->name + " (not \"" + tb->name + "\") to " + ta->name);
  if (op == BinOpKind::Mult && (is_sequence_type(ta) || is_sequence_type(tb)))
    return raise(exc.TypeError, "can't multiply sequence by non-int of type '" +
                                    (is_sequence_type(ta) ? tb : ta)->name + "'");
  std::string sym = binop_symbol(op);
  if (op == BinOpKind::Pow) sym = "** or pow()";
  return raise(exc.TypeError, "unsupported operand type(s) for " + sym + ": '" + ta->name + "' and '" + tb->name + "'");
}

Value dispatch_binop(BinOpKind op, const Value& a, const Value& b) {
  Type *ta = type_of(a), *tb = type_of(b);
  bool reflected_first = ta != tb && is_subtype(tb, ta) && !tb->is_native;
  Value r;
  if (dispatch_dunders(a, b, dunder().binop[(int)op], dunder().rbinop[(int)op], reflected_first, ta != tb, r))
    return r;
  return binop_error(op, a, b);
}

}  // namespace

Value binary_op(BinOpKind op, const Value& a, const Value& b) {
  if (op == BinOpKind::Add && is_exact(a, types.str) && is_exact(b, types.str))
    return str_concat(as<StrObj>(a), as<StrObj>(b));
  if (is_number(a) && is_number(b)) {
    Value r = number_binop(op, a, b);
    if (!is_not_implemented(r)) return r;
    return binop_error(op, a, b);
  }
  return dispatch_binop(op, a, b);
}

Value inplace_op(BinOpKind op, const Value& a, const Value& b) {
  if (is_number(a) && is_number(b)) return binary_op(op, a, b);
  if (a.is_obj()) {
    Value f = lookup_special(a, dunder().ibinop[(int)op]);
    if (!f.is_raised()) {
      Value r = call_special(f, a, {b});
      if (r.is_raised() || !is_not_implemented(r)) return r;
    }
  }
  return binary_op(op, a, b);
}

Value unary_op(UnaryOpKind op, const Value& v) {
  if (op == UnaryOpKind::Not) {
    int t = truthy(v);
    if (t < 0) return Value::raised();
    return Value::boolean(!t);
  }
  if (is_number(v)) return number_unary(op, v);
  const Value& name = op == UnaryOpKind::Neg ? dunder().neg : op == UnaryOpKind::Pos ? dunder().pos : dunder().invert;
  Value f = lookup_special(v, name);
  if (f.is_raised()) {
    const char* sym = op == UnaryOpKind::Neg ? "-" : op == UnaryOpKind::Pos ? "+" : "~";
    return raise(exc.TypeError, std::string("bad operand type for unary ") + sym + ": '" + type_name(v) + "'");
  }
  return call_special(f, v, {});
}

// ---- attributes ----

namespace {

Value* lookup_mro(Type* t, const Value& name) {
  for (Type* m : t->mro)
    if (Value* v = dict_find_str(m->dict, name)) return v;
  return nullptr;
}

// type_lookup's answers, as CPython's method cache: direct-mapped on (type, interned name),
// valid while type_epoch is unchanged (no type dict written, no type made or freed since).
struct TypeCacheEntry {
  Type* type = nullptr;
  Object* name = nullptr;
  uint64_t epoch = 0;
  Value* found = nullptr;
};
constexpr int kTypeCacheBits = 12;
TypeCacheEntry type_cache[size_t(1) << kTypeCacheBits];

size_t type_cache_index(Type* t, Object* name) {
  constexpr uint64_t kGoldenRatio = 0x9E3779B97F4A7C15ULL;  // Fibonacci hashing spreads addresses
  uint64_t key = reinterpret_cast<uintptr_t>(t) ^ (reinterpret_cast<uintptr_t>(name) << 1);
  return (key * kGoldenRatio) >> (64 - kTypeCacheBits);
}

}  // namespace

Value* type_lookup(Type* t, const Value& name) {
  auto* s = as<StrObj>(name);
  if (!s->interned) return lookup_mro(t, name);  // a transient name's address may be reused
  TypeCacheEntry& e = type_cache[type_cache_index(t, s)];
  if (e.type == t && e.name == s && e.epoch == type_epoch) return e.found;
  Value* found = lookup_mro(t, name);
  e = TypeCacheEntry{t, s, type_epoch, found};
  return found;
}

namespace {

DictObj* instance_dict(const Value& obj) { return obj.obj()->attr_dict(); }

// Binds what a class attribute lookup found to the instance (functions become methods).
// A descriptor method (__get__, __set__, __delete__) of an instance of a script class.
Value* script_descriptor_method(const Value& v, const Value& name) {
  if (!v.is_obj() || v.obj()->type->is_native) return nullptr;
  return type_lookup(v.obj()->type, name);
}

Value bind(const Value& found, const Value& obj, Type* owner_type) {
  if (!found.is_obj()) return found;
  Type* ft = found.obj()->type;
  if (ft == types.function) return Value::adopt(new MethodObj(found, obj));
  if (ft == types.native) {
    auto* n = as<NativeObj>(found);
    if (!n->binds()) return found;
    auto* b = new NativeObj(n->name, n->fn);
    b->self = obj;
    b->bound = true;
    return Value::adopt(b);
  }
  if (ft == types.staticmethod) return as<WrapperObj>(found)->func;
  if (ft == types.classmethod) return Value::adopt(new MethodObj(as<WrapperObj>(found)->func, Value::borrow(owner_type)));
  if (ft == types.property) {
    auto* p = as<PropertyObj>(found);
    if (p->fget.is_none()) return raise(exc.AttributeError, "property has no getter");
    return call(p->fget, {obj});
  }
  if (ft == types.native_getset) return as<GetSetObj>(found)->get(obj);
  if (Value* get = script_descriptor_method(found, dunder().get))
    return call_special(*get, found, {obj, Value::borrow(owner_type)});
  return found;
}

bool is_data_descriptor(const Value& v) {
  if (!v.is_obj()) return false;
  Type* t = v.obj()->type;
  if (t == types.property || t == types.native_getset) return true;
  return script_descriptor_method(v, dunder().set) || script_descriptor_method(v, dunder().delete_);
}

Value type_getattr(const Value& obj, const Value& name, bool& missing) {
  Type* t = as<Type>(obj);
  missing = false;
  // The metatype's computed attributes (__name__, __mro__...) win over the class's own entries.
  Value* meta = type_lookup(t->type, name);
  if (meta && is_data_descriptor(*meta)) return bind(*meta, obj, t->type);
  if (Value* found = type_lookup(t, name)) {
    const Value& f = *found;
    if (f.is_obj()) {
      Type* ft = f.obj()->type;
      if (ft == types.staticmethod) return as<WrapperObj>(f)->func;
      if (ft == types.classmethod) return Value::adopt(new MethodObj(as<WrapperObj>(f)->func, obj));
    }
    if (Value* get = script_descriptor_method(f, dunder().get)) return call_special(*get, f, {Value(), obj});
    return f;
  }
  if (meta) return bind(*meta, obj, t->type);
  missing = true;
  return Value();
}

// What a __getattr__ hook returned for a name found nowhere else: 1 found, 0 missing (an
// AttributeError, when `quiet`), -1 raised.
int getattr_result(Value r, Value& out, bool quiet) {
  out = std::move(r);
  if (!out.is_raised()) return 1;
  if (quiet && exception_matches(exc.AttributeError)) {
    take_exception();
    return 0;
  }
  return -1;
}

// The __getattr__ of t (obj's type).
int getattr_hook(Type* t, const Value& obj, const Value& name, Value& out, bool quiet) {
  Value* ga = type_lookup(t, dunder().getattr);
  return ga ? getattr_result(call_special(*ga, obj, {name}), out, quiet) : 0;
}

// Attribute lookup: 1 found, 0 missing, -1 raised. `quiet`: an AttributeError raised by a
// user __getattr__ means missing; otherwise it propagates with its own message.
int find_attr(const Value& obj, const Value& name, Value& out, bool quiet) {
  if (is_exact(obj, types.super)) {
    int r = super_getattr(obj, name, out);
    if (r != 0) return r;
  }
  if (obj.is_obj() && obj.obj()->type->mro.size() && is_subtype(obj.obj()->type, types.type)) {
    bool missing;
    out = type_getattr(obj, name, missing);
    if (out.is_raised()) return -1;
    if (missing && obj.obj()->type->has_getattr) return getattr_hook(obj.obj()->type, obj, name, out, quiet);
    return missing ? 0 : 1;
  }
  Type* t = type_of(obj);
  Value* found = type_lookup(t, name);
  if (found && is_data_descriptor(*found)) {
    out = bind(*found, obj, t);
    return out.is_raised() ? -1 : 1;
  }
  if (obj.is_obj()) {
    if (DictObj* d = instance_dict(obj)) {
      if (Value* v = dict_find_str(d, name)) {
        out = *v;
        return 1;
      }
    }
  }
  if (found) {
    out = bind(*found, obj, t);
    return out.is_raised() ? -1 : 1;
  }
  if (t == types.module) {  // a module's own __getattr__ (PEP 562)
    Value* ga = dict_find_str(instance_dict(obj), dunder().getattr);
    return ga ? getattr_result(call(*ga, {name}), out, quiet) : 0;
  }
  return t->has_getattr ? getattr_hook(t, obj, name, out, quiet) : 0;
}

}  // namespace

bool instance_attr_is_plain(Type* t, const Value& name) {
  if (t == types.super || is_subtype(t, types.type)) return false;
  Value* found = type_lookup(t, name);
  if (found && is_data_descriptor(*found)) return false;
  Value* sa = type_lookup(t, dunder().setattr);
  return !(sa && sa->is_obj() && sa->obj()->type == types.function);
}

int getattr_opt(const Value& obj, const Value& name, Value& out) { return find_attr(obj, name, out, true); }

Value getattr(const Value& obj, const Value& name) {
  Value out;
  int r = find_attr(obj, name, out, false);
  if (r == 1) return out;
  if (r < 0) return Value::raised();
  const std::string& n = str_of(name);
  if (obj.is_obj() && obj.obj()->type == types.module)
    return raise(exc.AttributeError, "module '" + as<ModuleObj>(obj)->name + "' has no attribute '" + n + "'");
  if (obj.is_obj() && is_subtype(obj.obj()->type, types.type))
    return raise(exc.AttributeError, "type object '" + as<Type>(obj)->name + "' has no attribute '" + n + "'");
  return raise(exc.AttributeError, "'" + type_name(obj) + "' object has no attribute '" + n + "'");
}

Value getattr(const Value& obj, const char* name) { return getattr(obj, intern(name)); }

bool setattr(const Value& obj, const Value& name, Value v) {
  Type* t = type_of(obj);
  // A class's own __setattr__ (a metaclass's, for a class) sees every assignment.
  if (Value* sa = type_lookup(t, dunder().setattr); sa && sa->is_obj() && sa->obj()->type == types.function) {
    return !call_special(*sa, obj, {name, v}).is_raised();
  }
  if (obj.is_obj() && is_subtype(t, types.type)) return type_setattr(obj, name, std::move(v));
  return generic_setattr(obj, name, std::move(v));
}

bool type_setattr(const Value& cls, const Value& name, Value v) {
  Type* meta = type_of(cls);
  if (!meta->is_native)
    if (Value* found = type_lookup(meta, name); found && is_data_descriptor(*found))
      return generic_setattr(cls, name, std::move(v));
  Type* target = as<Type>(cls);
  if (target->is_native) {
    raise(exc.TypeError, "cannot set '" + str_of(name) + "' attribute of immutable type '" + target->name + "'");
    return false;
  }
  const std::string& n = str_of(name);
  if (n == "__name__") {  // kept in the Type, where reprs and messages read it
    if (!is_str(v)) {
      raise(exc.TypeError, "can only assign string to " + target->name + ".__name__, not '" + type_name(v) + "'");
      return false;
    }
    target->name = str_of(v);
    return true;
  }
  if (n == "__module__" && is_str(v)) target->module = str_of(v);
  if (n == "__abstractmethods__") {
    int abstract = truthy(v);
    if (abstract < 0) return false;
    target->is_abstract = abstract;
  }
  if (n == "__getattr__") target->has_getattr = true;
  dict_set_str(target->dict, name, std::move(v));
  return true;
}

bool generic_setattr(const Value& obj, const Value& name, Value v) {
  Type* t = type_of(obj);
  Value* found = type_lookup(t, name);
  if (found && found->is_obj()) {
    Type* ft = found->obj()->type;
    if (ft == types.property) {
      auto* p = as<PropertyObj>(*found);
      if (p->fset.is_none()) {
        raise(exc.AttributeError, "property '" + str_of(name) + "' of '" + t->name + "' object has no setter");
        return false;
      }
      return !call(p->fset, {obj, v}).is_raised();
    }
    if (ft == types.native_getset) {
      auto* g = as<GetSetObj>(*found);
      if (!g->set) {
        raise(exc.AttributeError, "attribute '" + str_of(name) + "' of '" + t->name + "' objects is not writable");
        return false;
      }
      return g->set(obj, std::move(v));
    }
    if (Value* set = script_descriptor_method(*found, dunder().set)) return !call_special(*set, *found, {obj, v}).is_raised();
  }
  if (obj.is_obj())
    if (DictObj* d = instance_dict(obj)) {
      dict_set_str(d, name, std::move(v));
      return true;
    }
  raise(exc.AttributeError, "'" + t->name + "' object has no attribute '" + str_of(name) + "'");
  return false;
}

bool delattr(const Value& obj, const Value& name) {
  Type* t = type_of(obj);
  if (Value* da = type_lookup(t, intern("__delattr__")); da && is_exact(*da, types.function))
    return !call_special(*da, obj, {name}).is_raised();
  return generic_delattr(obj, name);
}

bool generic_delattr(const Value& obj, const Value& name) {
  Type* t = type_of(obj);
  Value* found = type_lookup(t, name);
  if (found && is_exact(*found, types.property)) {
    auto* p = as<PropertyObj>(*found);
    if (p->fdel.is_none()) {
      raise(exc.AttributeError, "property '" + str_of(name) + "' of '" + t->name + "' object has no deleter");
      return false;
    }
    return !call(p->fdel, {obj}).is_raised();
  }
  if (found && !is_subtype(t, types.type))
    if (Value* del = script_descriptor_method(*found, dunder().delete_)) return !call_special(*del, *found, {obj}).is_raised();
  DictObj* d = nullptr;
  if (obj.is_obj() && is_subtype(t, types.type)) d = as<Type>(obj)->dict;
  else if (obj.is_obj()) d = instance_dict(obj);
  if (d) {
    Lookup r = dict_del(d, name);
    if (r == Lookup::Found) return true;
    if (r == Lookup::Error) return false;
  }
  raise(exc.AttributeError, "'" + t->name + "' object has no attribute '" + str_of(name) + "'");
  return false;
}

// ---- items ----

Value getitem(const Value& obj, const Value& key) {
  if (obj.is_obj()) {
    Type* t = obj.obj()->type;
    if ((t == types.list || t == types.tuple) && key.is_int()) {
      auto& items = t == types.list ? list_items(obj) : tuple_items(obj);
      int64_t i = key.as_int();
      if (normalize_index(i, items.size())) return items[i];
      return raise(exc.IndexError, t == types.list ? "list index out of range" : "tuple index out of range");
    }
    if (t == types.dict) {
      Value out;
      Lookup r = dict_get(as_dict(obj), key, out);
      if (r == Lookup::Found) return out;
      if (r == Lookup::Error) return Value::raised();
      return raise_value(make_exception(exc.KeyError, {key}));
    }
    if (is_subtype(t, types.type)) {
      // A metaclass's __getitem__ comes first (Enum['RED']), then the class's __class_getitem__.
      if (t != types.type)
        if (Value f = lookup_special(obj, dunder().getitem); !f.is_raised()) return call_special(f, obj, {key});
      Value* cg = type_lookup(as<Type>(obj), dunder().class_getitem);
      if (cg) return call(is_exact(*cg, types.classmethod) ? as<WrapperObj>(*cg)->func : *cg, {obj, key});
      if (as<Type>(obj)->is_native) return new_generic_alias(obj, key);
    }
  }
  Value f = lookup_special(obj, dunder().getitem);
  if (f.is_raised()) return raise(exc.TypeError, "'" + type_name(obj) + "' object is not subscriptable");
  return call_special(f, obj, {key});
}

bool setitem(const Value& obj, const Value& key, Value v) {
  if (is_exact(obj, types.list) && key.is_int()) {
    auto& items = list_items(obj);
    int64_t i = key.as_int();
    if (!normalize_index(i, items.size())) {
      raise(exc.IndexError, "list assignment index out of range");
      return false;
    }
    items[i] = std::move(v);
    return true;
  }
  if (is_exact(obj, types.dict)) return dict_set(as_dict(obj), key, std::move(v));
  Value f = lookup_special(obj, dunder().setitem);
  if (f.is_raised()) {
    raise(exc.TypeError, "'" + type_name(obj) + "' object does not support item assignment");
    return false;
  }
  return !call_special(f, obj, {key, v}).is_raised();
}

bool delitem(const Value& obj, const Value& key) {
  Value f = lookup_special(obj, dunder().delitem);
  if (f.is_raised()) {
    raise(exc.TypeError, "'" + type_name(obj) + "' object doesn't support item deletion");
    return false;
  }
  return !call_special(f, obj, {key}).is_raised();
}

bool length_of(const Value& obj, int64_t& out) {
  if (obj.is_obj()) {
    Type* t = obj.obj()->type;
    if (t == types.list) { out = (int64_t)list_items(obj).size(); return true; }
    if (t == types.tuple) { out = (int64_t)tuple_items(obj).size(); return true; }
    if (t == types.str) { out = (int64_t)as<StrObj>(obj)->length; return true; }
    if (t == types.dict) { out = (int64_t)as_dict(obj)->used; return true; }
  }
  Value f = lookup_special(obj, dunder().len);
  if (f.is_raised()) {
    raise(exc.TypeError, "object of type '" + type_name(obj) + "' has no len()");
    return false;
  }
  Value r = call_special(f, obj, {});
  if (r.is_raised()) return false;
  if (!index_of(r, out)) return false;
  if (out < 0) {
    raise(exc.ValueError, "__len__() should return >= 0");
    return false;
  }
  return true;
}

Value length(const Value& obj) {
  int64_t n;
  if (!length_of(obj, n)) return Value::raised();
  return Value::integer(n);
}

bool index_of(const Value& v, int64_t& out) {
  if (v.is_int() || v.is_bool()) { out = v.as_int(); return true; }
  if (is_bigint(v)) {
    raise(exc.IndexError, "cannot fit 'int' into an index-sized integer");
    return false;
  }
  Value f = lookup_special(v, dunder().index);
  if (f.is_raised() || v.is_float()) {
    raise(exc.TypeError, "'" + type_name(v) + "' object cannot be interpreted as an integer");
    return false;
  }
  Value r = call_special(f, v, {});
  if (r.is_raised()) return false;
  return index_of(r, out);
}

// ---- calls ----

PrependedArgs::PrependedArgs(const Value& first, const Args& args) : args_(args) {
  Value* buf = inline_;
  if (args.npos + 1 > kInline) {
    heap_.resize(args.npos + 1);
    buf = heap_.data();
  }
  buf[0] = first;
  for (size_t i = 0; i < args.npos; i++) buf[i + 1] = args.pos[i];
  args_.pos = buf;
  args_.npos = args.npos + 1;
}

Value call(const Value& f, const Args& args) {
  if (f.is_obj()) {
    Object* o = f.obj();
    Type* t = o->type;
    if (t == types.function) return call_function(static_cast<FunctionObj*>(o), args);
    if (t == types.native) {
      auto* n = static_cast<NativeObj*>(o);
      if (!n->bound) return n->fn(args);
      return n->fn(PrependedArgs(n->self, args).args());
    }
    if (t == types.method) {
      auto* m = static_cast<MethodObj*>(o);
      return call(m->func, PrependedArgs(m->self, args).args());
    }
    if (t == types.type) return type_call(static_cast<Type*>(o), args);
    if (is_subtype(t, types.type)) return metaclass_call(static_cast<Type*>(o), args);
  }
  Value c = lookup_special(f, dunder().call);
  if (c.is_raised()) return raise(exc.TypeError, "'" + type_name(f) + "' object is not callable");
  return call(c, PrependedArgs(f, args).args());
}

Value call(const Value& f, std::initializer_list<Value> args) {
  Args a;
  a.pos = args.begin();
  a.npos = args.size();
  return call(f, a);
}

Value call_method(const Value& obj, const char* name, std::initializer_list<Value> args) {
  Value m = getattr(obj, name);
  if (m.is_raised()) return m;
  return call(m, args);
}

// ---- iteration ----

Value get_iter(const Value& v) {
  if (v.is_obj()) {
    Type* t = v.obj()->type;
    if (t == types.list) return list_iter(v);
    if (t == types.tuple) return tuple_iter(v);
    if (t == types.range) return range_iter(v);
    if (t == types.dict) return dict_iter(v);
    if (t == types.str) return str_iter(v);
    if (t->iternext || t == types.generator) return v;  // an iterator is its own iterator
  }
  Value f = lookup_special(v, dunder().iter);
  if (f.is_raised() || f.is_none()) {
    Value gi = lookup_special(v, dunder().getitem);
    if (!gi.is_raised() && v.is_obj() && !v.obj()->type->is_native) return sequence_iter(v);
    return raise(exc.TypeError, "'" + type_name(v) + "' object is not iterable");
  }
  Value it = call_special(f, v, {});
  if (it.is_raised()) return it;
  if (lookup_special(it, dunder().next).is_raised())
    return raise(exc.TypeError, "iter() returned non-iterator of type '" + type_name(it) + "'");
  return it;
}

bool next_item(const Value& it, Value& out) {
  if (it.is_obj() && it.obj()->type->iternext) return it.obj()->type->iternext(it.obj(), out);
  if (it.is_obj() && it.obj()->type == types.generator) {
    GenResult r = gen_send(as<GenObj>(it), Value(), out);
    if (r == GenResult::Yielded) return true;
    out = Value();
    // An exhausted generator raises StopIteration: that is exhaustion too, not an error.
    if (r == GenResult::Raised && !exception_matches(exc.StopIteration)) out = Value::raised();
    else if (r == GenResult::Raised) take_exception();
    return false;
  }
  Value f = lookup_special(it, dunder().next);
  if (f.is_raised()) {
    out = raise(exc.TypeError, "'" + type_name(it) + "' object is not an iterator");
    return false;
  }
  out = call_special(f, it, {});
  if (!out.is_raised()) return true;
  if (exception_matches(exc.StopIteration)) {
    take_exception();
    out = Value();
  }
  return false;
}

bool is_callable(const Value& v) {
  Type* t = type_of(v);
  if (t == types.function || t == types.native || t == types.method || is_subtype(t, types.type)) return true;
  return type_lookup(t, intern("__call__")) != nullptr;
}

}  // namespace aio
