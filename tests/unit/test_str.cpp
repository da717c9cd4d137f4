// str, bytes and bytearray through their C++ helpers and their registered natives.
#include <catch2/catch.hpp>

#include "interp/bytes.h"
#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "tests/unit/support.h"

using namespace aio;
using namespace aio::test;

namespace {

std::string str_text(const Value& v) {
  REQUIRE(!v.is_raised());
  REQUIRE(is_str(v));
  return str_of(v);
}

}  // namespace

TEST_CASE("utf8 helpers and hashing", "[test_str]") {
  ensure_interp();
  Value s = S("aé中😀");
  auto* o = as<StrObj>(s);
  CHECK(o->length == 4);
  CHECK_FALSE(o->ascii);
  CHECK(utf8_offset(o, 2) == 3);
  CHECK(utf8_offset(o, 4) == o->s.size());
  size_t i = 3;
  CHECK(decode_utf8(o->s, i) == 0x4E2D);
  std::string out;
  append_utf8(out, 0x1F600);
  CHECK(out == "😀");
  CHECK(str_hash(as<StrObj>(S("hello"))) == str_hash(as<StrObj>(S("hello"))));
  CHECK(str_hash(as<StrObj>(S("hello"))) != -1);
  CHECK(intern("abc").obj() == intern("abc").obj());
  CHECK(as<StrObj>(intern("abc"))->interned);
  CHECK(str_compare(as<StrObj>(S("a")), as<StrObj>(S("é"))) < 0);
  CHECK(str_contains(as<StrObj>(S("hello")), as<StrObj>(S("ll"))));
}

TEST_CASE("str repr", "[test_str]") {
  ensure_interp();
  CHECK(str_repr("abc") == "'abc'");
  CHECK(str_repr("a'b") == "\"a'b\"");
  CHECK(str_repr("a\"b") == "'a\"b'");
  CHECK(str_repr("a'\"b") == "'a\\'\"b'");
  CHECK(str_repr("\t\n\r\\\x7f\x01") == "'\\t\\n\\r\\\\\\x7f\\x01'");
  CHECK(str_repr("é中😀") == "'é中😀'");
  CHECK(str_repr("\u00a0\u200b\u3000\ue000") == "'\\xa0\\u200b\\u3000\\ue000'");
  CHECK(ascii_escape("'é中😀'") == "'\\xe9\\u4e2d\\U0001f600'");
}

TEST_CASE("str indexing, slicing, iteration", "[test_str]") {
  ensure_interp();
  Value s = S("héllo");
  CHECK(str_text(str_getitem(as<StrObj>(s), new_slice(I(1), Value(), I(2)))) == "él");
  CHECK(str_text(str_getitem(as<StrObj>(s), new_slice(Value(), Value(), I(-1)))) == "olléh");
  CHECK(str_text(str_getitem(as<StrObj>(s), I(1))) == "é");
  CHECK(str_text(str_getitem(as<StrObj>(s), I(-1))) == "o");
  CHECK(error(str_getitem(as<StrObj>(s), I(5))) == "IndexError: string index out of range");
  CHECK(error(str_getitem(as<StrObj>(s), Value::real(1.0))) ==
        "TypeError: string indices must be integers, not 'float'");
  CHECK(meth(s, "__len__").as_int() == 5);
  Value it = str_iter(s);
  std::string joined;
  Value c;
  while (str_iter_step(it, c)) joined += str_of(c) + ",";
  CHECK(joined == "h,é,l,l,o,");
  CHECK(str_text(str_concat(as<StrObj>(S("ab")), as<StrObj>(S("cd")))) == "abcd");
  CHECK(str_text(str_repeat(as<StrObj>(S("ab")), 3)) == "ababab");
  CHECK(str_text(str_repeat(as<StrObj>(S("ab")), -1)) == "");
}

TEST_CASE("str split, join, strip, replace", "[test_str]") {
  ensure_interp();
  CHECK(text(meth(S("  a b\t c  "), "split")) == "['a', 'b', 'c']");
  CHECK(text(meth(S("a b  c  "), "split", {Value(), I(1)})) == "['a', 'b  c  ']");
  CHECK(text(meth(S("  a b c"), "rsplit", {}, {{"maxsplit", I(1)}})) == "['  a b', 'c']");
  CHECK(text(meth(S("a,b,,c"), "split", {S(",")})) == "['a', 'b', '', 'c']");
  CHECK(text(meth(S("a,b,,c"), "rsplit", {S(","), I(2)})) == "['a,b', '', 'c']");
  CHECK(error(meth(S("a"), "split", {S("")})) == "ValueError: empty separator");
  CHECK(error(meth(S("a"), "split", {I(1)})) == "TypeError: must be str or None, not int");
  CHECK(text(meth(S("x\r\ny\nz\r"), "splitlines", {Value::boolean(true)})) == "['x\\r\\n', 'y\\n', 'z\\r']");
  CHECK(text(meth(S("x\r\ny"), "splitlines")) == "['x', 'y']");
  CHECK(str_text(meth(S(", "), "join", {new_list({S("a"), S("b")})})) == "a, b");
  CHECK(error(meth(S(""), "join", {new_list({S("a"), I(2)})})) ==
        "TypeError: sequence item 1: expected str instance, int found");
  CHECK(str_text(meth(S("  hi \n"), "strip")) == "hi");
  CHECK(str_text(meth(S("xxhixy"), "strip", {S("xy")})) == "hi");
  CHECK(str_text(meth(S("  hi "), "lstrip")) == "hi ");
  CHECK(str_text(meth(S("  hi "), "rstrip")) == "  hi");
  CHECK(str_text(meth(S("ééaéé"), "strip", {S("é")})) == "a");
  CHECK(str_text(meth(S("aaa"), "replace", {S("a"), S("bb"), I(2)})) == "bbbba");
  CHECK(str_text(meth(S("ab"), "replace", {S(""), S("-")})) == "-a-b-");
  CHECK(str_text(meth(S("ab"), "replace", {S(""), S("-"), I(2)})) == "-a-b");
  CHECK(text(meth(S("a=b=c"), "partition", {S("=")})) == "('a', '=', 'b=c')");
  CHECK(text(meth(S("a=b=c"), "rpartition", {S("=")})) == "('a=b', '=', 'c')");
  CHECK(text(meth(S("abc"), "rpartition", {S("=")})) == "('', '', 'abc')");
  CHECK(str_text(meth(S("prefix-x"), "removeprefix", {S("prefix-")})) == "x");
  CHECK(str_text(meth(S("x.py"), "removesuffix", {S(".py")})) == "x");
  CHECK(str_text(meth(S("a\tbc\td"), "expandtabs", {I(4)})) == "a   bc  d");
}

TEST_CASE("str searching", "[test_str]") {
  ensure_interp();
  CHECK(meth(S("héllo"), "find", {S("l")}).as_int() == 2);
  CHECK(meth(S("héllo"), "rfind", {S("l")}).as_int() == 3);
  CHECK(meth(S("héllo"), "find", {S("l"), I(3)}).as_int() == 3);
  CHECK(meth(S("abc"), "find", {S(""), I(4)}).as_int() == -1);
  CHECK(meth(S("abc"), "find", {S("c"), I(0), I(-1)}).as_int() == -1);
  CHECK(error(meth(S("abc"), "index", {S("x")})) == "ValueError: substring not found");
  CHECK(error(meth(S("abc"), "find", {I(1)})) == "TypeError: must be str, not int");
  CHECK(meth(S("abc"), "count", {S("")}).as_int() == 4);
  CHECK(meth(S("aaaa"), "count", {S("aa")}).as_int() == 2);
  CHECK(meth(S("abc"), "startswith", {S("ab")}).as_bool());
  CHECK(meth(S("abc"), "startswith", {new_tuple({S("x"), S("a")})}).as_bool());
  CHECK_FALSE(meth(S("abc"), "endswith", {S("b")}).as_bool());
  CHECK(meth(S("abc"), "endswith", {S("b"), I(0), I(2)}).as_bool());
  CHECK(error(meth(S("abc"), "startswith", {I(1)})) ==
        "TypeError: startswith first arg must be str or a tuple of str, not int");
  CHECK(meth(S("abc"), "__contains__", {S("bc")}).as_bool());
  CHECK(error(meth(S("abc"), "__contains__", {I(1)})) ==
        "TypeError: 'in <string>' requires string as left operand, not int");
}

TEST_CASE("str case, padding, predicates", "[test_str]") {
  ensure_interp();
  CHECK(str_text(meth(S("héllo wörld"), "upper")) == "HÉLLO WÖRLD");
  CHECK(str_text(meth(S("ΑΒΓ Дом"), "lower")) == "αβγ дом");
  CHECK(str_text(meth(S("straße"), "upper")) == "STRASSE");
  CHECK(str_text(meth(S("Straße"), "casefold")) == "strasse");
  CHECK(str_text(meth(S("they're bill's"), "title")) == "They'Re Bill'S");
  CHECK(str_text(meth(S("hELLO wORLD"), "capitalize")) == "Hello world");
  CHECK(str_text(meth(S("aB"), "swapcase")) == "Ab");
  CHECK(str_text(meth(S("abc"), "center", {I(8), S("*")})) == "**abc***");
  CHECK(str_text(meth(S("ab"), "center", {I(5), S("*")})) == "**ab*");
  CHECK(str_text(meth(S("中"), "ljust", {I(3), S("-")})) == "中--");
  CHECK(str_text(meth(S("7"), "rjust", {I(3)})) == "  7");
  CHECK(error(meth(S("a"), "center", {I(5), S("ab")})) ==
        "TypeError: The fill character must be exactly one character long");
  CHECK(str_text(meth(S("-42"), "zfill", {I(6)})) == "-00042");
  CHECK(meth(S("中文"), "isalpha").as_bool());
  CHECK_FALSE(meth(S("٣"), "isalpha").as_bool());
  CHECK(meth(S("٣"), "isdecimal").as_bool());
  CHECK(meth(S("²"), "isdigit").as_bool());
  CHECK_FALSE(meth(S("²"), "isdecimal").as_bool());
  CHECK(meth(S("一½"), "isnumeric").as_bool());
  CHECK_FALSE(meth(S(""), "isdigit").as_bool());
  CHECK(meth(S("abc123"), "isalnum").as_bool());
  CHECK(meth(S(" \t\u3000"), "isspace").as_bool());
  CHECK(meth(S("ABC1"), "isupper").as_bool());
  CHECK_FALSE(meth(S("123"), "islower").as_bool());
  CHECK(meth(S("Hello World"), "istitle").as_bool());
  CHECK_FALSE(meth(S("Hello world"), "istitle").as_bool());
  CHECK(meth(S("_x1"), "isidentifier").as_bool());
  CHECK_FALSE(meth(S("1x"), "isidentifier").as_bool());
  CHECK_FALSE(meth(S("a\n"), "isprintable").as_bool());
  CHECK(meth(S("abc"), "isascii").as_bool());
  CHECK_FALSE(meth(S("é"), "isascii").as_bool());
}

TEST_CASE("str comparison dunders decline other types", "[test_str]") {
  ensure_interp();
  CHECK(meth(S("a"), "__lt__", {S("b")}).as_bool());
  CHECK(meth(S("a"), "__eq__", {S("a")}).as_bool());
  CHECK(is_not_implemented(meth(S("a"), "__eq__", {I(1)})));
  CHECK(is_not_implemented(meth(S("a"), "__add__", {I(1)})));
  CHECK(is_not_implemented(meth(S("a"), "__mul__", {S("b")})));
  CHECK(str_text(meth(S("ab"), "__rmul__", {I(2)})) == "abab");
}

TEST_CASE("printf-style %", "[test_str]") {
  ensure_interp();
  CHECK(str_text(str_mod(S("%s-%r-%a"), new_tuple({S("x"), S("y"), S("é")}))) == "x-'y'-'\\xe9'");
  CHECK(str_text(str_mod(S("%5.2f|%-4d|%x|%#o|%+d"), new_tuple({Value::real(3.14159), I(7), I(255), I(8), I(5)}))) ==
        " 3.14|7   |ff|0o10|+5");
  CHECK(str_text(str_mod(S("%05d|%.3e|%g|%c%c"), new_tuple({I(-42), Value::real(12345.678), Value::real(0.0001), I(65), S("b")}))) ==
        "-0042|1.235e+04|0.0001|Ab");
  CHECK(str_text(str_mod(S("%*d|%.*s|%%"), new_tuple({I(4), I(1), I(2), S("abc")}))) == "   1|ab|%");
  CHECK(str_text(str_mod(S("%s"), I(5))) == "5");
  CHECK(str_text(str_mod(S("%d"), Value::real(3.9))) == "3");
  Value d = new_dict();
  dict_set(as_dict(d), S("name"), S("bob"));
  CHECK(str_text(str_mod(S("hi %(name)s"), d)) == "hi bob");
  CHECK(error(str_mod(S("%s %s"), new_tuple({I(1)}))) == "TypeError: not enough arguments for format string");
  CHECK(error(str_mod(S("%s"), new_tuple({I(1), I(2)}))) ==
        "TypeError: not all arguments converted during string formatting");
  CHECK(error(str_mod(S("%d"), S("a"))) == "TypeError: %d format: a real number is required, not str");
  CHECK(error(str_mod(S("hi"), I(5))) == "TypeError: not all arguments converted during string formatting");
}

TEST_CASE("str.format", "[test_str]") {
  ensure_interp();
  CHECK(str_text(meth(S("{} and {}"), "format", {S("a"), S("b")})) == "a and b");
  CHECK(str_text(meth(S("{} and {}"), "format", {I(1), S("b")})) == "1 and b");
  CHECK(str_text(meth(S("{1}{0}{1}"), "format", {S("a"), S("b")})) == "bab");
  CHECK(str_text(meth(S("{x!r:>{w}}"), "format", {}, {{"x", S("a")}, {"w", I(5)}})) == "  'a'");
  CHECK(str_text(meth(S("{0[1]}|{{}}"), "format", {new_list({I(5), I(6)})})) == "6|{}");
  CHECK(str_text(meth(S("{:.2f}|{:>5}|{:,}"), "format", {Value::real(2.5), S("ab"), I(1234567)})) ==
        "2.50|   ab|1,234,567");
  CHECK(error(meth(S("{} {}"), "format", {I(1)})) ==
        "IndexError: Replacement index 1 out of range for positional args tuple");
  CHECK(error(meth(S("{name}"), "format")) == "KeyError: 'name'");
  CHECK(error(meth(S("{0}{}"), "format", {I(1), I(2)})) ==
        "ValueError: cannot switch from manual field specification to automatic field numbering");
  CHECK(error(meth(S("a}"), "format")) == "ValueError: Single '}' encountered in format string");
  Value d = new_dict();
  dict_set(as_dict(d), S("k"), I(3));
  CHECK(str_text(meth(S("{k}"), "format_map", {d})) == "3");
  CHECK(str_text(meth(S("ab"), "__format__", {S("^6")})) == "  ab  ");
}

TEST_CASE("str construction, encode, translate", "[test_str]") {
  ensure_interp();
  Value cls = Value::borrow(types.str);
  CHECK(str_text(meth(cls, "__new__", {cls})) == "");
  CHECK(str_text(meth(cls, "__new__", {cls, I(42)})) == "42");
  CHECK(str_text(meth(cls, "__new__", {cls, new_bytes("h\xc3\xa9"), S("utf-8")})) == "hé");
  CHECK(text(meth(S("hé"), "encode")) == "b'h\\xc3\\xa9'");
  CHECK(text(meth(S("aé"), "encode", {S("latin-1")})) == "b'a\\xe9'");
  CHECK(error(meth(S("é"), "encode", {S("ascii")})) ==
        "UnicodeEncodeError: 'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)");
  CHECK(text(meth(S("aé"), "encode", {S("ascii"), S("replace")})) == "b'a?'");
  CHECK(error(meth(S("a"), "encode", {S("foo")})) == "LookupError: unknown encoding: foo");
  Value* mk = dict_find_str(types.str->dict, intern("maketrans"));
  Value pos[] = {S("ab"), S("xy"), S("c")};
  Args ma;
  ma.pos = pos;
  ma.npos = 3;
  Value table = as<NativeObj>(as<WrapperObj>(*mk)->func)->fn(ma);  // maketrans is a staticmethod
  CHECK(str_text(meth(S("abcab"), "translate", {table})) == "xyxy");
}

TEST_CASE("bytes", "[test_str]") {
  ensure_interp();
  CHECK(bytes_repr("a'b") == "b\"a'b\"");
  CHECK(bytes_repr(std::string("\x00\xff\n'\"", 5)) == "b'\\x00\\xff\\n\\'\"'");
  Value b = new_bytes("abc");
  CHECK(meth(b, "__getitem__", {I(1)}).as_int() == 98);
  CHECK(text(meth(b, "__getitem__", {new_slice(I(0), I(2), Value())})) == "b'ab'");
  CHECK(meth(b, "__len__").as_int() == 3);
  CHECK(meth(b, "__eq__", {new_bytes("abc")}).as_bool());
  CHECK(meth(b, "__hash__").as_int() == meth(new_bytes("abc"), "__hash__").as_int());
  CHECK(text(meth(b, "__add__", {new_bytes("d")})) == "b'abcd'");
  CHECK(error(meth(b, "__add__", {S("d")})) == "TypeError: can't concat str to bytes");
  CHECK(meth(b, "__contains__", {I(99)}).as_bool());
  CHECK(str_text(meth(b, "hex")) == "616263");
  CHECK(text(meth(Value::borrow(types.bytes), "fromhex", {Value::borrow(types.bytes), S("61 62")})) == "b'ab'");
  CHECK(text(meth(new_bytes(" a b "), "split")) == "[b'a', b'b']");
  CHECK(text(meth(new_bytes("-"), "join", {new_list({new_bytes("a"), new_bytes("b")})})) == "b'a-b'");
  CHECK(text(meth(new_bytes("aB"), "upper")) == "b'AB'");
  CHECK(str_text(meth(new_bytes("h\xc3\xa9"), "decode")) == "hé");
  CHECK(error(meth(new_bytes("\xff"), "decode")) ==
        "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
  CHECK(error(meth(new_bytes("a\xe4\xb8"), "decode")) ==
        "UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 1-2: unexpected end of data");
  CHECK(str_text(meth(new_bytes("a\xe4\xb8z\xff"), "decode", {S("utf-8"), S("replace")})) == "a\xef\xbf\xbdz\xef\xbf\xbd");
  CHECK(str_text(meth(new_bytes("a\xff"), "decode", {S("ascii"), S("ignore")})) == "a");
  Value cls = Value::borrow(types.bytes);
  CHECK(text(meth(cls, "__new__", {cls, I(2)})) == "b'\\x00\\x00'");
  CHECK(text(meth(cls, "__new__", {cls, new_list({I(104), I(105)})})) == "b'hi'");
  CHECK(text(meth(cls, "__new__", {cls, S("é"), S("utf-8")})) == "b'\\xc3\\xa9'");
  CHECK(error(meth(cls, "__new__", {cls, new_list({I(256)})})) == "ValueError: bytes must be in range(0, 256)");
  CHECK(error(meth(cls, "__new__", {cls, S("a")})) == "TypeError: string argument without an encoding");
}

TEST_CASE("bytearray", "[test_str]") {
  ensure_interp();
  Value cls = Value::borrow(types.bytearray);
  Value ba = meth(cls, "__new__", {cls, new_bytes("ab")});
  CHECK(text(ba) == "bytearray(b'ab')");
  CHECK(meth(ba, "append", {I(99)}).is_none());
  CHECK(meth(ba, "extend", {new_bytes("de")}).is_none());
  CHECK(meth(ba, "__setitem__", {I(0), I(65)}).is_none());
  CHECK(text(ba) == "bytearray(b'Abcde')");
  CHECK(error(meth(ba, "__setitem__", {I(0), I(300)})) == "ValueError: byte must be in range(0, 256)");
  CHECK(meth(ba, "__len__").as_int() == 5);
  CHECK(str_text(meth(ba, "decode")) == "Abcde");
  Value bcls = Value::borrow(types.bytes);
  CHECK(text(meth(bcls, "__new__", {bcls, ba})) == "b'Abcde'");
}
