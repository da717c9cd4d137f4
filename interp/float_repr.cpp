// Float text and arithmetic as CPython's pystrtod.c and floatobject.c. std::to_chars supplies
// the correctly rounded digits (shortest, or to a precision, half-even on exact ties) that
// CPython gets from _Py_dg_dtoa; the layout rules below are format_float_short's.
#include "interp/float_repr.h"

#include <cctype>
#include <cfloat>
#include <charconv>
#include <cmath>

namespace aio {

namespace {

constexpr int kHashBits = 61;
constexpr uint64_t kHashModulus = (uint64_t{1} << kHashBits) - 1;
constexpr int64_t kHashInf = 314159;
constexpr int kHashChunkBits = 28;                  // _Py_HashDouble eats the mantissa 28 bits a step
constexpr int kReprExponentThreshold = 16;          // repr switches to 1e+16 at 16 integer digits
constexpr int kSmallExponentThreshold = -4;         // and to 1e-05 below 0.0001
constexpr int kMaxDoubleChars = 330;                // digits of DBL_MAX plus sign, point, exponent
constexpr int64_t kRoundDigitsMax = 323;            // CPython's NDIGITS_MAX: beyond it round() is exact
constexpr int64_t kRoundDigitsMin = -308;           // NDIGITS_MIN: below it everything rounds to 0

// A decimal digit string: the value is 0.digits * 10**decpt. No trailing zeros; "0" for zero.
struct DecimalDigits {
  std::string digits;
  int decpt;
};

void strip_trailing_zeros(std::string& s) {
  while (s.size() > 1 && s.back() == '0') s.pop_back();
}

// Reads std::to_chars' scientific form "d.ddde+XX".
DecimalDigits from_scientific(std::string_view s) {
  size_t e = s.find('e');
  DecimalDigits d;
  for (char c : s.substr(0, e))
    if (c != '.') d.digits.push_back(c);
  std::string_view exp = s.substr(e + 1);
  bool negative = exp[0] == '-';
  int value = 0;
  std::from_chars(exp.data() + 1, exp.data() + exp.size(), value);
  d.decpt = (negative ? -value : value) + 1;
  strip_trailing_zeros(d.digits);
  return d;
}

DecimalDigits shortest_digits(double ax) {
  char buf[kMaxDoubleChars];
  auto r = std::to_chars(buf, buf + sizeof buf, ax, std::chars_format::scientific);
  return from_scientific({buf, r.ptr});
}

// At most n >= 1 significant digits (dtoa mode 2).
DecimalDigits significant_digits(double ax, int n) {
  std::string buf(size_t(kMaxDoubleChars + n), '\0');
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), ax, std::chars_format::scientific, n - 1);
  return from_scientific({buf.data(), r.ptr});
}

// n >= 0 digits after the point (dtoa mode 3); no digits at all when it rounds to zero.
DecimalDigits fixed_digits(double ax, int n) {
  std::string buf(size_t(kMaxDoubleChars + n), '\0');
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), ax, std::chars_format::fixed, n);
  DecimalDigits d{"", 0};
  for (const char* p = buf.data(); p != r.ptr; ++p) {
    if (*p == '.') {
      d.decpt = int(d.digits.size());
      continue;
    }
    d.digits.push_back(*p);
  }
  if (n == 0) d.decpt = int(d.digits.size());
  size_t first = d.digits.find_first_not_of('0');
  if (first == std::string::npos) return {"", -n};
  d.digits.erase(0, first);
  d.decpt -= int(first);
  strip_trailing_zeros(d.digits);
  return d;
}

std::string special_to_string(double x, bool upper, bool always_sign) {
  std::string out;
  // CPython never writes '-' for a NaN, but does write a requested '+'.
  if (std::signbit(x) && std::isinf(x)) out = "-";
  else if (always_sign) out = "+";
  if (std::isinf(x)) return out + (upper ? "INF" : "inf");
  return out + (upper ? "NAN" : "nan");
}

std::string exponent_suffix(int exp, bool upper) {
  std::string digits = std::to_string(exp < 0 ? -exp : exp);
  if (digits.size() < 2) digits.insert(0, "0");
  return std::string(1, upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + digits;
}

// format_float_short's layout: [sign] zeros digits zeros, the point inside, then the exponent.
std::string layout(const DecimalDigits& d, bool negative, char code, int precision, unsigned flags,
                   bool upper) {
  bool alt = flags & kDoubleAlt;
  bool add_dot_0 = flags & kDoubleAddDot0;
  int ndigits = int(d.digits.size());
  int decpt = d.decpt;
  int vdigits_end = ndigits;
  bool use_exp = false;
  switch (code) {
    case 'e':
      use_exp = true;
      vdigits_end = precision;
      break;
    case 'f':
      vdigits_end = decpt + precision;
      break;
    case 'g':
      use_exp = decpt <= kSmallExponentThreshold || decpt > (add_dot_0 ? precision - 1 : precision);
      if (alt) vdigits_end = precision;
      break;
    default:  // 'r'
      use_exp = decpt <= kSmallExponentThreshold || decpt > kReprExponentThreshold;
  }
  int exp = 0;
  if (use_exp) {
    exp = decpt - 1;
    decpt = 1;
  }
  int vdigits_start = decpt <= 0 ? decpt - 1 : 0;
  vdigits_end = std::max(vdigits_end, (!use_exp && add_dot_0) ? decpt + 1 : decpt);

  std::string out;
  if (negative) out += '-';
  else if (flags & kDoubleSign) out += '+';
  if (decpt <= 0) {
    out.append(size_t(decpt - vdigits_start), '0');
    out += '.';
    out.append(size_t(-decpt), '0');
  }
  if (0 < decpt && decpt <= ndigits) {
    out.append(d.digits, 0, size_t(decpt));
    out += '.';
    out.append(d.digits, size_t(decpt));
  } else {
    out += d.digits;
  }
  if (ndigits < decpt) {
    out.append(size_t(decpt - ndigits), '0');
    out += '.';
    out.append(size_t(vdigits_end - decpt), '0');
  } else {
    out.append(size_t(vdigits_end - ndigits), '0');
  }
  if (out.back() == '.' && !alt) out.pop_back();
  if (use_exp) out += exponent_suffix(exp, upper);
  return out;
}

// Rounds num / den (both positive) to an integer, ties to even.
BigInt div_round_half_even(const BigInt& num, const BigInt& den) {
  auto [q, r] = divmod(num, den);
  int c = compare(lshift(r, 1), den);
  if (c > 0 || (c == 0 && q.is_odd())) q = q + BigInt(1);
  return q;
}

}  // namespace

std::string double_to_string(double x, char code, int precision, unsigned flags) {
  bool upper = std::isupper(static_cast<unsigned char>(code));
  code = char(std::tolower(static_cast<unsigned char>(code)));
  if (!std::isfinite(x)) return special_to_string(x, upper, flags & kDoubleSign);
  if (code == 'e') ++precision;  // 'e' precision counts digits after the first
  if (code == 'g' && precision == 0) precision = 1;
  double ax = std::fabs(x);
  DecimalDigits d = code == 'r'   ? shortest_digits(ax)
                    : code == 'f' ? fixed_digits(ax, precision)
                                  : significant_digits(ax, precision);
  bool negative = std::signbit(x);
  bool rounds_to_zero = d.digits.empty() || d.digits == "0";
  if ((flags & kDoubleNoNegZero) && rounds_to_zero) negative = false;
  return layout(d, negative, code, precision, flags, upper);
}

std::string float_repr(double x) { return double_to_string(x, 'r', 0, kDoubleAddDot0); }

int64_t float_hash(double x) {
  if (std::isinf(x)) return x > 0 ? kHashInf : -kHashInf;
  if (std::isnan(x)) return 0;
  int e;
  double m = std::frexp(x, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t h = 0;
  while (m != 0) {
    h = ((h << kHashChunkBits) & kHashModulus) | h >> (kHashBits - kHashChunkBits);
    m *= double(uint64_t{1} << kHashChunkBits);
    e -= kHashChunkBits;
    auto y = uint64_t(m);
    m -= double(y);
    h += y;
    if (h >= kHashModulus) h -= kHashModulus;
  }
  // Multiply by 2**e modulo 2**61 - 1: a rotation by e mod 61 bits.
  e = e >= 0 ? e % kHashBits : kHashBits - 1 - ((-1 - e) % kHashBits);
  h = ((h << e) & kHashModulus) | h >> (kHashBits - e);
  h *= uint64_t(int64_t(sign));
  auto result = int64_t(h);
  return result == -1 ? -2 : result;
}

double float_mod(double x, double y) {
  double m = std::fmod(x, y);
  if (m != 0) {
    if ((y < 0) != (m < 0)) m += y;
  } else {
    m = std::copysign(0.0, y);
  }
  return m;
}

std::pair<double, double> float_divmod(double x, double y) {
  double m = std::fmod(x, y);
  double div = (x - m) / y;
  if (m != 0) {
    if ((y < 0) != (m < 0)) {
      m += y;
      div -= 1.0;
    }
  } else {
    m = std::copysign(0.0, y);
  }
  double floordiv;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;  // (x - m) / y may land just below an integer
  } else {
    floordiv = std::copysign(0.0, x / y);
  }
  return {floordiv, m};
}

double float_floordiv(double x, double y) { return float_divmod(x, y).first; }

double float_round_half_even(double x) { return std::nearbyint(x); }

tl::expected<double, NumError> float_round(double x, int64_t ndigits) {
  if (!std::isfinite(x) || x == 0 || ndigits > kRoundDigitsMax) return x;
  if (ndigits < kRoundDigitsMin) return 0.0 * x;
  // x = mantissa * 2**exp exactly, with an integral mantissa.
  int exp;
  double frac = std::frexp(std::fabs(x), &exp);
  BigInt mantissa = BigInt::from_double(std::ldexp(frac, DBL_MANT_DIG));
  exp -= DBL_MANT_DIG;
  BigInt num = lshift(mantissa, uint64_t(std::max(exp, 0)));
  BigInt den = lshift(BigInt(1), uint64_t(std::max(-exp, 0)));
  BigInt scale = pow(BigInt(10), uint64_t(ndigits < 0 ? -ndigits : ndigits));
  tl::expected<double, NumError> rounded;
  if (ndigits >= 0) {
    rounded = true_divide(div_round_half_even(num * scale, den), scale);
  } else {
    rounded = (div_round_half_even(num, den * scale) * scale).to_double();
  }
  if (!rounded) return tl::unexpected(overflow_error("rounded value too large to represent"));
  return std::copysign(*rounded, x);
}

tl::expected<BigInt, NumError> float_to_bigint(double x) {
  if (std::isinf(x)) return tl::unexpected(overflow_error("cannot convert float infinity to integer"));
  if (std::isnan(x)) return tl::unexpected(value_error("cannot convert float NaN to integer"));
  return BigInt::from_double(x);
}

}  // namespace aio
