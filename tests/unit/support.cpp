#include "tests/unit/support.h"

#include <catch2/catch.hpp>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"

namespace aio::test {

void ensure_interp() {
  static Interp interp;
  static bool ready = (interp_init(interp), true);
  (void)ready;
}

Value meth(const Value& self, const char* name, std::vector<Value> args, std::vector<Kw> kws) {
  Type* owner = isinstance(self, types.type) ? as<Type>(self) : type_of(self);
  Value* f = dict_find_str(owner->dict, intern(name));
  REQUIRE(f != nullptr);
  std::vector<Value> pos;
  if (owner != self.obj()) pos.push_back(self);
  for (Value& v : args) pos.push_back(std::move(v));
  std::vector<Value> names, vals;
  for (Kw& k : kws) {
    names.push_back(intern(k.name));
    vals.push_back(std::move(k.value));
  }
  Args a;
  a.pos = pos.data();
  a.npos = pos.size();
  a.kwvals = vals.data();
  a.kwnames = kws.empty() ? nullptr : &names;
  return as<NativeObj>(*f)->fn(a);
}

std::string text(const Value& v) {
  REQUIRE(!v.is_raised());
  std::string out;
  REQUIRE(repr_string(v, out));
  return out;
}

std::string error(const Value& v) {
  REQUIRE(v.is_raised());
  return exception_line(take_exception());
}

}  // namespace aio::test
