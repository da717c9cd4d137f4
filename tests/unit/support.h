// What the unit tests that drive the object model from C++ share.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "interp/object.h"

namespace aio::test {

// Initializes the one interpreter the unit-test runner uses (once; later calls do nothing).
void ensure_interp();

struct Kw {
  const char* name;
  Value value;
};

// self.name(args..., **kws) through the native registered on self's type (on self itself when
// self is a type: then the call is unbound, as __new__ and fromhex are).
Value meth(const Value& self, const char* name, std::vector<Value> args = {}, std::vector<Kw> kws = {});

inline Value I(int64_t i) { return Value::integer(i); }
inline Value S(std::string_view s) { return new_str(s); }

// repr(v); v must not be the raised status.
std::string text(const Value& v);
// "Type: message" of the exception a call raised; v must be the raised status.
std::string error(const Value& v);

}  // namespace aio::test
