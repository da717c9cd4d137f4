// The re module's syntax layer: Python patterns rewritten for PCRE2, CPython's errors, templates.
#include <catch2/catch.hpp>

#include "stdlib/re_syntax.h"

using namespace aio;

namespace {

std::string pcre(std::string_view pattern, unsigned flags = 0, bool text = true) {
  auto t = re::translate(pattern, flags, text);
  REQUIRE(t);
  return t->pcre;
}

// "message@pos" of a pattern CPython rejects.
std::string failure(std::string_view pattern, unsigned flags = 0) {
  auto t = re::translate(pattern, flags, true);
  REQUIRE_FALSE(t);
  return t.error().msg + "@" + std::to_string(t.error().pos);
}

}  // namespace

TEST_CASE("Python-only syntax becomes PCRE2's", "[test_re_syntax]") {
  CHECK(pcre(R"(a\Z)") == R"(a\z)");
  CHECK(pcre("(?P<year>\\d+)-(?P=year)") == R"((\d+)\-\g{1})");
  CHECK(pcre("(a)\\1") == R"((a)\g{1})");
  CHECK(pcre("x{,3}") == "x{0,3}");
  CHECK(pcre("x{2,}?") == "x{2,}?");
  CHECK(pcre("x{70000}") == "(?:(?:x{65535}){1}x{4465})");  // beyond PCRE2's limit: nested
  CHECK(pcre("x{0,70000}+") == "(?>(?:(?:x{0,65535}){0,1}x{0,4465}))");
  CHECK(pcre("x{") == "x\\{");
  CHECK(pcre("{}") == "\\{\\}");
  CHECK(pcre(R"(\u00e9\x41\101\0)") == "\xc3\xa9" "AA\\x{0}");
  CHECK(pcre("(?i:a)(?-s:b)") == "(?i:a)(?-s:b)");
  CHECK(pcre("(?#note)a(?:b)") == "a(?:b)");
  CHECK(pcre("(a)(?(1)b|c)") == "(a)(?(1)b|c)");
}

TEST_CASE("verbose patterns drop whitespace and comments", "[test_re_syntax]") {
  CHECK(pcre("a b # comment\n c", re::kVerbose) == "abc");
  CHECK(pcre("(?x) a [ ] \\ ") == "a\\ \\ ");  // a one-character set is that character
  CHECK(pcre("a (?-x: b)", re::kVerbose) == "a(?:\\ b)");
}

TEST_CASE("classes follow Python's definitions", "[test_re_syntax]") {
  // \s is str.isspace (PCRE2's lacks \x1c-\x1f); \d and \w are PCRE2's with UCP
  CHECK(pcre(R"(\s)").find("\\x{1c}-\\x{20}") != std::string::npos);
  CHECK(pcre(R"(\d\w)") == R"(\d\w)");
  CHECK(pcre(R"(\w)", re::kAscii) == "[\\x{30}-\\x{39}\\x{41}-\\x{5a}\\x{5f}\\x{61}-\\x{7a}]");
  CHECK(pcre(R"([^\D])", re::kAscii) == "[^\\x{0}-\\x{2f}\\x{3a}-\\x{10ffff}]");
  CHECK(pcre(R"(\s\b)", 0, false) == R"(\s\b)");  // bytes: PCRE2's ASCII classes are Python's
  CHECK(pcre("[]a-]") == "[\\]a\\-]");
}

TEST_CASE("errors carry CPython's message and position", "[test_re_syntax]") {
  CHECK(failure("(a") == "missing ), unterminated subpattern@0");
  CHECK(failure("a)") == "unbalanced parenthesis@1");
  CHECK(failure("a**") == "multiple repeat@2");
  CHECK(failure("*") == "nothing to repeat@0");
  CHECK(failure("[a") == "unterminated character set@0");
  CHECK(failure(R"(\q)") == "bad escape \\q@0");
  CHECK(failure("a{3,2}") == "min repeat greater than max repeat@2");
  CHECK(failure("(?P<a>x)(?P<a>y)") == "redefinition of group name 'a' as group 2; was group 1@12");
  CHECK(failure("(?<=a|bc)") == "look-behind requires fixed-width pattern@-1");
  CHECK(failure("x(?i)") == "global flags not at the start of the expression@1");
  CHECK(failure("(a)(?(3)x)") == "invalid group reference 3@6");
  CHECK(failure("(a\\1)") == "cannot refer to an open group@2");
  auto locale = re::translate("x", re::kLocale, true);
  REQUIRE_FALSE(locale);
  CHECK(locale.error().kind == re::SyntaxError::Value);
}

TEST_CASE("groups: names, nesting and inline flags", "[test_re_syntax]") {
  auto t = re::translate("(?i)(?P<a>x(y))(z)", 0, true);
  REQUIRE(t);
  CHECK(t->groups == 3);
  CHECK(t->names == std::vector<std::pair<std::string, int>>{{"a", 1}});
  CHECK(t->parent == std::vector<int>{0, 0, 1, 0});
  CHECK(t->flags == (re::kIgnoreCase | re::kUnicode));
}

TEST_CASE("replacement templates", "[test_re_syntax]") {
  auto t = re::translate("(?P<x>a)(b)", 0, true);
  REQUIRE(t);
  auto pieces = re::parse_template(R"(<\g<x>\2\n\g<0>\101>)", true, *t);
  REQUIRE(pieces);
  REQUIRE(pieces->size() == 6);
  CHECK((*pieces)[0].literal == "<");
  CHECK((*pieces)[1].group == 1);
  CHECK((*pieces)[2].group == 2);
  CHECK((*pieces)[3].literal == "\n");
  CHECK((*pieces)[4].group == 0);
  CHECK((*pieces)[5].literal == "A>");
  auto bad = re::parse_template(R"(\g<3>)", true, *t);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().msg == "invalid group reference 3");
  CHECK(bad.error().pos == 3);
  auto unknown = re::parse_template(R"(\g<y>)", true, *t);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind == re::SyntaxError::Index);
}
