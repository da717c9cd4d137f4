// Format specs and '%' templates, ported from CPython's Python/formatter_unicode.c and the
// PyUnicode_Format part of Objects/unicodeobject.c, including their error messages.
#include "interp/format_spec.h"

#include <charconv>
#include <climits>
#include <cstring>

#include "interp/float_repr.h"
#include "interp/utf8.h"

namespace aio {

namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr int kDefaultFloatPrecision = 6;
constexpr int kDecimalGroup = 3;  // 1,234,567
constexpr int kBinaryGroup = 4;   // 0b1_0000 and 0xffff_ffff with '_'

// ---- UTF-8 ----

// The first n code points of s.
std::string_view take_code_points(std::string_view s, size_t n) {
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if (!is_utf8_continuation(static_cast<unsigned char>(s[i])) && n-- == 0) break;
  }
  return s.substr(0, i);
}

std::u32string to_code_points(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) out.push_back(decode_utf8(s, i));
  return out;
}

void append_fill(std::string& out, char32_t fill, int64_t n) {
  for (int64_t i = 0; i < n; ++i) append_utf8(out, fill);
}

// ---- errors ----

tl::unexpected<NumError> fail(std::string message) { return tl::unexpected(value_error(std::move(message))); }

// A type code as CPython quotes it: printable ASCII as itself, anything else as \xNN.
std::string quote_code(char32_t c) {
  if (c > ' ' && c < 0x7F) return std::string(1, char(c));
  char buf[16];
  auto r = std::to_chars(buf, buf + sizeof buf, uint32_t(c), 16);
  return "\\x" + std::string(buf, r.ptr);
}

tl::unexpected<NumError> unknown_code(char32_t type, std::string_view type_name) {
  return fail("Unknown format code '" + quote_code(type) + "' for object of type '" +
              std::string(type_name) + "'");
}

// ---- spec parsing ----

bool is_align(char32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }
bool is_sign(char32_t c) { return c == '+' || c == '-' || c == ' '; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

// Decimal digits at s[pos...]: how many were read, or ValueError on overflow.
tl::expected<int, NumError> read_integer(const std::u32string& s, size_t& pos, int64_t& value) {
  int count = 0;
  value = 0;
  for (; pos < s.size() && is_digit(s[pos]); ++pos, ++count) {
    int digit = int(s[pos] - '0');
    if (value > (INT64_MAX - digit) / 10) return fail("Too many decimal digits in format string");
    value = value * 10 + digit;
  }
  return count;
}

bool grouping_allowed(char grouping, char32_t type) {
  switch (type) {
    case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
      return true;
    case 'b': case 'o': case 'x': case 'X':
      return grouping == '_';
    default:
      return false;
  }
}

// ---- number layout (calc_number_widths and fill_number) ----

// A number's text split as CPython lays it out: [sign][prefix][digits][tail]; only the
// digits are grouped and zero-padded; the tail is the point, fraction, exponent, '%'.
struct NumberText {
  bool negative = false;
  std::string prefix;
  std::string digits;
  std::string tail;
};

// Inserts separators every `group` digits (none if group == 0), left-padding with zeros
// (grouped as well) until the result is at least min_width long, as
// _PyUnicode_InsertThousandsGrouping.
std::string group_digits(std::string_view digits, int group, char sep, int64_t min_width) {
  std::string reversed;
  auto remaining = int64_t(digits.size());
  auto emit = [&](int64_t len, bool with_sep) {
    int64_t zeros = std::max<int64_t>(0, len - remaining);
    int64_t chars = std::max<int64_t>(0, std::min(remaining, len));
    if (with_sep) reversed += sep;
    for (int64_t i = 0; i < chars; ++i) reversed += digits[size_t(remaining - 1 - i)];
    reversed.append(size_t(zeros), '0');
    remaining -= chars;
  };
  bool with_sep = false;
  if (group > 0) {
    for (;;) {
      int64_t len = std::min<int64_t>(group, std::max<int64_t>({remaining, min_width, 1}));
      emit(len, with_sep);
      with_sep = true;
      min_width -= len;
      if (remaining <= 0 && min_width <= 0) break;
      min_width -= 1;  // the separator
    }
  } else {
    emit(std::max<int64_t>({remaining, min_width, 1}), false);
  }
  return {reversed.rbegin(), reversed.rend()};
}

std::string render_number(const NumberText& n, const FormatSpec& f, int group) {
  char sign = n.negative ? '-' : (f.sign == '+' || f.sign == ' ') ? f.sign : 0;
  auto fixed_len = int64_t((sign ? 1 : 0) + n.prefix.size() + utf8_length(n.tail));
  int64_t min_width = (f.fill == '0' && f.align == '=') ? f.width - fixed_len : 0;
  std::string grouped;
  if (!n.digits.empty()) grouped = group_digits(n.digits, f.grouping ? group : 0, f.grouping, min_width);
  int64_t padding = std::max<int64_t>(0, f.width - (fixed_len + int64_t(grouped.size())));
  int64_t left = f.align == '>' ? padding : f.align == '^' ? padding / 2 : 0;
  int64_t middle = f.align == '=' ? padding : 0;
  std::string out;
  append_fill(out, f.fill, left);
  if (sign) out += sign;
  out += n.prefix;
  append_fill(out, f.fill, middle);
  out += grouped;
  out += n.tail;
  append_fill(out, f.fill, padding - left - middle);
  return out;
}

// Splits double_to_string's output into sign, integer digits and the rest.
NumberText split_float_text(std::string_view text) {
  NumberText n;
  n.negative = !text.empty() && text[0] == '-';
  if (n.negative) text.remove_prefix(1);
  size_t digits_end = 0;
  while (digits_end < text.size() && is_digit(char32_t(text[digits_end]))) ++digits_end;
  n.digits = std::string(text.substr(0, digits_end));
  n.tail = std::string(text.substr(digits_end));
  return n;
}

// float.__format__ after parsing (format_float_internal).
tl::expected<std::string, NumError> format_parsed_float(double v, const FormatSpec& f) {
  if (f.precision > INT_MAX) return fail("precision too big");
  unsigned flags = (f.alternate ? kDoubleAlt : 0) | (f.no_neg_zero ? kDoubleNoNegZero : 0);
  auto type = char(f.type);
  int default_precision = kDefaultFloatPrecision;
  if (type == 0) {  // like repr, or like 'g' keeping a ".0" when a precision is given
    flags |= kDoubleAddDot0;
    type = 'r';
    default_precision = 0;
  }
  if (type == 'n') type = 'g';  // the C locale's 'n'
  bool percent = type == '%';
  if (percent) {
    type = 'f';
    v *= 100;
  }
  int precision = int(f.precision);
  if (precision < 0) precision = default_precision;
  else if (type == 'r') type = 'g';
  std::string text = double_to_string(v, type, precision, flags);
  if (percent) text += '%';
  return render_number(split_float_text(text), f, kDecimalGroup);
}

// ---- integers of either representation ----

bool is_negative(const BigInt& v) { return v.sign() < 0; }
bool is_negative(int64_t v) { return v < 0; }

std::string magnitude_digits(const BigInt& v, int base) { return abs(v).to_string(base); }
std::string magnitude_digits(int64_t v, int base) {
  uint64_t m = v < 0 ? 0 - uint64_t(v) : uint64_t(v);
  char buf[72];
  auto r = std::to_chars(buf, buf + sizeof buf, m, base);
  return std::string(buf, r.ptr);
}

tl::expected<double, NumError> as_double(const BigInt& v) { return v.to_double(); }
tl::expected<double, NumError> as_double(int64_t v) { return BigInt(v).to_double(); }

tl::expected<int64_t, NumError> as_code_point(const BigInt& v) {
  if (!v.fits_int64()) return tl::unexpected(overflow_error("Python int too large to convert to C long"));
  return v.to_int64();
}
tl::expected<int64_t, NumError> as_code_point(int64_t v) { return v; }

int base_of(char32_t type) {
  switch (type) {
    case 'b': return 2;
    case 'o': return 8;
    case 'x': case 'X': return 16;
    default: return 10;
  }
}

void to_upper(std::string& s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
}

// format_long_internal for 'c'.
template <typename Int>
tl::expected<std::string, NumError> format_char(const Int& v, const FormatSpec& f) {
  if (f.sign) return fail("Sign not allowed with integer format specifier 'c'");
  if (f.alternate) return fail("Alternate form (#) not allowed with integer format specifier 'c'");
  auto cp = as_code_point(v);
  if (!cp) return tl::unexpected(cp.error());
  if (*cp < 0 || *cp > int64_t(kMaxCodePoint))
    return tl::unexpected(overflow_error("%c arg not in range(0x110000)"));
  NumberText n;
  append_utf8(n.tail, char32_t(*cp));
  return render_number(n, f, kDecimalGroup);
}

template <typename Int>
tl::expected<std::string, NumError> format_integer(const Int& v, std::string_view spec,
                                                   std::string_view type_name) {
  if (spec.empty()) return magnitude_digits(v, 10).insert(0, is_negative(v) ? "-" : "");
  auto f = parse_format_spec(spec, FormatKind::Int, type_name);
  if (!f) return tl::unexpected(f.error());
  switch (f->type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
      break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
      auto d = as_double(v);
      if (!d) return tl::unexpected(d.error());
      return format_parsed_float(*d, *f);
    }
    default:
      return unknown_code(f->type, type_name);
  }
  if (f->precision != -1) return fail("Precision not allowed in integer format specifier");
  if (f->no_neg_zero) return fail("Negative zero coercion (z) not allowed in integer format specifier");
  if (f->type == 'c') return format_char(v, *f);
  int base = base_of(f->type);
  NumberText n;
  n.negative = is_negative(v);
  n.digits = magnitude_digits(v, base);
  if (f->alternate && base != 10) n.prefix = base == 2 ? "0b" : base == 8 ? "0o" : "0x";
  if (f->type == 'X') {
    to_upper(n.digits);
    to_upper(n.prefix);
  }
  return render_number(n, *f, base == 10 ? kDecimalGroup : kBinaryGroup);
}

// ---- '%' conversions ----

bool has_alt_prefix(const PercentSpec& s) { return s.alt && (s.conv == 'x' || s.conv == 'X' || s.conv == 'o'); }

// unicode_format_arg_output for numbers: sign and 0x prefix stay left of zero padding.
std::string percent_output(std::string_view body, const PercentSpec& s) {
  char fill = s.zero ? '0' : ' ';
  char sign = 0;
  if (!body.empty() && body[0] == '-') {
    sign = '-';
    body.remove_prefix(1);
  } else if (s.plus) {
    sign = '+';
  } else if (s.space) {
    sign = ' ';
  }
  auto len = int64_t(body.size());
  int64_t width = std::max(s.width, len);
  std::string out;
  if (sign && width > len) --width;
  std::string_view prefix = has_alt_prefix(s) ? body.substr(0, 2) : std::string_view();
  body.remove_prefix(prefix.size());
  len -= int64_t(prefix.size());
  width = std::max<int64_t>(0, width - int64_t(prefix.size()));
  if (fill != ' ') {  // zero padding goes between the sign/prefix and the digits
    if (sign) out += sign;
    out += prefix;
  }
  if (width > len && !s.left) {
    out.append(size_t(width - len), fill);
    width = len;
  }
  if (fill == ' ') {
    if (sign) out += sign;
    out += prefix;
  }
  out += body;
  if (width > len) out.append(size_t(width - len), ' ');
  return out;
}

// _PyUnicode_FormatLong: [-][0x]digits, with the digits zero-padded to the precision.
template <typename Int>
std::string percent_integer(const Int& v, const PercentSpec& s) {
  int base = s.conv == 'o' ? 8 : (s.conv == 'x' || s.conv == 'X') ? 16 : 10;
  std::string digits = magnitude_digits(v, base);
  if (s.precision > int64_t(digits.size())) digits.insert(0, size_t(s.precision) - digits.size(), '0');
  std::string body = is_negative(v) ? "-" : "";
  if (has_alt_prefix(s)) body += s.conv == 'o' ? "0o" : "0x";
  body += digits;
  if (s.conv == 'X') to_upper(body);
  return percent_output(body, s);
}

bool is_percent_conversion(char32_t c) { return c < 0x80 && c != 0 && std::strchr("diouxXeEfFgGcrsa", int(c)); }

// Reads "%...*" or digits for a width or precision; `limit` bounds the digits.
tl::expected<int64_t, NumError> read_percent_number(std::string_view t, size_t& i, int64_t limit,
                                                    const char* too_big) {
  int64_t value = 0;
  for (; i < t.size() && is_digit(char32_t(t[i])); ++i) {
    int digit = t[i] - '0';
    if (value > (limit - digit) / 10) return fail(too_big);
    value = value * 10 + digit;
  }
  return value;
}

// Flags, width and precision after '%' (and after any "(key)"): unicode_format_arg_parse.
tl::expected<PercentSpec, NumError> parse_percent_spec(std::string_view t, size_t& i, PercentArgs& args) {
  PercentSpec s;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c == '-') s.left = true;
    else if (c == '+') s.plus = true;
    else if (c == ' ') s.space = true;
    else if (c == '#') s.alt = true;
    else if (c == '0') s.zero = true;
    else break;
  }
  if (i < t.size() && t[i] == '*') {
    auto w = args.next_star();
    if (!w) return tl::unexpected(w.error());
    s.left = s.left || *w < 0;
    s.width = *w < 0 ? -*w : *w;
    ++i;
  } else if (i < t.size() && is_digit(char32_t(t[i]))) {
    auto w = read_percent_number(t, i, INT64_MAX, "width too big");
    if (!w) return tl::unexpected(w.error());
    s.width = *w;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    s.precision = 0;
    if (i < t.size() && t[i] == '*') {
      auto p = args.next_star();
      if (!p) return tl::unexpected(p.error());
      s.precision = std::max<int64_t>(0, *p);
      ++i;
    } else {
      auto p = read_percent_number(t, i, INT_MAX, "precision too big");
      if (!p) return tl::unexpected(p.error());
      s.precision = *p;
    }
  }
  if (i < t.size() && (t[i] == 'h' || t[i] == 'l' || t[i] == 'L')) ++i;  // C length modifiers
  if (i >= t.size()) return fail("incomplete format");
  return s;
}

// "%(key)": the key up to the matching ')'; i starts after '('.
tl::expected<std::string_view, NumError> parse_percent_key(std::string_view t, size_t& i) {
  size_t start = i;
  int depth = 1;
  for (; i < t.size() && depth > 0; ++i) {
    if (t[i] == ')') --depth;
    else if (t[i] == '(') ++depth;
  }
  if (depth > 0) return fail("incomplete format key");
  return t.substr(start, i - 1 - start);
}

tl::unexpected<NumError> unsupported_conversion(std::string_view t, size_t i) {
  size_t index = utf8_length(t.substr(0, i));
  char32_t c = decode_utf8(t, i);
  char shown = (c >= 31 && c <= 126) ? char(c) : '?';
  char hex[16];
  auto r = std::to_chars(hex, hex + sizeof hex, uint32_t(c), 16);
  return fail(std::string("unsupported format character '") + shown + "' (0x" + std::string(hex, r.ptr) +
              ") at index " + std::to_string(index));
}

// One conversion starting after its '%'.
tl::expected<std::string, NumError> percent_conversion(std::string_view t, size_t& i, PercentArgs& args) {
  if (i < t.size() && t[i] == '(') {
    ++i;
    auto key = parse_percent_key(t, i);
    if (!key) return tl::unexpected(key.error());
    if (auto r = args.select_key(*key); !r) return tl::unexpected(r.error());
  }
  auto spec = parse_percent_spec(t, i, args);
  if (!spec) return tl::unexpected(spec.error());
  if (auto r = args.next_arg(); !r) return tl::unexpected(r.error());
  size_t at = i;
  char32_t conv = decode_utf8(t, i);
  if (!is_percent_conversion(conv)) return unsupported_conversion(t, at);
  spec->conv = char(conv);
  return args.convert(*spec);
}

}  // namespace

tl::expected<FormatSpec, NumError> parse_format_spec(std::string_view spec, FormatKind kind,
                                                     std::string_view type_name) {
  std::u32string s = to_code_points(spec);
  FormatSpec f;
  char default_align = kind == FormatKind::Str ? '<' : '>';
  f.align = default_align;
  f.type = kind == FormatKind::Str ? 's' : kind == FormatKind::Int ? 'd' : 0;
  size_t pos = 0;
  size_t end = s.size();
  bool fill_given = false;
  bool align_given = false;
  if (end >= 2 && is_align(s[1])) {
    f.fill = s[0];
    f.align = char(s[1]);
    fill_given = align_given = true;
    pos = 2;
  } else if (end >= 1 && is_align(s[0])) {
    f.align = char(s[0]);
    align_given = true;
    pos = 1;
  }
  if (pos < end && is_sign(s[pos])) f.sign = char(s[pos++]);
  f.no_neg_zero = pos < end && s[pos] == 'z';
  if (f.no_neg_zero) ++pos;
  f.alternate = pos < end && s[pos] == '#';
  if (f.alternate) ++pos;
  // A leading '0' means zero padding after the sign, unless a fill was given explicitly.
  if (!fill_given && pos < end && s[pos] == '0') {
    f.fill = '0';
    if (!align_given && default_align == '>') f.align = '=';
    ++pos;
  }
  auto width_digits = read_integer(s, pos, f.width);
  if (!width_digits) return tl::unexpected(width_digits.error());
  if (*width_digits == 0) f.width = -1;
  if (pos < end && s[pos] == ',') {
    f.grouping = ',';
    ++pos;
  }
  if (pos < end && s[pos] == '_') {
    if (f.grouping) return fail("Cannot specify both ',' and '_'.");
    f.grouping = '_';
    ++pos;
  }
  if (pos < end && s[pos] == ',' && f.grouping == '_') return fail("Cannot specify both ',' and '_'.");
  if (pos < end && s[pos] == '.') {
    ++pos;
    auto precision_digits = read_integer(s, pos, f.precision);
    if (!precision_digits) return tl::unexpected(precision_digits.error());
    if (*precision_digits == 0) return fail("Format specifier missing precision");
  }
  if (end - pos > 1)
    return fail("Invalid format specifier '" + std::string(spec) + "' for object of type '" +
                std::string(type_name) + "'");
  if (end - pos == 1) f.type = s[pos];
  if (f.grouping && !grouping_allowed(f.grouping, f.type))
    return fail(std::string("Cannot specify '") + f.grouping + "' with '" + quote_code(f.type) + "'.");
  return f;
}

tl::expected<std::string, NumError> format_int(const BigInt& v, std::string_view spec,
                                               std::string_view type_name) {
  return format_integer(v, spec, type_name);
}

tl::expected<std::string, NumError> format_int(int64_t v, std::string_view spec,
                                               std::string_view type_name) {
  return format_integer(v, spec, type_name);
}

tl::expected<std::string, NumError> format_float(double v, std::string_view spec,
                                                 std::string_view type_name) {
  if (spec.empty()) return float_repr(v);
  auto f = parse_format_spec(spec, FormatKind::Float, type_name);
  if (!f) return tl::unexpected(f.error());
  switch (f->type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      return format_parsed_float(v, *f);
    default:
      return unknown_code(f->type, type_name);
  }
}

tl::expected<std::string, NumError> format_str(std::string_view utf8, std::string_view spec,
                                               std::string_view type_name) {
  if (spec.empty()) return std::string(utf8);
  auto f = parse_format_spec(spec, FormatKind::Str, type_name);
  if (!f) return tl::unexpected(f.error());
  if (f->type != 's') return unknown_code(f->type, type_name);
  if (f->sign == ' ') return fail("Space not allowed in string format specifier");
  if (f->sign) return fail("Sign not allowed in string format specifier");
  if (f->no_neg_zero) return fail("Negative zero coercion (z) not allowed in string format specifier");
  if (f->alternate) return fail("Alternate form (#) not allowed in string format specifier");
  if (f->align == '=') return fail("'=' alignment not allowed in string format specifier");
  std::string_view body = utf8;
  if (f->precision >= 0) body = take_code_points(body, size_t(f->precision));
  auto len = int64_t(utf8_length(body));
  int64_t padding = std::max<int64_t>(0, f->width - len);
  int64_t left = f->align == '>' ? padding : f->align == '^' ? padding / 2 : 0;
  std::string out;
  append_fill(out, f->fill, left);
  out += body;
  append_fill(out, f->fill, padding - left);
  return out;
}

std::string percent_format_int(const BigInt& v, const PercentSpec& spec) { return percent_integer(v, spec); }

std::string percent_format_int(int64_t v, const PercentSpec& spec) { return percent_integer(v, spec); }

std::string percent_format_float(double v, const PercentSpec& spec) {
  int precision = spec.precision < 0 ? kDefaultFloatPrecision : int(spec.precision);
  return percent_output(double_to_string(v, spec.conv, precision, spec.alt ? kDoubleAlt : 0), spec);
}

std::string percent_pad(std::string_view utf8, const PercentSpec& spec) {
  if (spec.precision >= 0 && spec.conv != 'c') utf8 = take_code_points(utf8, size_t(spec.precision));
  int64_t padding = std::max<int64_t>(0, spec.width - int64_t(utf8_length(utf8)));
  std::string out;
  if (!spec.left) out.append(size_t(padding), ' ');
  out += utf8;
  if (spec.left) out.append(size_t(padding), ' ');
  return out;
}

tl::expected<std::string, NumError> percent_format(std::string_view tmpl, PercentArgs& args) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    size_t pct = tmpl.find('%', i);
    out += tmpl.substr(i, pct == std::string_view::npos ? std::string_view::npos : pct - i);
    if (pct == std::string_view::npos) break;
    i = pct + 1;
    if (i < tmpl.size() && tmpl[i] == '%') {
      out += '%';
      ++i;
      continue;
    }
    auto piece = percent_conversion(tmpl, i, args);
    if (!piece) return tl::unexpected(piece.error());
    out += *piece;
  }
  return out;
}

}  // namespace aio
