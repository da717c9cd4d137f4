// Struct sequences: tuples whose items also have names (time.struct_time, sys.version_info).
#pragma once
#include <string>
#include <vector>

#include "interp/object.h"

namespace aio {

// A tuple subtype named `name` (repr'd as `repr_name(field=value, ...)`) with one attribute per field.
Type* new_structseq_type(const std::string& name, const std::string& repr_name,
                         std::vector<std::string> fields);
Value new_structseq(Type* t, std::vector<Value>&& items);

}  // namespace aio
