// types.GenericAlias: an origin class and its parameters, printed like the source wrote them.
#include "interp/generic_alias.h"

#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "interp/union_type.h"

namespace aio {

namespace {

struct AliasObj : Object {
  Value origin, args;  // args: always a tuple
  AliasObj(Type* t, Value o, Value a) : Object(t), origin(std::move(o)), args(std::move(a)) {}
};

// Classes print by qualified name (builtins unqualified), anything else by repr, as CPython does.
bool param_repr(const Value& v, std::string& out) {
  if (v.is_obj() && is_subtype(type_of(v), types.type)) {
    auto* t = as<Type>(v);
    Value* q = dict_find_str(t->dict, intern("__qualname__"));
    if (t->module != "builtins") out += t->module + ".";
    out += q && is_str(*q) ? str_of(*q) : t->name;
    return true;
  }
  if (is_exact(v, types.ellipsis)) {
    out += "...";
    return true;
  }
  return repr_string(v, out);
}

Value alias_repr(const Args& a) {
  auto* g = as<AliasObj>(a[0]);
  std::string out;
  if (!param_repr(g->origin, out)) return Value::raised();
  out += "[";
  const auto& items = tuple_items(g->args);
  for (size_t i = 0; i < items.size(); i++) {
    if (i) out += ", ";
    if (!param_repr(items[i], out)) return Value::raised();
  }
  if (items.empty()) out += "()";
  return new_str(out + "]");
}

// GenericAlias(origin, args), as classes written in aio spell __class_getitem__.
Value alias_new(const Args& a) {
  Args rest = a;
  rest.pos = a.pos + 1;
  rest.npos = a.npos - 1;
  if (!no_kwargs(a, "GenericAlias") || !check_args(rest, "GenericAlias", 2, 2)) return Value::raised();
  return new_generic_alias(rest[0], rest[1]);
}

Value alias_call(const Args& a) {
  Args rest = a;
  rest.pos = a.pos + 1;
  rest.npos = a.npos - 1;
  return call(as<AliasObj>(a[0])->origin, rest);
}

Value alias_origin(const Value& self) { return as<AliasObj>(self)->origin; }
Value alias_args(const Value& self) { return as<AliasObj>(self)->args; }

Value alias_eq(const Args& a) {
  if (!is_exact(a[1], type_of(a[0]))) return not_implemented();
  auto *x = as<AliasObj>(a[0]), *y = as<AliasObj>(a[1]);
  if (!x->origin.is(y->origin)) return Value::boolean(false);
  return compare(CmpOp::Eq, x->args, y->args);
}

Value alias_hash(const Args& a) {
  auto* g = as<AliasObj>(a[0]);
  int64_t h;
  if (!hash_value(new_tuple({g->origin, g->args}), h)) return Value::raised();
  return Value::integer(h);
}

Value alias_or(const Args& a) { return make_union(a[0], a[1]); }
Value alias_ror(const Args& a) { return make_union(a[1], a[0]); }

Type* alias_type() {
  static Type* t = [] {
    auto* t = new Type("GenericAlias", types.object);
    t->module = "types";
    add_method(t, "__repr__", alias_repr);
    add_method(t, "__new__", alias_new);
    add_method(t, "__call__", alias_call);
    add_method(t, "__eq__", alias_eq);
    add_method(t, "__hash__", alias_hash);
    add_method(t, "__or__", alias_or);
    add_method(t, "__ror__", alias_ror);
    add_getset(t, "__origin__", alias_origin);
    add_getset(t, "__args__", alias_args);
    return t;
  }();
  return t;
}

}  // namespace

bool is_generic_alias(const Value& v) { return is_exact(v, alias_type()); }

Value new_generic_alias(const Value& origin, const Value& args) {
  Value params = is_exact(args, types.tuple) ? args : new_tuple({args});
  return Value::adopt(new AliasObj(alias_type(), origin, std::move(params)));
}

}  // namespace aio
