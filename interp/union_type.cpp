// types.UnionType: a flat, duplicate-free list of member classes, printed as "int | str".
#include "interp/union_type.h"

#include "interp/descr.h"
#include "interp/generic_alias.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

namespace {

struct UnionObj : Object {
  std::vector<Value> members;
  UnionObj(Type* t, std::vector<Value> m) : Object(t), members(std::move(m)) {}
};

Type* union_type;

bool is_class(const Value& v) { return v.is_obj() && is_subtype(type_of(v), types.type); }

// Adds an operand's classes or generic aliases (None stands for NoneType); false when it
// cannot be a member.
bool add_members(const Value& v, std::vector<Value>& out) {
  if (const std::vector<Value>* m = union_members(v)) {
    for (const Value& x : *m) add_members(x, out);
    return true;
  }
  Value cls = v.is_none() ? Value::borrow(types.none) : v;
  if (!is_class(cls) && !is_generic_alias(cls)) return false;
  for (const Value& x : out)
    if (x.is(cls)) return true;
  out.push_back(cls);
  return true;
}

Value union_or(const Args& a) { return make_union(a[0], a[1]); }
Value union_ror(const Args& a) { return make_union(a[1], a[0]); }

Value union_repr(const Args& a) {
  std::string out;
  for (const Value& m : as<UnionObj>(a[0])->members) {
    if (!out.empty()) out += " | ";
    if (is_generic_alias(m)) {
      std::string alias;
      if (!repr_string(m, alias)) return Value::raised();
      out += alias;
      continue;
    }
    Type* t = as<Type>(m);
    if (t == types.none) out += "None";
    else out += t->module == "builtins" ? t->name : t->module + "." + t->name;
  }
  return new_str(out);
}

Value union_args(const Value& self) { return new_tuple(std::vector<Value>(as<UnionObj>(self)->members)); }

}  // namespace

Value make_union(const Value& a, const Value& b) {
  std::vector<Value> members;
  if (!add_members(a, members) || !add_members(b, members)) return not_implemented();
  if (members.size() == 1) return members[0];
  return Value::adopt(new UnionObj(union_type, std::move(members)));
}

const std::vector<Value>* union_members(const Value& v) {
  return is_exact(v, union_type) ? &as<UnionObj>(v)->members : nullptr;
}

void init_union_type() {
  union_type = new Type("UnionType", types.object);
  union_type->module = "types";
  add_method(union_type, "__repr__", union_repr);
  add_method(union_type, "__or__", union_or);
  add_method(union_type, "__ror__", union_ror);
  add_getset(union_type, "__args__", union_args);
  add_method(types.type, "__or__", union_or);
  add_method(types.type, "__ror__", union_ror);
}

}  // namespace aio
