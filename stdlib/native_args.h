// Argument helpers the native modules share, on top of object.h's check_args/arg_or_kw.
#pragma once
#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/object.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

// A keyword-only argument by name; nullptr when not passed.
inline const Value* kwarg(const Args& a, const char* name) { return arg_or_kw(a, SIZE_MAX, name); }

// Rejects keyword arguments not in `allowed`, with CPython's message naming the function.
inline bool check_kwnames(const Args& a, const char* fname, std::initializer_list<std::string_view> allowed) {
  for (size_t i = 0; i < a.nkw(); i++) {
    const std::string& k = str_of((*a.kwnames)[i]);
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    raise(exc.TypeError, std::string(fname) + "() got an unexpected keyword argument '" + k + "'");
    return false;
  }
  return true;
}

// A required argument of a method or __new__ (a.pos[0] is the receiver, so idx is also the
// position CPython reports); nullptr after raising TypeError when absent.
inline const Value* required_arg(const Args& a, size_t idx, const char* fname, const char* name) {
  if (const Value* v = arg_or_kw(a, idx, name)) return v;
  raise(exc.TypeError, std::string(fname) + "() missing required argument '" + name + "' (pos " +
                           std::to_string(idx) + ")");
  return nullptr;
}

// The arguments of f(*args, **kwargs) for natives handed a tuple and a dict (or None) to call with.
class SpreadArgs {
 public:
  SpreadArgs(const Value& args, const Value& kwargs) : pos_(tuple_items(args)) {
    if (is_exact(kwargs, types.dict)) {
      size_t at = 0;
      const DictObj::Entry* e;
      while (dict_next(as<DictObj>(kwargs), at, e)) {
        names_.push_back(intern(str_of(e->key)));
        values_.push_back(e->value);
      }
    }
    args_ = Args{pos_.data(), pos_.size(), values_.data(), names_.empty() ? nullptr : &names_};
  }
  SpreadArgs(const SpreadArgs&) = delete;
  SpreadArgs& operator=(const SpreadArgs&) = delete;
  const Args& args() const { return args_; }

 private:
  std::vector<Value> pos_, names_, values_;
  Args args_;
};

}  // namespace aio
