// Descriptors: computed attributes of native types, properties, static and class methods.
#pragma once
#include "interp/object.h"

namespace aio {

using Getter = Value (*)(const Value& self);
using Setter = bool (*)(const Value& self, Value v);  // false: raised

// A computed attribute of a native type (like CPython's getset descriptors).
struct GetSetObj : Object {
  const char* name;
  Getter get;
  Setter set;
  GetSetObj(const char* n, Getter g, Setter s);
};

struct PropertyObj : Object {
  Value fget, fset, fdel, doc;
  PropertyObj();
};

// staticmethod and classmethod wrappers (add_classmethod wraps a native in a classmethod).
struct WrapperObj : Object {
  Value func;
  WrapperObj(Type* t, Value f);
};

void add_getset(Type* t, const char* name, Getter get, Setter set = nullptr);

}  // namespace aio
