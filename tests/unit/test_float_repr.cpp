// Float repr, hash, floor division and round() against values printed by CPython 3.11.
#include <catch2/catch.hpp>
#include <cmath>

#include "interp/float_repr.h"

using namespace aio;

namespace {

std::string rounded(double x, int64_t ndigits) {
  auto r = float_round(x, ndigits);
  return r ? float_repr(*r) : r.error().message;
}

}  // namespace

TEST_CASE("repr gives the shortest round-trip digits in CPython's layout", "[test_float_repr]") {
  CHECK(float_repr(0.1) == "0.1");
  CHECK(float_repr(1.0 / 3) == "0.3333333333333333");
  CHECK(float_repr(1e22) == "1e+22");
  CHECK(float_repr(1e-7) == "1e-07");
  CHECK(float_repr(5e-324) == "5e-324");
  CHECK(float_repr(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(float_repr(2.5) == "2.5");
  CHECK(float_repr(100.0) == "100.0");
  CHECK(float_repr(1e16) == "1e+16");
  CHECK(float_repr(9990000000000000.0) == "9990000000000000.0");
  CHECK(float_repr(123456789012345.0) == "123456789012345.0");
  CHECK(float_repr(0.0001) == "0.0001");
  CHECK(float_repr(0.00001) == "1e-05");
  CHECK(float_repr(1.5e-5) == "1.5e-05");
  CHECK(float_repr(1e-4 * 1.5) == "0.00015000000000000001");
  CHECK(float_repr(2e16 + 8) == "2.000000000000001e+16");
  CHECK(float_repr(-0.0) == "-0.0");
  CHECK(float_repr(0.0) == "0.0");
  CHECK(float_repr(INFINITY) == "inf");
  CHECK(float_repr(-INFINITY) == "-inf");
  CHECK(float_repr(NAN) == "nan");
  CHECK(float_repr(-NAN) == "nan");
  CHECK(float_str(1e100) == "1e+100");
}

TEST_CASE("double_to_string follows PyOS_double_to_string", "[test_float_repr]") {
  CHECK(double_to_string(3.14159, 'f', 2, 0) == "3.14");
  CHECK(double_to_string(2.5, 'f', 0, 0) == "2");
  CHECK(double_to_string(0.125, 'f', 2, 0) == "0.12");
  CHECK(double_to_string(1.0, 'f', 0, kDoubleAlt) == "1.");
  CHECK(double_to_string(12345.678, 'e', 6, 0) == "1.234568e+04");
  CHECK(double_to_string(1e100, 'G', 6, 0) == "1E+100");
  CHECK(double_to_string(1.0, 'g', 6, kDoubleAlt) == "1.00000");
  CHECK(double_to_string(1.5, 'g', 2, kDoubleAddDot0) == "1.5");
  CHECK(double_to_string(2.0, 'g', 2, kDoubleAddDot0) == "2.0");
  CHECK(double_to_string(-0.001, 'f', 1, kDoubleNoNegZero) == "0.0");
  CHECK(double_to_string(1.0, 'r', 0, kDoubleAddDot0 | kDoubleSign) == "+1.0");
  CHECK(double_to_string(-NAN, 'F', 6, kDoubleSign) == "+NAN");
  CHECK(double_to_string(-INFINITY, 'e', 6, 0) == "-inf");
}

TEST_CASE("hash matches CPython's _Py_HashDouble", "[test_float_repr]") {
  CHECK(float_hash(1.0) == 1);
  CHECK(float_hash(0.5) == 1152921504606846976);
  CHECK(float_hash(-0.5) == -1152921504606846976);
  CHECK(float_hash(1.5) == 1152921504606846977);
  CHECK(float_hash(-2.5) == -1152921504606846978);
  CHECK(float_hash(1e100) == 1822893315824342674);
  CHECK(float_hash(1e-300) == 482449582752280463);
  CHECK(float_hash(3.14159) == 326484311674566659);
  CHECK(float_hash(std::ldexp(1.0, 70)) == 512);
  CHECK(float_hash(1e308) == 156575653125701);
  CHECK(float_hash(-1.0) == -2);
  CHECK(float_hash(0.0) == 0);
  CHECK(float_hash(INFINITY) == 314159);
  CHECK(float_hash(-INFINITY) == -314159);
}

TEST_CASE("floor division and modulo take the divisor's sign", "[test_float_repr]") {
  struct Case { double x, y; const char* div; const char* mod; };
  const Case cases[] = {
      {7.0, 2.0, "3.0", "1.0"},        {-7.0, 2.0, "-4.0", "1.0"},
      {7.0, -2.0, "-4.0", "-1.0"},     {-7.5, -2.0, "3.0", "-1.5"},
      {0.0, -3.0, "-0.0", "-0.0"},     {-0.0, 3.0, "-0.0", "0.0"},
      {1e-300, -1e300, "-1.0", "-1e+300"}, {5.0, 0.5, "10.0", "0.0"},
      {1.0, 0.1, "9.0", "0.09999999999999995"}, {-1e-20, 1.0, "-1.0", "1.0"},
  };
  for (const Case& c : cases) {
    CHECK(float_repr(float_floordiv(c.x, c.y)) == c.div);
    CHECK(float_repr(float_mod(c.x, c.y)) == c.mod);
    auto [q, r] = float_divmod(c.x, c.y);
    CHECK(float_repr(q) == c.div);
    CHECK(float_repr(r) == c.mod);
  }
}

TEST_CASE("round is correctly rounded through the decimal value", "[test_float_repr]") {
  CHECK(rounded(2.675, 2) == "2.67");
  CHECK(rounded(0.5, 0) == "0.0");
  CHECK(rounded(1.5, 0) == "2.0");
  CHECK(rounded(2.5, 0) == "2.0");
  CHECK(rounded(-0.5, 0) == "-0.0");
  CHECK(rounded(-0.04, 1) == "-0.0");
  CHECK(rounded(1234.5678, -2) == "1200.0");
  CHECK(rounded(1250.0, -2) == "1200.0");
  CHECK(rounded(1350.0, -2) == "1400.0");
  CHECK(rounded(0.125, 2) == "0.12");
  CHECK(rounded(0.375, 2) == "0.38");
  CHECK(rounded(1e300, -300) == "1e+300");
  CHECK(rounded(1.7976931348623157e308, -308) == "rounded value too large to represent");
  CHECK(rounded(5e-324, 400) == "5e-324");
  CHECK(rounded(123.456, 10) == "123.456");
  CHECK(rounded(0.1 + 0.2, 15) == "0.3");
  CHECK(rounded(-2.5, -1) == "-0.0");
  CHECK(rounded(15.0, -1) == "20.0");
  CHECK(rounded(25.0, -1) == "20.0");
  CHECK(rounded(INFINITY, 2) == "inf");
  CHECK(float_round_half_even(0.5) == 0.0);
  CHECK(float_round_half_even(1.5) == 2.0);
  CHECK(float_round_half_even(2.5) == 2.0);
  CHECK(float_round_half_even(-2.5) == -2.0);
}

TEST_CASE("float to int conversion errors", "[test_float_repr]") {
  CHECK(float_to_bigint(-3.7)->to_string() == "-3");
  CHECK(float_to_bigint(INFINITY).error().message == "cannot convert float infinity to integer");
  CHECK(float_to_bigint(INFINITY).error().kind == NumError::Kind::Overflow);
  CHECK(float_to_bigint(NAN).error().message == "cannot convert float NaN to integer");
  CHECK(float_to_bigint(NAN).error().kind == NumError::Kind::Value);
}
