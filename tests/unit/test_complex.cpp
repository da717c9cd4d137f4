// complex and ranges beyond int64, driven from C++: CPython's results to the bit and its errors.
#include <catch2/catch.hpp>

#include "interp/complex.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/range.h"
#include "interp/slice.h"
#include "tests/unit/support.h"

using namespace aio;
using namespace aio::test;

namespace {

Value C(double re, double im) { return new_complex({re, im}); }
Value big(const char* digits) { return make_int(*BigInt::parse(digits, 10)); }

}  // namespace

TEST_CASE("complex arithmetic and repr", "[test_complex]") {
  ensure_interp();
  CHECK(text(C(0, 1)) == "1j");
  CHECK(text(C(0, -0.0)) == "-0j");
  CHECK(text(C(-0.0, 0)) == "(-0+0j)");
  CHECK(text(C(NAN, HUGE_VAL)) == "(nan+infj)");
  CHECK(text(binary_op(BinOpKind::Div, C(1, 2), C(3, -4))) == "(-0.2+0.4j)");
  CHECK(text(binary_op(BinOpKind::Pow, C(1, 1), I(100))) == "(-1125899906842624+0j)");
  CHECK(text(binary_op(BinOpKind::Pow, C(1, 1), I(101))) == "(-1125899906842634.5-1125899906842629.5j)");
  CHECK(text(binary_op(BinOpKind::Pow, Value::integer(-8), Value::real(1.0 / 3))) ==
        "(1.0000000000000002+1.7320508075688772j)");
  CHECK(error(binary_op(BinOpKind::Div, C(1, 0), I(0))) == "ZeroDivisionError: complex division by zero");
  CHECK(error(binary_op(BinOpKind::Pow, C(0, 0), C(0, 1))) ==
        "ZeroDivisionError: 0.0 to a negative or complex power");
  CHECK(equals(C(3, 0), I(3)) == 1);
  CHECK(equals(C(9007199254740992.0, 0), big("9007199254740993")) == 0);  // exact, not rounded
  int64_t h;
  REQUIRE(hash_value(C(1, 2), h));
  CHECK(h == 2000007);
}

TEST_CASE("complex constructor", "[test_complex]") {
  ensure_interp();
  Value cls = Value::borrow(types.complex);
  CHECK(text(meth(cls, "__new__", {cls, S(" (1_0-2.5J) ")})) == "(10-2.5j)");
  CHECK(text(meth(cls, "__new__", {cls, C(1, 2), C(3, 4)})) == "(-3+5j)");
  CHECK(text(meth(cls, "__new__", {cls}, {{"imag", I(2)}})) == "2j");
  CHECK(error(meth(cls, "__new__", {cls, S("1+")})) == "ValueError: complex() arg is a malformed string");
  CHECK(error(meth(cls, "__new__", {cls, S("1"), I(2)})) ==
        "TypeError: complex() can't take second arg if first is a string");
}

TEST_CASE("ranges beyond int64", "[test_complex]") {
  ensure_interp();
  Value r = new_range(BigInt(0), *BigInt::parse("100000000000000000000", 10), BigInt(1));
  CHECK(text(r) == "range(0, 100000000000000000000)");
  CHECK(text(range_getitem(as<RangeObj>(r), I(-1))) == "99999999999999999999");
  CHECK(text(range_getitem(as<RangeObj>(r), new_slice(Value(), Value(), I(-1)))) ==
        "range(99999999999999999999, -1, -1)");
  CHECK(error(length(r)) == "OverflowError: Python int too large to convert to C ssize_t");
  Value it = range_iter(new_range(INT64_MAX - 1, INT64_MIN, -(INT64_MAX / 2)));
  std::vector<std::string> seen;
  Value out;
  while (range_iter_next(it.obj(), out)) seen.push_back(text(out));
  CHECK(seen == std::vector<std::string>{"9223372036854775806", "4611686018427387903", "0",
                                         "-4611686018427387903", "-9223372036854775806"});
  // A length beyond int64 makes even int64 bounds a wide range.
  CHECK(error(meth(new_range(INT64_MIN, INT64_MAX, 1), "__len__")) ==
        "OverflowError: Python int too large to convert to C ssize_t");
}
