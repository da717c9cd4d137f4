// Argument helpers the native modules share, on top of object.h's check_args/arg_or_kw.
#pragma once
#include <cstddef>

#include "interp/object.h"

namespace aio {

// A keyword-only argument by name; nullptr when not passed.
inline const Value* kwarg(const Args& a, const char* name) { return arg_or_kw(a, SIZE_MAX, name); }

}  // namespace aio
