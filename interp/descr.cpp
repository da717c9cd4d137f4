// Descriptor objects and their registration helpers.
#include "interp/descr.h"

#include "interp/dict.h"
#include "interp/str.h"

namespace aio {

GetSetObj::GetSetObj(const char* n, Getter g, Setter s) : Object(types.native_getset), name(n), get(g), set(s) {}
PropertyObj::PropertyObj() : Object(types.property) {}
WrapperObj::WrapperObj(Type* t, Value f) : Object(t), func(std::move(f)) {}

void add_getset(Type* t, const char* name, Getter get, Setter set) {
  dict_set_str(t->dict, intern(name), Value::adopt(new GetSetObj(name, get, set)));
}

void add_classmethod(Type* t, const char* name, NativeFn fn) {
  dict_set_str(t->dict, intern(name), Value::adopt(new WrapperObj(types.classmethod, new_native(name, fn))));
}

}  // namespace aio
