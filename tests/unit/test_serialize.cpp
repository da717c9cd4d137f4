// serialize/deserialize: values survive the round trip with their reprs, shared references and
// cycles; what cannot cross raises pickle's TypeError; damaged input raises instead of crashing.
#include <catch2/catch.hpp>

#include <string>

#include "interp/bigint.h"
#include "interp/exception.h"
#include "interp/int.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/serialize.h"
#include "tests/unit/support.h"

using namespace aio;
using namespace aio::test;

namespace {

Value round_trip(const Value& v) {
  std::string data;
  REQUIRE(serialize(v, data));
  Value back = deserialize(data);
  REQUIRE(!back.is_raised());
  return back;
}

std::string repr_of(const Value& v) {
  Value r = repr(v);
  REQUIRE(!r.is_raised());
  return str_of(r);
}

// The error message of the propagating exception, which must be of type t.
std::string raised_message(Type* t) {
  Value e = take_exception();
  REQUIRE(isinstance(e, t));
  return exception_message(e);
}

}  // namespace

TEST_CASE("scalars and containers keep their reprs", "[test_serialize]") {
  ensure_interp();
  std::vector<Value> values = {
      Value(), Value::boolean(true), Value::integer(-7), Value::real(2.5),
      make_int(pow(BigInt(3), 90)), new_str("caf\xc3\xa9"), empty_tuple(),
      new_tuple({Value::integer(1), new_list({new_str("x"), Value()})}),
  };
  for (const Value& v : values) CHECK(repr_of(round_trip(v)) == repr_of(v));
}

TEST_CASE("a list shared twice comes back as one list, and a cycle closes", "[test_serialize]") {
  ensure_interp();
  Value inner = new_list({Value::integer(1)});
  Value outer = new_list({inner, inner});
  list_append(as<ListObj>(outer), outer);
  Value back = round_trip(outer);
  const std::vector<Value>& items = list_items(back);
  REQUIRE(items.size() == 3);
  CHECK(items[0].is(items[1]));
  CHECK(items[2].is(back));
  list_items(outer).pop_back();  // break the cycle so that the list can be freed
  list_items(back).pop_back();
}

TEST_CASE("a value that cannot cross raises pickle's TypeError", "[test_serialize]") {
  ensure_interp();
  std::string data;
  CHECK(!serialize(new_list({Value::integer(1), new_native("f", [](const Args&) { return Value(); })}), data));
  CHECK(raised_message(exc.TypeError) == "cannot pickle 'builtin_function_or_method' object");
}

TEST_CASE("damaged input raises ValueError", "[test_serialize]") {
  ensure_interp();
  std::string data;
  REQUIRE(serialize(new_tuple({new_str("abc"), Value::integer(5)}), data));
  for (size_t cut : {size_t(0), size_t(1), data.size() - 1}) {
    CHECK(deserialize(std::string_view(data).substr(0, cut)).is_raised());
    CHECK(raised_message(exc.ValueError) == "malformed serialized value");
  }
  CHECK(deserialize(data + "N").is_raised());
  CHECK(raised_message(exc.ValueError) == "malformed serialized value");
}
