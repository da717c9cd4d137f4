// BigInt: Python's unbounded int as a value class over GMP, with Python's semantics
// (floor division, two's complement bitwise ops, CPython's hash and float conversions).
// Also the int64 fast paths the interpreter tries first, falling back to BigInt on overflow.
#pragma once
#include <gmp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace aio {

// An exception the numeric core reports as a value; the interpreter raises it. Raised: a
// callback into the interpreter already raised one, so there is nothing more to raise.
struct NumError {
  enum class Kind { Value, Overflow, ZeroDivision, Type, Raised };
  Kind kind;
  std::string message;
};

inline NumError value_error(std::string m) { return {NumError::Kind::Value, std::move(m)}; }
inline NumError overflow_error(std::string m) { return {NumError::Kind::Overflow, std::move(m)}; }
inline NumError type_error(std::string m) { return {NumError::Kind::Type, std::move(m)}; }

class BigInt {
 public:
  BigInt() { mpz_init(v_); }
  BigInt(int64_t i) { mpz_init_set_si(v_, i); }  // NOLINT: implicit, ints convert freely
  BigInt(const BigInt& o) { mpz_init_set(v_, o.v_); }
  BigInt(BigInt&& o) noexcept { mpz_init(v_); mpz_swap(v_, o.v_); }
  BigInt& operator=(const BigInt& o) { mpz_set(v_, o.v_); return *this; }
  BigInt& operator=(BigInt&& o) noexcept { mpz_swap(v_, o.v_); return *this; }
  ~BigInt() { mpz_clear(v_); }

  // Python's int(s, base): base 0 or 2..36; nullopt when s is not a valid literal.
  static std::optional<BigInt> parse(std::string_view s, int base);
  // Truncates toward zero, as int(3.7); d must be finite.
  static BigInt from_double(double d);

  // Digits in base 2..36, lowercase, '-' for negatives, no prefix.
  std::string to_string(int base = 10) const;
  // hex()/oct()/bin(): base 16, 8 or 2 with its 0x/0o/0b prefix after the sign.
  std::string to_prefixed(int base) const;

  bool fits_int64() const { return mpz_fits_slong_p(v_) != 0; }
  int64_t to_int64() const { return mpz_get_si(v_); }  // requires fits_int64()
  // float(n), correctly rounded (half-even); OverflowError when out of range.
  tl::expected<double, NumError> to_double() const;

  int sign() const { return mpz_sgn(v_); }
  bool is_zero() const { return sign() == 0; }
  bool is_odd() const { return mpz_odd_p(v_) != 0; }
  uint64_t bit_length() const { return is_zero() ? 0 : mpz_sizeinbase(v_, 2); }
  // hash(n) exactly as CPython: n mod (2**61 - 1) with the sign kept, and -1 mapped to -2.
  int64_t hash() const;

  const mpz_t& raw() const { return v_; }
  mpz_t& raw() { return v_; }

 private:
  mpz_t v_;
};

BigInt operator+(const BigInt& a, const BigInt& b);
BigInt operator-(const BigInt& a, const BigInt& b);
BigInt operator*(const BigInt& a, const BigInt& b);
BigInt operator-(const BigInt& a);
BigInt abs(const BigInt& a);

// Division family: b must be non-zero (the caller raises ZeroDivisionError). Floor semantics:
// the remainder takes the divisor's sign, as Python's // and %.
BigInt floordiv(const BigInt& a, const BigInt& b);
BigInt mod(const BigInt& a, const BigInt& b);
std::pair<BigInt, BigInt> divmod(const BigInt& a, const BigInt& b);
// a / b as CPython's int true division: correctly rounded, even when a and b overflow doubles.
tl::expected<double, NumError> true_divide(const BigInt& a, const BigInt& b);

BigInt pow(const BigInt& base, uint64_t exp);
// pow(base, exp, m): m non-zero; a negative exp needs base invertible mod m. Result has m's sign.
tl::expected<BigInt, NumError> pow_mod(const BigInt& base, const BigInt& exp, const BigInt& m);

// Shift counts are non-negative (the caller raises "negative shift count"); >> floors.
BigInt lshift(const BigInt& a, uint64_t n);
BigInt rshift(const BigInt& a, uint64_t n);
// Bitwise ops on the infinite two's complement representation, as Python.
BigInt bit_and(const BigInt& a, const BigInt& b);
BigInt bit_or(const BigInt& a, const BigInt& b);
BigInt bit_xor(const BigInt& a, const BigInt& b);
BigInt bit_invert(const BigInt& a);

int compare(const BigInt& a, const BigInt& b);  // <0, 0, >0
// Exact comparison with a double (no rounding of a); d must not be NaN. Infinities work.
int compare_double(const BigInt& a, double d);
inline bool operator==(const BigInt& a, const BigInt& b) { return compare(a, b) == 0; }
inline auto operator<=>(const BigInt& a, const BigInt& b) { return compare(a, b) <=> 0; }

// ---- int64 fast paths: nullopt means "overflowed, redo it with BigInt". ----

std::optional<int64_t> i64_add(int64_t a, int64_t b);
std::optional<int64_t> i64_sub(int64_t a, int64_t b);
std::optional<int64_t> i64_mul(int64_t a, int64_t b);
std::optional<int64_t> i64_neg(int64_t a);
// b != 0. Only INT64_MIN // -1 overflows.
std::optional<int64_t> i64_floordiv(int64_t a, int64_t b);
int64_t i64_mod(int64_t a, int64_t b);  // b != 0; never overflows
std::optional<int64_t> i64_pow(int64_t base, uint64_t exp);
std::optional<int64_t> i64_lshift(int64_t a, uint64_t n);
int64_t i64_rshift(int64_t a, uint64_t n);  // floors, any n
int64_t i64_hash(int64_t a);                // == BigInt(a).hash()
int i64_bit_length(int64_t a);
tl::expected<double, NumError> i64_true_divide(int64_t a, int64_t b);  // b != 0

}  // namespace aio
