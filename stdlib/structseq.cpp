// Struct sequences: a tuple subtype whose type dict lists the field names; attribute access
// goes through __getattr__ to the item at the field's position.
#include "stdlib/structseq.h"

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

namespace {

const std::vector<Value>& fields_of(Type* t) {
  return tuple_items(*dict_find_str(t->dict, intern("_fields")));
}

Value structseq_getattr(const Args& a) {
  const std::vector<Value>& fields = fields_of(type_of(a[0]));
  const std::vector<Value>& items = tuple_items(a[0]);
  for (size_t i = 0; i < fields.size() && i < items.size(); i++)
    if (str_of(fields[i]) == str_of(a[1])) return items[i];
  return raise(exc.AttributeError,
               "'" + type_name(a[0]) + "' object has no attribute '" + str_of(a[1]) + "'");
}

Value structseq_repr(const Args& a) {
  Type* t = type_of(a[0]);
  const std::vector<Value>& fields = fields_of(t);
  const std::vector<Value>& items = tuple_items(a[0]);
  std::string out = str_of(*dict_find_str(t->dict, intern("_repr_name"))) + "(";
  for (size_t i = 0; i < fields.size() && i < items.size(); i++) {
    std::string r;
    if (!repr_string(items[i], r)) return Value::raised();
    out += (i ? ", " : "") + str_of(fields[i]) + "=" + r;
  }
  return new_str(out + ")");
}

}  // namespace

Type* new_structseq_type(const std::string& name, const std::string& repr_name,
                         std::vector<std::string> fields) {
  Type* t = new Type(name, types.tuple);
  std::vector<Value> names;
  for (auto& f : fields) names.push_back(intern(f));
  add_attr(t, "_fields", new_tuple(std::move(names)));
  add_attr(t, "_repr_name", new_str(repr_name));
  add_attr(t, "n_fields", Value::integer(static_cast<int64_t>(fields.size())));
  add_method(t, "__getattr__", structseq_getattr);
  add_method(t, "__repr__", structseq_repr);
  t->has_getattr = true;
  return t;
}

Value new_structseq(Type* t, std::vector<Value>&& items) {
  return Value::adopt(with_type(new TupleObj(std::move(items)), t));
}

}  // namespace aio
