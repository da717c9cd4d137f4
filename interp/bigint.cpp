// BigInt over GMP; the algorithms for float conversion follow CPython's longobject.c.
#include "interp/bigint.h"

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstring>

namespace aio {

namespace {

constexpr uint64_t kHashModulus = (uint64_t{1} << 61) - 1;  // CPython's _PyHASH_MODULUS
constexpr int64_t kExactDoubleLimit = int64_t{1} << DBL_MANT_DIG;

bool exact_as_double(int64_t i) { return i >= -kExactDoubleLimit && i <= kExactDoubleLimit; }

bool is_int_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return INT_MAX;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_int_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_int_space(s.back())) s.remove_suffix(1);
  return s;
}

// The base a 0x/0o/0b prefix names, or 0 when s has none.
int prefix_base(std::string_view s) {
  if (s.size() < 2 || s[0] != '0') return 0;
  switch (s[1]) {
    case 'x': case 'X': return 16;
    case 'o': case 'O': return 8;
    case 'b': case 'B': return 2;
    default: return 0;
  }
}

// Digits of s without its single underscores between digits; nullopt if any digit is invalid.
// `leading_underscore_ok`: a prefix was just skipped, so "0x_1" is fine.
std::optional<std::string> strip_digits(std::string_view s, int base, bool leading_underscore_ok) {
  std::string out;
  bool prev_digit = leading_underscore_ok;
  for (char c : s) {
    if (c == '_') {
      if (!prev_digit) return std::nullopt;
      prev_digit = false;
      continue;
    }
    if (digit_value(c) >= base) return std::nullopt;
    out.push_back(c);
    prev_digit = true;
  }
  if (out.empty() || !prev_digit) return std::nullopt;
  return out;
}

bool low_bits_nonzero(const mpz_t x, uint64_t nbits) {
  return mpz_sgn(x) != 0 && mpz_scan1(x, 0) < nbits;
}

// |a| / |b| correctly rounded to a double (half-even), with the quotient's sign; nullopt on
// overflow. CPython's long_true_divide: scale so the integer quotient has DBL_MANT_DIG + 2 or
// + 3 bits, keep a sticky bit for the remainder, then round once.
std::optional<double> ratio_to_double(const mpz_t a, const mpz_t b) {
  bool negative = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
  double zero = negative ? -0.0 : 0.0;
  if (mpz_sgn(a) == 0) return zero;
  int64_t diff = int64_t(mpz_sizeinbase(a, 2)) - int64_t(mpz_sizeinbase(b, 2));
  if (diff > DBL_MAX_EXP) return std::nullopt;
  if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) return zero;
  int64_t shift = std::max<int64_t>(diff, DBL_MIN_EXP) - DBL_MANT_DIG - 2;
  BigInt x, rem;
  mpz_abs(x.raw(), a);
  bool inexact = false;
  if (shift <= 0) {
    mpz_mul_2exp(x.raw(), x.raw(), mp_bitcnt_t(-shift));
  } else {
    inexact = low_bits_nonzero(x.raw(), uint64_t(shift));
    mpz_tdiv_q_2exp(x.raw(), x.raw(), mp_bitcnt_t(shift));
  }
  BigInt divisor;
  mpz_abs(divisor.raw(), b);
  mpz_tdiv_qr(x.raw(), rem.raw(), x.raw(), divisor.raw());
  inexact = inexact || !rem.is_zero();
  int64_t x_bits = int64_t(x.bit_length());
  int64_t extra = std::max<int64_t>(x_bits, DBL_MIN_EXP - shift) - DBL_MANT_DIG;
  // Round to a multiple of 2**extra: up when above half, or exactly half and the kept part is odd.
  bool half = mpz_tstbit(x.raw(), mp_bitcnt_t(extra - 1));
  bool above_or_odd = inexact || low_bits_nonzero(x.raw(), uint64_t(extra - 1)) ||
                      mpz_tstbit(x.raw(), mp_bitcnt_t(extra));
  mpz_tdiv_q_2exp(x.raw(), x.raw(), mp_bitcnt_t(extra));
  if (half && above_or_odd) mpz_add_ui(x.raw(), x.raw(), 1);
  mpz_mul_2exp(x.raw(), x.raw(), mp_bitcnt_t(extra));
  double dx = mpz_get_d(x.raw());  // exact: at most DBL_MANT_DIG significant bits
  if (shift + x_bits >= DBL_MAX_EXP &&
      (shift + x_bits > DBL_MAX_EXP || dx == std::ldexp(1.0, int(x_bits))))
    return std::nullopt;
  double result = std::ldexp(dx, int(shift));
  return negative ? -result : result;
}

}  // namespace

std::optional<BigInt> BigInt::parse(std::string_view s, int base) {
  s = trim(s);
  bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  int named = prefix_base(s);
  bool has_prefix = named != 0 && (base == 0 || base == named);
  bool decimal_base0 = base == 0 && !has_prefix;
  if (has_prefix) {
    base = named;
    s.remove_prefix(2);
  } else if (decimal_base0) {
    base = 10;
  }
  auto digits = strip_digits(s, base, has_prefix);
  if (!digits) return std::nullopt;
  BigInt r;
  mpz_set_str(r.v_, digits->c_str(), base);
  // Base 0 forbids leading zeros in a non-zero decimal literal ("010" is not octal).
  if (decimal_base0 && (*digits)[0] == '0' && !r.is_zero()) return std::nullopt;
  if (negative) mpz_neg(r.v_, r.v_);
  return r;
}

BigInt BigInt::from_double(double d) {
  BigInt r;
  mpz_set_d(r.v_, d);
  return r;
}

std::string BigInt::to_string(int base) const {
  std::string buf(mpz_sizeinbase(v_, base) + 2, '\0');
  mpz_get_str(buf.data(), base, v_);
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

std::string BigInt::to_prefixed(int base) const {
  const char* prefix = base == 16 ? "0x" : base == 8 ? "0o" : "0b";
  std::string digits = abs(*this).to_string(base);
  return (sign() < 0 ? "-" : "") + std::string(prefix) + digits;
}

tl::expected<double, NumError> BigInt::to_double() const {
  if (fits_int64() && exact_as_double(to_int64())) return double(to_int64());
  BigInt one(1);
  auto d = ratio_to_double(v_, one.v_);
  if (!d) return tl::unexpected(overflow_error("int too large to convert to float"));
  return *d;
}

int64_t BigInt::hash() const {
  int64_t h = int64_t(mpz_tdiv_ui(v_, kHashModulus));  // |v| mod P
  if (sign() < 0) h = -h;
  return h == -1 ? -2 : h;
}

BigInt operator+(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_add(r.raw(), a.raw(), b.raw());
  return r;
}

BigInt operator-(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_sub(r.raw(), a.raw(), b.raw());
  return r;
}

BigInt operator*(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_mul(r.raw(), a.raw(), b.raw());
  return r;
}

BigInt operator-(const BigInt& a) {
  BigInt r;
  mpz_neg(r.raw(), a.raw());
  return r;
}

BigInt abs(const BigInt& a) {
  BigInt r;
  mpz_abs(r.raw(), a.raw());
  return r;
}

BigInt floordiv(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_fdiv_q(r.raw(), a.raw(), b.raw());
  return r;
}

BigInt mod(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_fdiv_r(r.raw(), a.raw(), b.raw());
  return r;
}

std::pair<BigInt, BigInt> divmod(const BigInt& a, const BigInt& b) {
  BigInt q, r;
  mpz_fdiv_qr(q.raw(), r.raw(), a.raw(), b.raw());
  return {std::move(q), std::move(r)};
}

tl::expected<double, NumError> true_divide(const BigInt& a, const BigInt& b) {
  auto d = ratio_to_double(a.raw(), b.raw());
  if (!d) return tl::unexpected(overflow_error("integer division result too large for a float"));
  return *d;
}

BigInt pow(const BigInt& base, uint64_t exp) {
  BigInt r;
  mpz_pow_ui(r.raw(), base.raw(), exp);
  return r;
}

tl::expected<BigInt, NumError> pow_mod(const BigInt& base, const BigInt& exp, const BigInt& m) {
  if (m.is_zero()) return tl::unexpected(value_error("pow() 3rd argument cannot be 0"));
  BigInt modulus = abs(m);
  BigInt b = base;
  BigInt e = exp;
  if (e.sign() < 0) {
    if (mpz_invert(b.raw(), base.raw(), modulus.raw()) == 0)
      return tl::unexpected(value_error("base is not invertible for the given modulus"));
    e = -e;
  }
  BigInt r;
  mpz_powm(r.raw(), b.raw(), e.raw(), modulus.raw());
  if (m.sign() < 0 && !r.is_zero()) r = r + m;
  return r;
}

BigInt lshift(const BigInt& a, uint64_t n) {
  BigInt r;
  mpz_mul_2exp(r.raw(), a.raw(), n);
  return r;
}

BigInt rshift(const BigInt& a, uint64_t n) {
  BigInt r;
  mpz_fdiv_q_2exp(r.raw(), a.raw(), n);
  return r;
}

BigInt bit_and(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_and(r.raw(), a.raw(), b.raw());
  return r;
}

BigInt bit_or(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_ior(r.raw(), a.raw(), b.raw());
  return r;
}

BigInt bit_xor(const BigInt& a, const BigInt& b) {
  BigInt r;
  mpz_xor(r.raw(), a.raw(), b.raw());
  return r;
}

BigInt bit_invert(const BigInt& a) {
  BigInt r;
  mpz_com(r.raw(), a.raw());
  return r;
}

int compare(const BigInt& a, const BigInt& b) { return mpz_cmp(a.raw(), b.raw()); }

int compare_double(const BigInt& a, double d) { return mpz_cmp_d(a.raw(), d); }

std::optional<int64_t> i64_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int64_t> i64_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int64_t> i64_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int64_t> i64_neg(int64_t a) {
  if (a == INT64_MIN) return std::nullopt;
  return -a;
}

std::optional<int64_t> i64_floordiv(int64_t a, int64_t b) {
  if (b == -1) return i64_neg(a);
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t i64_mod(int64_t a, int64_t b) {
  if (b == -1) return 0;  // INT64_MIN % -1 traps in hardware
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

std::optional<int64_t> i64_pow(int64_t base, uint64_t exp) {
  if (base == 0 || base == 1) return exp == 0 ? 1 : base;
  if (base == -1) return (exp & 1) ? -1 : 1;
  int64_t result = 1;
  while (exp != 0) {
    if ((exp & 1) && __builtin_mul_overflow(result, base, &result)) return std::nullopt;
    exp >>= 1;
    if (exp != 0 && __builtin_mul_overflow(base, base, &base)) return std::nullopt;
  }
  return result;
}

std::optional<int64_t> i64_lshift(int64_t a, uint64_t n) {
  if (a == 0) return 0;
  if (n >= 64) return std::nullopt;
  int64_t r = int64_t(uint64_t(a) << n);
  if ((r >> n) != a) return std::nullopt;
  return r;
}

int64_t i64_rshift(int64_t a, uint64_t n) {
  if (n >= 64) return a < 0 ? -1 : 0;
  return a >> n;
}

int64_t i64_hash(int64_t a) {
  uint64_t magnitude = a < 0 ? 0 - uint64_t(a) : uint64_t(a);
  int64_t h = int64_t(magnitude % kHashModulus);
  if (a < 0) h = -h;
  return h == -1 ? -2 : h;
}

int i64_bit_length(int64_t a) {
  uint64_t magnitude = a < 0 ? 0 - uint64_t(a) : uint64_t(a);
  return magnitude == 0 ? 0 : 64 - __builtin_clzll(magnitude);
}

tl::expected<double, NumError> i64_true_divide(int64_t a, int64_t b) {
  // Both exact as doubles: one IEEE division rounds correctly, as CPython's fast path.
  if (exact_as_double(a) && exact_as_double(b))
    return double(a) / double(b);
  return true_divide(BigInt(a), BigInt(b));
}

}  // namespace aio
