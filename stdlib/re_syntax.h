// Python's regular-expression syntax (CPython 3.11's re._parser), checked with its error
// messages and rewritten for PCRE2, which does the matching; and replacement templates.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace aio::re {

// re.RegexFlag's bits.
enum Flag : unsigned {
  kTemplate = 1,
  kIgnoreCase = 2,
  kLocale = 4,
  kMultiline = 8,
  kDotAll = 16,
  kUnicode = 32,
  kVerbose = 64,
  kDebug = 128,
  kAscii = 256,
};

// What compiling or expanding reports: re.error(msg, pattern, pos) unless kind says otherwise.
struct SyntaxError {
  enum Kind { Re, Value, Overflow, Index } kind = Re;
  std::string msg;
  int64_t pos = -1;  // in characters of the pattern (bytes of a bytes pattern); -1: none
};

struct Translation {
  std::string pcre;    // the pattern in PCRE2's syntax (UTF-8 for a str pattern, else bytes)
  unsigned flags = 0;  // the given flags, the inline global ones, and UNICODE for str patterns
  int groups = 0;      // capturing groups, group 0 not counted
  std::vector<std::pair<std::string, int>> names;  // group names (UTF-8) in order of definition
  std::vector<int> parent;  // per group: the capturing group around it (0: none); [0] unused
};

// pattern is UTF-8 text for a str pattern (text) or raw bytes.
tl::expected<Translation, SyntaxError> translate(std::string_view pattern, unsigned flags, bool text);

// A replacement template piece: a literal, or a group's text when group >= 0.
struct TemplatePiece {
  std::string literal;
  int group = -1;
};

// CPython's re._parser.parse_template; an unknown group name is an Index error.
tl::expected<std::vector<TemplatePiece>, SyntaxError> parse_template(
    std::string_view tmpl, bool text, const Translation& pattern);

}  // namespace aio::re
