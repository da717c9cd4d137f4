// Module objects.
#include "interp/module.h"

#include "interp/dict.h"
#include "interp/str.h"

namespace aio {

ModuleObj::ModuleObj(const std::string& n) : Object(types.module), name(n), dict(new DictObj()) {}
ModuleObj::~ModuleObj() { decref(dict); }

Value new_module(const std::string& name) {
  auto* m = new ModuleObj(name);
  dict_set_str(m->dict, intern("__name__"), new_str(name));
  dict_set_str(m->dict, intern("__doc__"), Value());
  return Value::adopt(m);
}

}  // namespace aio
