// The lexer: token streams, indentation, numbers, strings, nbsp and its errors.
#include <catch2/catch.hpp>

#include "interp/lexer.h"

using namespace aio;

namespace {

// The token stream as one string: names, numbers, strings and operators as written,
// the layout tokens as NEWLINE, INDENT, DEDENT and END.
std::string tokens(std::string_view src) {
  std::string norm = normalize_source(src);
  LexResult r = tokenize(norm, "t.py");
  std::string out;
  for (const Token& t : r.tokens) {
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case Tok::Newline: out += "NEWLINE"; break;
      case Tok::Indent: out += "INDENT"; break;
      case Tok::Dedent: out += "DEDENT"; break;
      case Tok::End: out += "END"; break;
      default: out += t.text;
    }
  }
  if (r.fail != LexFail::None) out += " !" + r.error.type + ": " + r.error.msg;
  return out;
}

LexResult lex(std::string_view src) { return tokenize(src, "t.py"); }

}  // namespace

TEST_CASE("simple statements and operators", "[test_lexer]") {
  CHECK(tokens("x = 1\n") == "x = 1 NEWLINE END");
  CHECK(tokens("a->b := c **= d //= e @ f ... g != h") ==
        "a -> b := c **= d //= e @ f ... g != h NEWLINE END");
  CHECK(tokens("a<<=b>>=c<=d>=e==f") == "a <<= b >>= c <= d >= e == f NEWLINE END");
  CHECK(tokens("x.y(z)[0]") == "x . y ( z ) [ 0 ] NEWLINE END");
}

TEST_CASE("comments, blank lines and continuation", "[test_lexer]") {
  CHECK(tokens("# only a comment\n\n   \nx  # trailing\n") == "x NEWLINE END");
  CHECK(tokens("x = 1 + \\\n    2\n") == "x = 1 + 2 NEWLINE END");
  CHECK(tokens("f(1,\n  2,\n\n 3)\n") == "f ( 1 , 2 , 3 ) NEWLINE END");
  CHECK(tokens("x = [\n  1,  # c\n]\n") == "x = [ 1 , ] NEWLINE END");
}

TEST_CASE("indent and dedent", "[test_lexer]") {
  CHECK(tokens("if x:\n    y\n    if z:\n        w\nv\n") ==
        "if x : NEWLINE INDENT y NEWLINE if z : NEWLINE INDENT w NEWLINE DEDENT DEDENT v "
        "NEWLINE END");
  CHECK(tokens("if x:\n  y") == "if x : NEWLINE INDENT y NEWLINE DEDENT END");
  CHECK(tokens("if x:\n\ty\n\t# c\n\n\tz\n") ==
        "if x : NEWLINE INDENT y NEWLINE z NEWLINE DEDENT END");
  // A bracket closed on a continuation line: what follows it is not that line's indentation.
  CHECK(tokens("if x:\n    f(a,\n  b): c\n") ==
        "if x : NEWLINE INDENT f ( a , b ) : c NEWLINE DEDENT END");
}

TEST_CASE("indentation errors", "[test_lexer]") {
  LexResult r = lex("if x:\n    a\n  b\n");
  CHECK(r.fail == LexFail::Error);
  CHECK(r.error.type == "IndentationError");
  CHECK(r.error.msg == "unindent does not match any outer indentation level");
  CHECK(r.error.line == 3);
  CHECK(r.error.text == "  b");

  r = lex("if x:\n\tif y:\n        pass\n");
  CHECK(r.error.type == "TabError");
  CHECK(r.error.msg == "inconsistent use of tabs and spaces in indentation");
  CHECK(r.error.line == 3);
}

TEST_CASE("no-break space counts as a space in code only", "[test_lexer]") {
  const std::string nbsp = "\xC2\xA0";
  CHECK(tokens("x" + nbsp + "=" + nbsp + "1\n") == "x = 1 NEWLINE END");
  CHECK(tokens("if x:\n" + nbsp + nbsp + "y\n") == "if x : NEWLINE INDENT y NEWLINE DEDENT END");
  CHECK(tokens("s = 'a" + nbsp + "b'\n") == "s = 'a" + nbsp + "b' NEWLINE END");
}

TEST_CASE("CRLF line endings and a BOM", "[test_lexer]") {
  CHECK(tokens("\xEF\xBB\xBFx = 1\r\nif x:\r\n  y\r\n") ==
        "x = 1 NEWLINE if x : NEWLINE INDENT y NEWLINE DEDENT END");
}

TEST_CASE("number literals", "[test_lexer]") {
  CHECK(tokens("0x1F 0o17 0b101 1_000 1. .5 1e10 1_000.5 1j 2.5J 1E-3 0 00") ==
        "0x1F 0o17 0b101 1_000 1. .5 1e10 1_000.5 1j 2.5J 1E-3 0 00 NEWLINE END");
  CHECK(tokens("1if x else 2") == "1 if x else 2 NEWLINE END");
  CHECK(tokens("x = 1abc") == "x = !SyntaxError: invalid decimal literal");
  CHECK(tokens("x = 1_") == "x = !SyntaxError: invalid decimal literal");
  CHECK(tokens("x = 0x") == "x = !SyntaxError: invalid hexadecimal literal");
  CHECK(tokens("x = 0b2") == "x = !SyntaxError: invalid digit '2' in binary literal");
  CHECK(tokens("x = 0777") ==
        "x = !SyntaxError: leading zeros in decimal integer literals are not permitted; use an "
        "0o prefix for octal integers");
  LexResult r = lex("x = 1abc");
  CHECK(r.error.line == 1);
  CHECK(r.error.col == 5);
}

TEST_CASE("string literal tokens", "[test_lexer]") {
  CHECK(tokens("'a' \"b\" r'c\\'' b'd' Rb'e' bR'f' f'{x}' rF'g' u'h'") ==
        "'a' \"b\" r'c\\'' b'd' Rb'e' bR'f' f'{x}' rF'g' u'h' NEWLINE END");
  CHECK(tokens("s = '''a\n'b'\nc'''\nx\n") == "s = '''a\n'b'\nc''' NEWLINE x NEWLINE END");
  CHECK(tokens("'a\\\nb'") == "'a\\\nb' NEWLINE END");
  LexResult r = lex("x = 1\ns = 'abc\n");
  CHECK(r.error.msg == "unterminated string literal (detected at line 2)");
  CHECK(r.error.line == 2);
  CHECK(r.error.col == 5);
  r = lex("s = '''abc\n\n");
  CHECK(r.fail == LexFail::EofInString);
  CHECK(r.error.msg == "unterminated triple-quoted string literal (detected at line 2)");
  CHECK(r.error.line == 1);
}

TEST_CASE("brackets", "[test_lexer]") {
  LexResult r = lex("x = 1)");
  CHECK(r.error.msg == "unmatched ')'");
  CHECK(r.error.col == 6);
  r = lex("a = [1, 2)");
  CHECK(r.error.msg == "closing parenthesis ')' does not match opening parenthesis '['");
  r = lex("a = [1,\n2)");
  CHECK(r.error.msg ==
        "closing parenthesis ')' does not match opening parenthesis '[' on line 1");
  r = lex("f(\n1,\n");
  CHECK(r.fail == LexFail::EofInBracket);
  CHECK(r.error.msg == "'(' was never closed");
  CHECK(r.error.line == 1);
  CHECK(r.error.col == 2);
  r = lex("x = 1 \\");
  CHECK(r.fail == LexFail::EofAfterBackslash);
}

TEST_CASE("token positions", "[test_lexer]") {
  LexResult r = lex("if x:\n  foo(12)\n");
  const Token& foo = r.tokens[5];
  CHECK(foo.text == "foo");
  CHECK(foo.line == 2);
  CHECK(foo.col == 2);
  CHECK(foo.end_col == 5);
}

TEST_CASE("escape decoding", "[test_lexer]") {
  CHECK(*decode_escapes("a\\nb\\t\\\\\\'\\\"", false) == "a\nb\t\\'\"");
  CHECK(*decode_escapes("\\x41\\101\\u00e9\\U0001F600", false) == "AA\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(*decode_escapes("\\q\\d", false) == "\\q\\d");
  CHECK(*decode_escapes("\\x00\\xff\\u1234", true) == std::string("\0\xff\\u1234", 8));
  CHECK(*decode_escapes("a\\\nb", false) == "ab");
}

TEST_CASE("named escapes", "[test_lexer]") {
  CHECK(*decode_escapes("\\N{LATIN SMALL LETTER E WITH ACUTE}\\N{digit one}", false) == "\xC3\xA9" "1");
  CHECK(*decode_escapes("\\N{CJK UNIFIED IDEOGRAPH-4E00}\\N{HANGUL SYLLABLE GAG}", false) == "\xE4\xB8\x80\xEA\xB0\x81");
  CHECK(*decode_escapes("\\N{LINE FEED}", false) == "\n");  // an alias
  CHECK(*decode_escapes("\\N{DIGIT ONE}", true) == "\\N{DIGIT ONE}");
  CHECK(decode_escapes("\\N{CJK UNIFIED IDEOGRAPH-4e00}", false).error() ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-29: unknown Unicode character name");
  // A non-ASCII character before counts as the 10-byte \U escape CPython rewrites it to.
  CHECK(decode_escapes("\xC3\xA9\\N{BOGUS}", false).error() ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 10-18: unknown Unicode character name");
}
