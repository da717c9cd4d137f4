// The native modules against values printed by CPython 3.11: the Mersenne Twister's seeded
// sequences, SHA-512, and math's exact functions called as natives.
#include <catch2/catch.hpp>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/float_repr.h"
#include "interp/int.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/tuple.h"
#include "stdlib/mt19937.h"
#include "stdlib/sha512.h"
#include "stdlib/stdlib.h"
#include "tests/unit/support.h"

using namespace aio;
using namespace aio::test;

namespace {

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

// Calls math.<name>(args...) through the module's native.
Value math_call(const char* name, std::initializer_list<Value> args) {
  ensure_interp();
  static Value module = [] {
    Value m = new_module("math");
    init_math(m);
    return m;
  }();
  Value* fn = dict_find_str(module_dict(module), intern(name));
  REQUIRE(fn);
  return call(*fn, args);
}

}  // namespace

TEST_CASE("seed(42) gives CPython's random() sequence", "[test_stdlib]") {
  ensure_interp();
  Mt19937 mt;
  mt.seed(BigInt(42));
  CHECK(float_repr(mt.random()) == "0.6394267984578837");
  CHECK(float_repr(mt.random()) == "0.025010755222666936");
  CHECK(float_repr(mt.random()) == "0.27502931836911926");
}

TEST_CASE("randint through _randbelow matches CPython", "[test_stdlib]") {
  ensure_interp();
  Mt19937 mt;
  mt.seed(BigInt(42));
  std::vector<int64_t> got;
  for (int i = 0; i < 10; i++) got.push_back(mt.randbelow(BigInt(100)).to_int64() + 1);
  CHECK(got == std::vector<int64_t>{82, 15, 4, 95, 36, 32, 29, 18, 95, 14});
  mt.seed(BigInt(12345));
  got.clear();
  for (int i = 0; i < 15; i++) got.push_back(mt.randbelow(BigInt(10)).to_int64());
  CHECK(got == std::vector<int64_t>{6, 0, 4, 5, 3, 4, 9, 6, 2, 5, 1, 6, 4, 8, 2});
}

TEST_CASE("getrandbits beyond 32 bits and big seeds", "[test_stdlib]") {
  ensure_interp();
  Mt19937 mt;
  mt.seed(BigInt(7));
  CHECK(mt.getrandbits(64).to_string() == "17485029721327973432");
  CHECK(mt.getrandbits(100).to_string() == "51572342490066390446489079095");
  mt.seed(pow(BigInt(10), 30));
  CHECK(float_repr(mt.random()) == "0.9341508484568806");
  CHECK(mt.getrandbits(100).to_string() == "27663861319996638703201714973");
}

TEST_CASE("sha512 digests", "[test_stdlib]") {
  ensure_interp();
  CHECK(hex(sha512("abc")) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(hex(sha512("")).substr(0, 16) == "cf83e1357eefb8bd");
}

TEST_CASE("math.fsum is exact", "[test_stdlib]") {
  ensure_interp();
  ensure_interp();
  std::vector<Value> tenths(10, Value::real(0.1));
  CHECK(text(math_call("fsum", {new_list(std::move(tenths))})) == "1.0");
  CHECK(text(math_call("fsum", {new_list({Value::real(1e100), Value::real(1.0), Value::real(-1e100)})})) == "1.0");
  CHECK(text(math_call("fsum", {new_list({Value::real(1e16), Value::real(1.0), Value::real(1e-16)})})) ==
        "1.0000000000000002e+16");
}

TEST_CASE("math.factorial and math.gcd on big ints", "[test_stdlib]") {
  ensure_interp();
  ensure_interp();
  CHECK(text(math_call("factorial", {Value::integer(30)})) == "265252859812191058636308480000000");
  Value a = make_int(lshift(BigInt(3), 80));
  Value b = make_int(lshift(BigInt(9), 70));
  CHECK(text(math_call("gcd", {a, b})) == "3541774862152233910272");
  CHECK(text(math_call("gcd", {Value::integer(12), Value::integer(18)})) == "6");
  CHECK(math_call("factorial", {Value::integer(-1)}).is_raised());
  CHECK(exception_message(take_exception()) == "factorial() not defined for negative values");
}
