// Argument helpers the native modules share, on top of object.h's check_args/arg_or_kw.
#pragma once
#include <cstddef>
#include <string>

#include "interp/exception.h"
#include "interp/object.h"

namespace aio {

// A keyword-only argument by name; nullptr when not passed.
inline const Value* kwarg(const Args& a, const char* name) { return arg_or_kw(a, SIZE_MAX, name); }

// A required argument of a method or __new__ (a.pos[0] is the receiver, so idx is also the
// position CPython reports); nullptr after raising TypeError when absent.
inline const Value* required_arg(const Args& a, size_t idx, const char* fname, const char* name) {
  if (const Value* v = arg_or_kw(a, idx, name)) return v;
  raise(exc.TypeError, std::string(fname) + "() missing required argument '" + name + "' (pos " +
                           std::to_string(idx) + ")");
  return nullptr;
}

}  // namespace aio
