// The format-spec mini-language and printf-style '%' against strings printed by CPython 3.11.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <map>
#include <variant>
#include <vector>

#include "interp/float_repr.h"
#include "interp/format_spec.h"

using namespace aio;

namespace {

BigInt big(std::string_view decimal) { return *BigInt::parse(decimal, 10); }

// The result, or the exception message (all these errors are ValueError or OverflowError).
std::string show(const tl::expected<std::string, NumError>& r) { return r ? *r : r.error().message; }

using Arg = std::variant<int64_t, double, std::string>;

// A stand-in for the interpreter: positional args or one mapping, str() of strings only.
class TestArgs : public PercentArgs {
 public:
  explicit TestArgs(std::vector<Arg> args) : args_(std::move(args)) {}
  explicit TestArgs(std::map<std::string, Arg> mapping) : mapping_(std::move(mapping)) {}

  tl::expected<void, NumError> select_key(std::string_view key) override {
    auto it = mapping_.find(std::string(key));
    if (it == mapping_.end()) return tl::unexpected(NumError{NumError::Kind::Raised, "KeyError"});
    keyed_ = it->second;
    return {};
  }
  tl::expected<int64_t, NumError> next_star() override {
    auto a = take();
    if (!a) return tl::unexpected(a.error());
    if (!std::holds_alternative<int64_t>(*a)) return tl::unexpected(type_error("* wants int"));
    return std::get<int64_t>(*a);
  }
  tl::expected<void, NumError> next_arg() override {
    auto a = take();
    if (!a) return tl::unexpected(a.error());
    current_ = *a;
    return {};
  }
  tl::expected<std::string, NumError> convert(const PercentSpec& spec) override {
    if (auto* s = std::get_if<std::string>(&current_)) return percent_pad(*s, spec);
    if (auto* i = std::get_if<int64_t>(&current_)) {
      if (spec.conv == 'c') return percent_pad(std::string(1, char(*i)), spec);
      if (spec.conv == 's') return percent_pad(std::to_string(*i), spec);
      if (std::strchr("eEfFgG", spec.conv)) return percent_format_float(double(*i), spec);
      return percent_format_int(*i, spec);
    }
    double d = std::get<double>(current_);
    if (spec.conv == 's') return percent_pad(float_repr(d), spec);
    return percent_format_float(d, spec);
  }
  bool all_used() const { return next_ == args_.size(); }

 private:
  tl::expected<Arg, NumError> take() {
    if (keyed_) {
      Arg a = *keyed_;
      keyed_.reset();
      return a;
    }
    if (next_ >= args_.size()) return tl::unexpected(type_error("not enough arguments for format string"));
    return args_[next_++];
  }
  std::vector<Arg> args_;
  std::map<std::string, Arg> mapping_;
  std::optional<Arg> keyed_;
  Arg current_;
  size_t next_ = 0;
};

std::string percent(std::string_view tmpl, std::vector<Arg> args) {
  TestArgs a(std::move(args));
  return show(percent_format(tmpl, a));
}

std::string percent_one(std::string_view tmpl, Arg arg) { return percent(tmpl, {std::move(arg)}); }

std::string percent_big(std::string_view tmpl, const BigInt& v) {
  PercentSpec spec;
  spec.conv = tmpl.back();
  return percent_format_int(v, spec);
}

}  // namespace

TEST_CASE("parse_format_spec fields", "[test_format_spec]") {
  auto f = parse_format_spec("*^+z#012_.3e", FormatKind::Float, "float");
  REQUIRE(f);
  CHECK(f->fill == U'*');
  CHECK(f->align == '^');
  CHECK(f->sign == '+');
  CHECK(f->no_neg_zero);
  CHECK(f->alternate);
  CHECK(f->width == 12);
  CHECK(f->grouping == '_');
  CHECK(f->precision == 3);
  CHECK(f->type == U'e');
  auto zero = parse_format_spec("010", FormatKind::Int, "int");
  CHECK(zero->fill == U'0');
  CHECK(zero->align == '=');
  CHECK(zero->type == U'd');
  auto str = parse_format_spec("05", FormatKind::Str, "str");
  CHECK(str->align == '<');
  CHECK(parse_format_spec("é^5", FormatKind::Str, "str")->fill == U'é');
}

TEST_CASE("format of ints", "[test_format_spec]") {
  CHECK(show(format_int(int64_t{42}, "08.3f")) == "0042.000");
  CHECK(show(format_int(int64_t{255}, "#x")) == "0xff");
  CHECK(show(format_int(int64_t{-42}, "+06d")) == "-00042");
  CHECK(show(format_int(int64_t{1234567}, ",")) == "1,234,567");
  CHECK(show(format_int(int64_t{1234567}, "_x")) == "12_d687");
  CHECK(show(format_int(int64_t{12345}, "_b")) == "11_0000_0011_1001");
  CHECK(show(format_int(int64_t{255}, "#010_x")) == "0x000_00ff");
  CHECK(show(format_int(int64_t{-1234567}, "020,d")) == "-000,000,001,234,567");
  CHECK(show(format_int(int64_t{1234}, "09,")) == "0,001,234");
  CHECK(show(format_int(int64_t{1234}, "010,")) == "00,001,234");
  CHECK(show(format_int(int64_t{65}, "c")) == "A");
  CHECK(show(format_int(int64_t{128512}, "c")) == "😀");
  CHECK(show(format_int(int64_t{65}, "0=5c")) == "0000A");
  CHECK(show(format_int(int64_t{255}, "c")) == "ÿ");
  CHECK(show(format_int(int64_t{-5}, "=10")) == "-        5");
  CHECK(show(format_int(int64_t{-5}, "x<+10")) == "-5xxxxxxxx");
  CHECK(show(format_int(int64_t{5}, " d")) == " 5");
  CHECK(show(format_int(int64_t{255}, "#X")) == "0XFF");
  CHECK(show(format_int(int64_t{5}, "#b")) == "0b101");
  CHECK(show(format_int(int64_t{8}, "#o")) == "0o10");
  CHECK(show(format_int(big("1267650600228229401496703205376"), ",")) == "1,267,650,600,228,229,401,496,703,205,376");
  CHECK(show(format_int(big("-1180591620717411303424"), "#_x")) == "-0x40_0000_0000_0000_0000");
  CHECK(show(format_int(big("1000000000000000000000000000000"), "e")) == "1.000000e+30");
  CHECK(show(format_int(int64_t{1}, "%")) == "100.000000%");
  CHECK(show(format_int(int64_t{1}, "é<5")) == "1éééé");
  CHECK(show(format_int(int64_t{10}, "n")) == "10");
  CHECK(show(format_int(big("9223372036854775808"), "d")) == "9223372036854775808");
  CHECK(show(format_int(big("-9223372036854775808"), "x")) == "-8000000000000000");
  CHECK(show(format_int(big("-9223372036854775808"), "_")) == "-9_223_372_036_854_775_808");
  CHECK(show(format_int(int64_t{1}, "#.3g")) == "1.00");
  CHECK(show(format_int(int64_t{1}, ",.2f")) == "1.00");
  CHECK(show(format_int(int64_t{300}, "^9,")) == "   300   ");
  CHECK(show(format_int(int64_t{0}, "#o")) == "0o0");
  CHECK(show(format_int(big("10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"), "e")) == "int too large to convert to float");
  CHECK(show(format_int(int64_t{-1}, "c")) == "%c arg not in range(0x110000)");
  CHECK(show(format_int(int64_t{1114112}, "c")) == "%c arg not in range(0x110000)");
  CHECK(show(format_int(big("1180591620717411303424"), "c")) == "Python int too large to convert to C long");
  CHECK(show(format_int(int64_t{1}, "abc")) == "Invalid format specifier 'abc' for object of type 'int'");
  CHECK(show(format_int(int64_t{1}, "s")) == "Unknown format code 's' for object of type 'int'");
  CHECK(show(format_int(int64_t{1}, ",_")) == "Cannot specify both ',' and '_'.");
  CHECK(show(format_int(int64_t{1}, "_,")) == "Cannot specify both ',' and '_'.");
  CHECK(show(format_int(int64_t{1}, ",x")) == "Cannot specify ',' with 'x'.");
  CHECK(show(format_int(int64_t{1}, "_c")) == "Cannot specify '_' with 'c'.");
  CHECK(show(format_int(int64_t{1}, ".2d")) == "Precision not allowed in integer format specifier");
  CHECK(show(format_int(int64_t{1}, "z")) == "Negative zero coercion (z) not allowed in integer format specifier");
  CHECK(show(format_int(int64_t{1}, "+c")) == "Sign not allowed with integer format specifier 'c'");
  CHECK(show(format_int(int64_t{1}, "#c")) == "Alternate form (#) not allowed with integer format specifier 'c'");
  CHECK(show(format_int(int64_t{1}, ",n")) == "Cannot specify ',' with 'n'.");
  CHECK(show(format_int(int64_t{1}, "_n")) == "Cannot specify '_' with 'n'.");
  CHECK(show(format_int(int64_t{1}, "99999999999999999999999")) == "Too many decimal digits in format string");
  CHECK(show(format_int(int64_t{1}, "=s")) == "Unknown format code 's' for object of type 'int'");
  CHECK(show(format_int(int64_t{7}, "é")) == "Unknown format code '\\xe9' for object of type 'int'");
  CHECK(show(format_int(int64_t{-7}, "")) == "-7");
  CHECK(show(format_int(big("-123456789012345678901234567890"), "")) == "-123456789012345678901234567890");
  CHECK(show(format_int(int64_t{1}, "s", "bool")) == "Unknown format code 's' for object of type 'bool'");
  CHECK(format_int(int64_t{-1}, "c").error().kind == NumError::Kind::Overflow);
}

TEST_CASE("format of floats", "[test_format_spec]") {
  CHECK(show(format_float(3.14159, ".2f")) == "3.14");
  CHECK(show(format_float(0.5, "%")) == "50.000000%");
  CHECK(show(format_float(1e+100, "g")) == "1e+100");
  CHECK(show(format_float(1234567.891, ",.2f")) == "1,234,567.89");
  CHECK(show(format_float(1.0, ".0")) == "1e+00");
  CHECK(show(format_float(1.5, ".2")) == "1.5");
  CHECK(show(format_float(123.456, ".2")) == "1.2e+02");
  CHECK(show(format_float(2.0, ".2")) == "2.0");
  CHECK(show(format_float(1e+20, ".2")) == "1e+20");
  CHECK(show(format_float(1e+16, ".17")) == "1e+16");
  CHECK(show(format_float(1e+16, ".16")) == "1e+16");
  CHECK(show(format_float(1000000000000000.0, ".16")) == "1e+15");
  CHECK(show(format_float(INFINITY, "010")) == "0000000inf");
  CHECK(show(format_float(INFINITY, "=+10")) == "+      inf");
  CHECK(show(format_float(NAN, "+")) == "+nan");
  CHECK(show(format_float(NAN, "+")) == "+nan");
  CHECK(show(format_float(-INFINITY, "G")) == "-INF");
  CHECK(show(format_float(INFINITY, "E")) == "INF");
  CHECK(show(format_float(NAN, "F")) == "NAN");
  CHECK(show(format_float(-0.0, "z.1f")) == "0.0");
  CHECK(show(format_float(-0.001, ".1f")) == "-0.0");
  CHECK(show(format_float(-0.001, "z.1f")) == "0.0");
  CHECK(show(format_float(-0.0, "z")) == "0.0");
  CHECK(show(format_float(1.0, "#.0f")) == "1.");
  CHECK(show(format_float(1.0, "#.0")) == "1.e+00");
  CHECK(show(format_float(1.0, "#.0e")) == "1.e+00");
  CHECK(show(format_float(1.0, "#g")) == "1.00000");
  CHECK(show(format_float(1.0, "#")) == "1.0");
  CHECK(show(format_float(100.0, "#.3g")) == "100.");
  CHECK(show(format_float(12345.678, "_f")) == "12_345.678000");
  CHECK(show(format_float(1234567.0, ",")) == "1,234,567.0");
  CHECK(show(format_float(0.1, "^+12.3e")) == " +1.000e-01 ");
  CHECK(show(format_float(3.0, "n")) == "3");
  CHECK(show(format_float(12345.6, "n")) == "12345.6");
  CHECK(show(format_float(123456789.0, ".12")) == "123456789.0");
  CHECK(show(format_float(0.000123, "%")) == "0.012300%");
  CHECK(show(format_float(0.5, ".1%")) == "50.0%");
  CHECK(show(format_float(1e+301, "f")) == "10000000000000000525047602552044202487044685811081591549158541155118024579889081957863713750804478640437044438328838781769425232353604305756447921847867069828483872009265758037378302337947880900593689532349707999450811190389676408800746527427801424945792587888200568428381156694721963868654594005401600.000000");
  CHECK(show(format_float(1.5, "=^10")) == "===1.5====");
  CHECK(show(format_float(2.5, ".0f")) == "2");
  CHECK(show(format_float(0.125, ".2f")) == "0.12");
  CHECK(show(format_float(0.375, ".2f")) == "0.38");
  CHECK(show(format_float(123456.0, ".6")) == "1.23456e+05");
  CHECK(show(format_float(0.0001, "g")) == "0.0001");
  CHECK(show(format_float(1e-05, "g")) == "1e-05");
  CHECK(show(format_float(42.0, "e")) == "4.200000e+01");
  CHECK(show(format_float(-1.5, "020,.3f")) == "-000,000,000,001.500");
  CHECK(show(format_float(1e+16, ",")) == "1e+16");
  CHECK(show(format_float(1.0, "x")) == "Unknown format code 'x' for object of type 'float'");
  CHECK(show(format_float(1.0, "abc")) == "Invalid format specifier 'abc' for object of type 'float'");
  CHECK(show(format_float(1.5, "c")) == "Unknown format code 'c' for object of type 'float'");
  CHECK(show(format_float(1.0, "d")) == "Unknown format code 'd' for object of type 'float'");
  CHECK(show(format_float(1.0, ",n")) == "Cannot specify ',' with 'n'.");
  CHECK(show(format_float(1.0, "z+")) == "Unknown format code '+' for object of type 'float'");
  CHECK(show(format_float(1.0, ".")) == "Format specifier missing precision");
  CHECK(show(format_float(1.0, "")) == "1.0");
  CHECK(show(format_float(1e16, "")) == "1e+16");
}

TEST_CASE("format of strings counts code points", "[test_format_spec]") {
  CHECK(show(format_str("ab", "^7")) == "  ab   ");
  CHECK(show(format_str("ab", "*>5")) == "***ab");
  CHECK(show(format_str("été", "^7")) == "  été  ");
  CHECK(show(format_str("été", ".2")) == "ét");
  CHECK(show(format_str("ab", "é^6")) == "ééabéé");
  CHECK(show(format_str("ab", "05")) == "ab000");
  CHECK(show(format_str("abc", ".1")) == "a");
  CHECK(show(format_str("abc", "^8.2")) == "   ab   ");
  CHECK(show(format_str("x", "<0")) == "x");
  CHECK(show(format_str("ab", "03")) == "ab0");
  CHECK(show(format_str("日本", ">4")) == "  日本");
  CHECK(show(format_str("", "")) == "");
  CHECK(show(format_str("a", "x")) == "Unknown format code 'x' for object of type 'str'");
  CHECK(show(format_str("a", ",s")) == "Cannot specify ',' with 's'.");
  CHECK(show(format_str("a", ",")) == "Cannot specify ',' with 's'.");
  CHECK(show(format_str("a", "+")) == "Sign not allowed in string format specifier");
  CHECK(show(format_str("a", " ")) == "Space not allowed in string format specifier");
  CHECK(show(format_str("a", ".")) == "Format specifier missing precision");
  CHECK(show(format_str("a", "=")) == "'=' alignment not allowed in string format specifier");
  CHECK(show(format_str("a", "#")) == "Alternate form (#) not allowed in string format specifier");
  CHECK(show(format_str("a", "z")) == "Negative zero coercion (z) not allowed in string format specifier");
  CHECK(show(format_str("a", "abc")) == "Invalid format specifier 'abc' for object of type 'str'");
  CHECK(show(format_str("a", ".99999999999999999999999")) == "Too many decimal digits in format string");
}

TEST_CASE("percent conversions of ints", "[test_format_spec]") {
  CHECK(percent_one("%5d", int64_t{42}) == "   42");
  CHECK(percent_one("%-5d|", int64_t{42}) == "42   |");
  CHECK(percent_one("%05d", int64_t{-42}) == "-0042");
  CHECK(percent_one("%+d", int64_t{42}) == "+42");
  CHECK(percent_one("% d", int64_t{42}) == " 42");
  CHECK(percent_one("%.5d", int64_t{-42}) == "-00042");
  CHECK(percent_one("%#x", int64_t{255}) == "0xff");
  CHECK(percent_one("%#X", int64_t{255}) == "0XFF");
  CHECK(percent_one("%#o", int64_t{8}) == "0o10");
  CHECK(percent_one("%#08x", int64_t{255}) == "0x0000ff");
  CHECK(percent_one("%x", int64_t{-255}) == "-ff");
  CHECK(percent_one("%#x", int64_t{-255}) == "-0xff");
  CHECK(percent_one("%05.3d", int64_t{7}) == "00007");
  CHECK(percent_one("%-05d|", int64_t{3}) == "3    |");
  CHECK(percent_one("%.3x", int64_t{5}) == "005");
  CHECK(percent_one("%#.3x", int64_t{5}) == "0x005");
  CHECK(percent_one("%#.3o", int64_t{5}) == "0o005");
  CHECK(percent_one("%#o", int64_t{0}) == "0o0");
  CHECK(percent_one("%#8x", int64_t{255}) == "    0xff");
  CHECK(percent_one("%-#8x|", int64_t{255}) == "0xff    |");
  CHECK(percent_one("% x", int64_t{255}) == " ff");
  CHECK(percent_one("%#+08X", int64_t{-255}) == "-0X000FF");
  CHECK(percent_one("%+#o", int64_t{8}) == "+0o10");
  CHECK(percent_big("%d", big("100000000000000000000")) == "100000000000000000000");
  CHECK(percent_big("%x", big("1180591620717411303424")) == "400000000000000000");
  CHECK(percent_one("%u", int64_t{-3}) == "-3");
  CHECK(percent_one("%i", int64_t{7}) == "7");
}

TEST_CASE("percent conversions of floats", "[test_format_spec]") {
  CHECK(percent_one("%5.1f", 3.14159) == "  3.1");
  CHECK(percent_one("%e", 12345.678) == "1.234568e+04");
  CHECK(percent_one("%#.0f", 1.0) == "1.");
  CHECK(percent_one("%g", 1e-05) == "1e-05");
  CHECK(percent_one("%#g", 1.0) == "1.00000");
  CHECK(percent_one("%05f", INFINITY) == "00inf");
  CHECK(percent_one("%+f", NAN) == "+nan");
  CHECK(percent_one("%.0e", 0.5) == "5e-01");
  CHECK(percent_one("%G", 1e+100) == "1E+100");
  CHECK(percent_one("%f", 1e+300) == "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000");
  CHECK(percent_one("%-8.3e|", -1.5) == "-1.500e+00|");
  CHECK(percent_one("%010.2f", -3.14159) == "-000003.14");
  CHECK(percent_one("% 06.1f", 2.0) == " 002.0");
  CHECK(percent_one("%F", INFINITY) == "INF");
  CHECK(percent_one("%E", -INFINITY) == "-INF");
  CHECK(percent_one("%.3g", 1234567.0) == "1.23e+06");
  CHECK(percent_one("%08.3e", 12.5) == "1.250e+01");
  CHECK(percent_one("%#5.0e|", 3.0) == "3.e+00|");
  CHECK(percent_one("%-+8.2f|", 3.14159) == "+3.14   |");
  CHECK(percent_one("%+08.2f", 3.14159) == "+0003.14");
}

TEST_CASE("percent templates", "[test_format_spec]") {
  CHECK(percent("%s and %s", {std::string("a"), std::string("b")}) == "a and b");
  CHECK(percent("%*d", {int64_t{5}, int64_t{3}}) == "    3");
  CHECK(percent("%.*f", {int64_t{2}, 3.14159}) == "3.14");
  CHECK(percent("%-*d|", {int64_t{-5}, int64_t{3}}) == "3    |");
  CHECK(percent("%*d|", {int64_t{-5}, int64_t{3}}) == "3    |");
  CHECK(percent("%.*f", {int64_t{-2}, 3.14159}) == "3");
  CHECK(percent("100%% %s%%", {std::string("x")}) == "100% x%");
  CHECK(percent("%5s|%-5s|", {std::string("ab"), std::string("ab")}) == "   ab|ab   |");
  CHECK(percent("%05s", {std::string("ab")}) == "   ab");
  CHECK(percent("%.1s", {std::string("abc")}) == "a");
  CHECK(percent("%.2s", {std::string("été")}) == "ét");
  CHECK(percent("%c", {int64_t{65}}) == "A");
  CHECK(percent("%.3c", {int64_t{65}}) == "A");
  CHECK(percent("%05c", {int64_t{65}}) == "    A");
  CHECK(percent("%ld %hd %Ld", {int64_t{5}, int64_t{5}, int64_t{5}}) == "5 5 5");
  CHECK(percent("%s", {1.0}) == "1.0");
  CHECK(percent("%5%", {}) == "not enough arguments for format string");
  CHECK(percent("%5%", {int64_t{1}}) == "unsupported format character '%' (0x25) at index 2");
  CHECK(percent("%z", {int64_t{1}}) == "unsupported format character 'z' (0x7a) at index 1");
  CHECK(percent("aé%y", {int64_t{1}}) == "unsupported format character 'y' (0x79) at index 3");
  CHECK(percent("%é", {int64_t{1}}) == "unsupported format character '?' (0xe9) at index 1");
  CHECK(percent("%", {int64_t{1}}) == "incomplete format");
  CHECK(percent("%*", {int64_t{1}}) == "incomplete format");
  CHECK(percent("%d %d", {int64_t{1}}) == "not enough arguments for format string");
  CHECK(percent("%*d", {std::string("x"), int64_t{1}}) == "* wants int");
  CHECK(percent("%.99999999999f", {1.0}) == "precision too big");

  TestArgs keyed(std::map<std::string, Arg>{{"a", int64_t{1}}, {"b", int64_t{2}}, {"a(b)", std::string("p")}});
  CHECK(show(percent_format("%(a)s %(b)d %(a(b))s", keyed)) == "1 2 p");
  CHECK(show(percent_format("%(a", keyed)) == "incomplete format key");
  CHECK(percent_format("%(zz)s", keyed).error().kind == NumError::Kind::Raised);
  CHECK(show(percent_format("%(a)s%%", keyed)) == "1%");

  TestArgs two(std::vector<Arg>{int64_t{1}, int64_t{2}});
  CHECK(show(percent_format("%d", two)) == "1");
  CHECK(!two.all_used());
}
