// Python's float semantics on plain doubles: repr/str, PyOS_double_to_string (the engine of
// format() and %), hash, floor division and modulo, round().
#pragma once
#include <cstdint>
#include <string>
#include <utility>

#include "interp/bigint.h"

namespace aio {

// Flags of double_to_string, as CPython's Py_DTSF_*.
inline constexpr unsigned kDoubleSign = 1;       // always write a sign ('+' for non-negatives)
inline constexpr unsigned kDoubleAddDot0 = 2;    // write "1.0", not "1", when it looks integral
inline constexpr unsigned kDoubleAlt = 4;        // '#': keep the point and trailing zeros
inline constexpr unsigned kDoubleNoNegZero = 8;  // 'z': a result rounding to zero loses its '-'

// CPython's PyOS_double_to_string. code: 'e' 'E' 'f' 'F' 'g' 'G' or 'r' (repr, shortest
// round-trip digits; precision ignored). Uppercase codes also write "INF"/"NAN".
std::string double_to_string(double x, char code, int precision, unsigned flags);

// repr(x) and str(x): "0.1", "1e+16", "1.5e-05", "100.0", "inf", "nan", "-0.0".
std::string float_repr(double x);
inline std::string float_str(double x) { return float_repr(x); }

// hash(x) as CPython's _Py_HashDouble; equal to the int's hash when x is integral.
// NaN gives 0: CPython 3.10+ hashes a NaN by identity, which the caller must do.
int64_t float_hash(double x);

// x // y, x % y and divmod(x, y) with Python's signs; y != 0 (the caller raises
// ZeroDivisionError "float floor division by zero" / "float modulo" / "float divmod()").
double float_floordiv(double x, double y);
double float_mod(double x, double y);
std::pair<double, double> float_divmod(double x, double y);

// round(x) before its conversion to int: half to even.
double float_round_half_even(double x);
// round(x, ndigits): correctly rounded through the exact decimal value, half to even
// (round(2.675, 2) == 2.67); OverflowError "rounded value too large to represent".
tl::expected<double, NumError> float_round(double x, int64_t ndigits);

// int(x): truncates; OverflowError for infinities, ValueError for NaN, as CPython.
tl::expected<BigInt, NumError> float_to_bigint(double x);

}  // namespace aio
