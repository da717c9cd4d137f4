// BigInt and the int64 fast paths against values printed by CPython 3.11.
#include <catch2/catch.hpp>
#include <cmath>

#include "interp/bigint.h"
#include "interp/float_repr.h"

using namespace aio;

namespace {

BigInt big(std::string_view decimal) { return *BigInt::parse(decimal, 10); }

std::string parsed(std::string_view s, int base) {
  auto v = BigInt::parse(s, base);
  return v ? v->to_string() : "invalid";
}

std::string repr(const tl::expected<double, NumError>& d) { return d ? float_repr(*d) : "ERR " + d.error().message; }

}  // namespace

TEST_CASE("parse follows int(s, base)", "[test_bigint]") {
  CHECK(parsed("  -123 ", 10) == "-123");
  CHECK(parsed("+1_000_000", 10) == "1000000");
  CHECK(parsed("0x_1f", 16) == "31");
  CHECK(parsed("0x_1f", 0) == "31");
  CHECK(parsed("-0x10", 0) == "-16");
  CHECK(parsed("0B1", 0) == "1");
  CHECK(parsed("0o7", 8) == "7");
  CHECK(parsed("0b", 16) == "11");
  CHECK(parsed("0b1", 16) == "177");
  CHECK(parsed("zz", 36) == "1295");
  CHECK(parsed("-ZZ", 36) == "-1295");
  CHECK(parsed("0_0", 0) == "0");
  CHECK(parsed("00", 0) == "0");
  CHECK(parsed("-00", 0) == "0");
  CHECK(parsed(" -0b_1_0 ", 2) == "-2");
  CHECK(parsed("123456789012345678901234567890", 10) == "123456789012345678901234567890");
  for (auto bad : {"_1", "1_", "1__0", "+-1", "- 1", "", "0x", "0o8", "+_1", "0_x1", "12a"})
    CHECK(parsed(bad, 10) == "invalid");
  for (auto bad : {"01", "0_1", "0_", "0x"}) CHECK(parsed(bad, 0) == "invalid");
  CHECK(parsed("0o8", 8) == "invalid");
  CHECK(parsed(" \x1c 12", 10) == "invalid");
}

TEST_CASE("to_string and prefixes", "[test_bigint]") {
  CHECK(BigInt(-255).to_prefixed(16) == "-0xff");
  CHECK(BigInt(8).to_prefixed(8) == "0o10");
  CHECK(BigInt(-5).to_prefixed(2) == "-0b101");
  CHECK(BigInt(0).to_prefixed(16) == "0x0");
  CHECK(BigInt(1295).to_string(36) == "zz");
  CHECK(pow(BigInt(3), 100).to_string() == "515377520732011331036461129765621272702107522001");
  CHECK(BigInt(INT64_MIN).to_string() == "-9223372036854775808");
}

TEST_CASE("arithmetic has Python semantics", "[test_bigint]") {
  BigInt e30 = pow(BigInt(10), 30);
  CHECK(floordiv(e30, 7).to_string() == "142857142857142857142857142857");
  CHECK(mod(e30, 7).to_string() == "1");
  CHECK(floordiv(-e30, 7).to_string() == "-142857142857142857142857142858");
  CHECK(mod(-e30, 7).to_string() == "6");
  auto [q, r] = divmod(e30, BigInt(-7));
  CHECK(q.to_string() == "-142857142857142857142857142858");
  CHECK(r.to_string() == "-6");
  CHECK((pow(BigInt(3), 100) * -pow(BigInt(7), 50)).to_string() ==
        "-926888454802814296233914460079520723236295610087111414672676099577127360321004640144229249");
  CHECK((pow(BigInt(3), 100) - (pow(BigInt(3), 100) + 1)).to_string() == "-1");
  CHECK(abs(BigInt(-4)) == BigInt(4));
  CHECK(BigInt(3) < BigInt(5));
  CHECK(compare(e30, -e30) > 0);
}

TEST_CASE("shifts and bitwise ops use two's complement", "[test_bigint]") {
  BigInt p100 = lshift(BigInt(1), 100);
  CHECK(rshift(p100, 3).to_string() == "158456325028528675187087900672");
  CHECK(rshift(-p100 - 1, 3).to_string() == "-158456325028528675187087900673");
  CHECK(rshift(BigInt(-5), 1).to_string() == "-3");
  CHECK(bit_and(-p100, 0xff).to_string() == "0");
  CHECK(bit_or(-p100, 5).to_string() == "-1267650600228229401496703205371");
  CHECK(bit_xor(-p100, lshift(BigInt(1), 70)).to_string() == "-1267650599047637780779291901952");
  CHECK(bit_invert(p100).to_string() == "-1267650600228229401496703205377");
  CHECK(p100.bit_length() == 101);
  CHECK((-p100).bit_length() == 101);
  CHECK(BigInt(0).bit_length() == 0);
}

TEST_CASE("pow with a modulus", "[test_bigint]") {
  CHECK(pow_mod(3, 200, 1000000007)->to_string() == "136318165");
  CHECK(pow_mod(3, -1, 7)->to_string() == "5");
  CHECK(pow_mod(3, -1, -7)->to_string() == "-2");
  CHECK(pow_mod(3, 2, -5)->to_string() == "-1");
  CHECK(pow_mod(-3, 3, 5)->to_string() == "3");
  CHECK(pow_mod(2, -1, 4).error().message == "base is not invertible for the given modulus");
  CHECK(pow_mod(2, 3, 0).error().message == "pow() 3rd argument cannot be 0");
}

TEST_CASE("hash matches CPython", "[test_bigint]") {
  CHECK(BigInt(-1).hash() == -2);
  CHECK(BigInt(-2).hash() == -2);
  CHECK(lshift(BigInt(1), 100).hash() == 549755813888);
  CHECK((-(lshift(BigInt(1), 61) - 1)).hash() == 0);
  CHECK((lshift(BigInt(1), 61) - 2).hash() == 2305843009213693950);
  CHECK(pow(BigInt(10), 30).hash() == 465258685558744706);
  CHECK((-pow(BigInt(10), 30)).hash() == -465258685558744706);
  CHECK(i64_hash(-1) == -2);
  CHECK(i64_hash(INT64_MIN) == BigInt(INT64_MIN).hash());
  CHECK(i64_hash(INT64_MAX) == BigInt(INT64_MAX).hash());
}

TEST_CASE("conversions to float round half-even", "[test_bigint]") {
  BigInt p54 = lshift(BigInt(1), 54);
  CHECK(repr((lshift(BigInt(1), 53) + 1).to_double()) == "9007199254740992.0");
  CHECK(repr((p54 + 2).to_double()) == "1.8014398509481984e+16");
  CHECK(repr((p54 + 3).to_double()) == "1.8014398509481988e+16");
  CHECK(repr((p54 + 6).to_double()) == "1.801439850948199e+16");
  CHECK(repr((-(p54 + 6)).to_double()) == "-1.801439850948199e+16");
  BigInt p1024 = lshift(BigInt(1), 1024);
  CHECK(repr((p1024 - lshift(BigInt(1), 971)).to_double()) == "1.7976931348623157e+308");
  CHECK(repr((p1024 - lshift(BigInt(1), 970)).to_double()) == "ERR int too large to convert to float");
  CHECK(repr(big("100000000000000000000").to_double()) == "1e+20");
}

TEST_CASE("true division is correctly rounded", "[test_bigint]") {
  BigInt e30 = pow(BigInt(10), 30);
  CHECK(repr(true_divide(e30, 3)) == "3.333333333333333e+29");
  CHECK(repr(true_divide(-e30, 3)) == "-3.333333333333333e+29");
  CHECK(repr(true_divide(pow(BigInt(10), 400), pow(BigInt(10), 399))) == "10.0");
  CHECK(repr(true_divide(lshift(BigInt(1), 2000) + 1, lshift(BigInt(1), 1990))) == "1024.0");
  CHECK(repr(true_divide(lshift(BigInt(1), 1100), pow(BigInt(3), 500))) == "3.7356645449244473e+92");
  CHECK(repr(true_divide(1, lshift(BigInt(1), 1074))) == "5e-324");
  CHECK(repr(true_divide(3, lshift(BigInt(1), 1075))) == "1e-323");
  CHECK(repr(true_divide(1, lshift(BigInt(1), 1075))) == "0.0");
  CHECK(repr(true_divide(7, -lshift(BigInt(1), 80))) == "-5.790264287871194e-24");
  CHECK(repr(true_divide(0, -5)) == "-0.0");
  CHECK(repr(true_divide(pow(BigInt(10), 400), 3)) == "ERR integer division result too large for a float");
  CHECK(repr(i64_true_divide(1, 3)) == "0.3333333333333333");
  CHECK(repr(i64_true_divide(INT64_MAX, 3)) == "3.0744573456182584e+18");
}

TEST_CASE("from_double truncates and compare_double is exact", "[test_bigint]") {
  CHECK(BigInt::from_double(-3.7).to_string() == "-3");
  CHECK(BigInt::from_double(1e20).to_string() == "100000000000000000000");
  CHECK(compare_double(lshift(BigInt(1), 53) + 1, 9007199254740992.0) > 0);
  CHECK(compare_double(lshift(BigInt(1), 53), 9007199254740992.0) == 0);
  CHECK(compare_double(pow(BigInt(10), 400), INFINITY) < 0);
  CHECK(compare_double(BigInt(-1), -0.5) < 0);
}

TEST_CASE("int64 fast paths detect overflow", "[test_bigint]") {
  CHECK(!i64_add(INT64_MAX, 1));
  CHECK(*i64_add(INT64_MAX, -1) == INT64_MAX - 1);
  CHECK(!i64_sub(INT64_MIN, 1));
  CHECK(!i64_mul(INT64_MAX / 2 + 1, 2));
  CHECK(!i64_neg(INT64_MIN));
  CHECK(!i64_floordiv(INT64_MIN, -1));
  CHECK(*i64_floordiv(-7, 2) == -4);
  CHECK(*i64_floordiv(7, -2) == -4);
  CHECK(*i64_floordiv(-8, 2) == -4);
  CHECK(i64_mod(INT64_MIN, -1) == 0);
  CHECK(i64_mod(-7, 2) == 1);
  CHECK(i64_mod(7, -2) == -1);
  CHECK(i64_mod(-6, 3) == 0);
  CHECK(*i64_pow(3, 39) == 4052555153018976267);
  CHECK(!i64_pow(3, 40));
  CHECK(*i64_pow(-2, 63) == INT64_MIN);
  CHECK(*i64_pow(-1, 1000000000001) == -1);
  CHECK(*i64_pow(0, 0) == 1);
  CHECK(*i64_lshift(-1, 63) == INT64_MIN);
  CHECK(!i64_lshift(1, 63));
  CHECK(*i64_lshift(0, 1000) == 0);
  CHECK(i64_rshift(-5, 1) == -3);
  CHECK(i64_rshift(-5, 100) == -1);
  CHECK(i64_bit_length(INT64_MIN) == 64);
  CHECK(i64_bit_length(-1) == 1);
}
