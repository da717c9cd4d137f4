// Module objects: a name and a dict of globals.
#pragma once
#include <string>

#include "interp/object.h"

namespace aio {

struct DictObj;

struct ModuleObj : Object {
  std::string name;
  DictObj* dict;
  explicit ModuleObj(const std::string& n);
  ~ModuleObj() override;
  DictObj* attr_dict() override { return dict; }
};

Value new_module(const std::string& name);
inline DictObj* module_dict(const Value& m) { return static_cast<ModuleObj*>(m.obj())->dict; }

}  // namespace aio
