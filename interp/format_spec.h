// Python's text formatting of numbers and strings, on plain C++ values:
// the format-spec mini-language of format()/str.format/f-strings, and printf-style '%'.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "interp/bigint.h"

namespace aio {

// ---- format(value, spec) ----

// [[fill]align][sign][z][#][0][width][grouping][.precision][type], parsed.
struct FormatSpec {
  char32_t fill = ' ';
  char align = '>';          // '<' '>' '^' '='; the type's default when not given
  char sign = 0;             // '+' '-' ' ' or 0
  bool no_neg_zero = false;  // 'z'
  bool alternate = false;    // '#'
  int64_t width = -1;        // -1: none
  char grouping = 0;         // ',' or '_' or 0
  int64_t precision = -1;    // -1: none
  char32_t type = 0;         // presentation type; 0: none
};

// The value kinds with their own defaults: str aligns left and defaults to 's', int to 'd'.
enum class FormatKind { Str, Int, Float };

// CPython's parse_internal_render_format_spec: ValueError for a malformed spec. type_name
// ("int", "bool", "float", "str", ...) only appears in the messages.
tl::expected<FormatSpec, NumError> parse_format_spec(std::string_view spec, FormatKind kind,
                                                     std::string_view type_name);

// int.__format__, float.__format__, str.__format__. An empty spec gives str(value) (for a
// bool the caller must produce "True"/"False" itself). Types: int b c d o x X n, and
// e E f F g G % through float (OverflowError when too big); float e E f F g G n % and none;
// str s and none (width and precision counted in code points).
tl::expected<std::string, NumError> format_int(const BigInt& v, std::string_view spec,
                                               std::string_view type_name = "int");
tl::expected<std::string, NumError> format_int(int64_t v, std::string_view spec,
                                               std::string_view type_name = "int");
tl::expected<std::string, NumError> format_float(double v, std::string_view spec,
                                                 std::string_view type_name = "float");
tl::expected<std::string, NumError> format_str(std::string_view utf8, std::string_view spec,
                                               std::string_view type_name = "str");

// ---- printf-style: template % args ----

// One conversion of a '%' template: flags, width, precision and conversion character.
struct PercentSpec {
  bool left = false;   // '-'
  bool plus = false;   // '+'
  bool space = false;  // ' '
  bool alt = false;    // '#'
  bool zero = false;   // '0'
  int64_t width = -1;
  int64_t precision = -1;
  char conv = 0;  // one of "diouxXeEfFgGcrsa"
};

// The numeric conversions, finished and padded: d i u o x X for ints, e E f F g G for floats.
std::string percent_format_int(const BigInt& v, const PercentSpec& spec);
std::string percent_format_int(int64_t v, const PercentSpec& spec);
std::string percent_format_float(double v, const PercentSpec& spec);
// s r a c: the already converted text, truncated to precision (not for 'c') and padded with
// spaces to width, both in code points.
std::string percent_pad(std::string_view utf8, const PercentSpec& spec);

// What percent_format needs from the interpreter: argument fetching and conversion, which
// depend on the object model. A callback that fails returns an error; NumError::Kind::Raised
// means it already raised an exception in the interpreter (KeyError, an error in __str__, ...).
class PercentArgs {
 public:
  virtual ~PercentArgs() = default;
  // "%(key)": mapping[key] becomes the argument the following '*' or conversion takes.
  virtual tl::expected<void, NumError> select_key(std::string_view key) = 0;
  // '*' width or precision: the next argument, an int ("* wants int").
  virtual tl::expected<int64_t, NumError> next_star() = 0;
  // Takes the next argument for a conversion ("not enough arguments for format string").
  virtual tl::expected<void, NumError> next_arg() = 0;
  // Converts the argument just taken: the finished text for spec.conv (using the helpers
  // above), or e.g. TypeError "%d format: a real number is required, not str".
  virtual tl::expected<std::string, NumError> convert(const PercentSpec& spec) = 0;
};

// Expands tmpl as CPython's PyUnicode_Format, calling args in CPython's order. The caller then
// checks that all positional arguments were used ("not all arguments converted ...").
tl::expected<std::string, NumError> percent_format(std::string_view tmpl, PercentArgs& args);

}  // namespace aio
