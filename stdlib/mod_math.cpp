// math: the C library's functions with CPython's argument conversions and error rules,
// exact integer functions over BigInt, and fsum's exact summation.
#include <cerrno>
#include <cmath>
#include <vector>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/float_repr.h"
#include "interp/int.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

constexpr double kDefaultRelTol = 1e-9;

Value domain_error() { return raise(exc.ValueError, "math domain error"); }
Value range_error() { return raise(exc.OverflowError, "math range error"); }

// A real number as a double: float, int, or anything with __float__ / __index__.
bool to_double(const Value& v, double& out) {
  if (v.is_float()) { out = v.as_float(); return true; }
  if (v.is_int() || v.is_bool()) { out = static_cast<double>(v.as_int()); return true; }
  if (is_bigint(v)) {
    auto d = to_bigint(v).to_double();
    if (!d) { raise_num(d.error()); return false; }
    out = *d;
    return true;
  }
  Value* f = type_lookup(type_of(v), intern("__float__"));
  if (!f) {
    int64_t i;
    if (type_lookup(type_of(v), intern("__index__")) && index_of(v, i)) { out = double(i); return true; }
    raise(exc.TypeError, "must be real number, not " + type_name(v));
    return false;
  }
  Value r = call(*f, {v});
  if (r.is_raised()) return false;
  if (!r.is_float()) {
    raise(exc.TypeError, type_name(v) + ".__float__ returned non-float (type " + type_name(r) + ")");
    return false;
  }
  out = r.as_float();
  return true;
}

// An integer argument as a BigInt (int, bool or __index__).
bool to_integer(const Value& v, BigInt& out) {
  if (is_intlike(v)) { out = to_bigint(v); return true; }
  int64_t i;
  if (!index_of(v, i)) return false;
  out = BigInt(i);
  return true;
}

// CPython's math_1: NaN out of a non-NaN input is a domain error; an infinity out of a finite
// input is an overflow when the function can overflow, a domain error (a pole) otherwise.
Value checked_result(double x, double r, bool can_overflow) {
  if (std::isnan(r) && !std::isnan(x)) return domain_error();
  if (std::isinf(r) && std::isfinite(x)) return can_overflow ? range_error() : domain_error();
  return Value::real(r);
}

struct Unary {
  const char* name;
  double (*fn)(double);
  bool can_overflow;
};

const Unary kUnary[] = {
    {"sqrt", [](double x) { return std::sqrt(x); }, false},
    {"exp", [](double x) { return std::exp(x); }, true},
    {"exp2", [](double x) { return std::exp2(x); }, true},
    {"expm1", [](double x) { return std::expm1(x); }, true},
    {"log1p", [](double x) { return std::log1p(x); }, false},
    {"sin", [](double x) { return std::sin(x); }, false},
    {"cos", [](double x) { return std::cos(x); }, false},
    {"tan", [](double x) { return std::tan(x); }, false},
    {"asin", [](double x) { return std::asin(x); }, false},
    {"acos", [](double x) { return std::acos(x); }, false},
    {"atan", [](double x) { return std::atan(x); }, false},
    {"sinh", [](double x) { return std::sinh(x); }, true},
    {"cosh", [](double x) { return std::cosh(x); }, true},
    {"tanh", [](double x) { return std::tanh(x); }, false},
    {"asinh", [](double x) { return std::asinh(x); }, false},
    {"acosh", [](double x) { return std::acosh(x); }, false},
    {"atanh", [](double x) { return std::atanh(x); }, false},
    {"cbrt", [](double x) { return std::cbrt(x); }, false},
    {"erf", [](double x) { return std::erf(x); }, false},
    {"erfc", [](double x) { return std::erfc(x); }, false},
    {"fabs", [](double x) { return std::fabs(x); }, false},
    {"degrees", [](double x) { return x * (180.0 / M_PI); }, true},
    {"radians", [](double x) { return x * (M_PI / 180.0); }, false},
};

// One native per table entry: the function finds its entry by its own position.
template <size_t I>
Value unary_fn(const Args& a) {
  const Unary& u = kUnary[I];
  double x;
  if (!check_args(a, u.name, 1, 1) || !to_double(a[0], x)) return Value::raised();
  return checked_result(x, u.fn(x), u.can_overflow);
}

template <size_t... I>
void add_unary(const Value& module, std::index_sequence<I...>) {
  (add_function(module, kUnary[I].name, unary_fn<I>), ...);
}

// ---- logarithms: big ints beyond double range still have a logarithm ----

// ln(v) for a positive real; false with a raised ValueError when v <= 0.
bool natural_log(const Value& v, double& out) {
  if (is_bigint(v) && to_bigint(v).sign() > 0) {
    long exp2;
    double m = mpz_get_d_2exp(&exp2, to_bigint(v).raw());
    out = std::log(m) + static_cast<double>(exp2) * M_LN2;
    return true;
  }
  double x;
  if (!to_double(v, x)) return false;
  if (std::isnan(x) || x == INFINITY) { out = x; return true; }
  if (x <= 0) { domain_error(); return false; }
  out = std::log(x);
  return true;
}

Value math_log(const Args& a) {
  if (!check_args(a, "log", 1, 2)) return Value::raised();
  double num, den;
  if (!natural_log(a[0], num)) return Value::raised();
  if (a.npos == 1) return Value::real(num);
  if (!natural_log(a[1], den)) return Value::raised();
  if (den == 0) return raise(exc.ZeroDivisionError, "float division by zero");
  return Value::real(num / den);
}

// log2 and log10: exact for floats; big ints go through ln(v) / ln(base).
Value log_base(const Args& a, const char* name, double (*fn)(double), double ln_base) {
  double x;
  if (!check_args(a, name, 1, 1)) return Value::raised();
  if (is_bigint(a[0])) {
    if (!natural_log(a[0], x)) return Value::raised();
    return Value::real(x / ln_base);
  }
  if (!to_double(a[0], x)) return Value::raised();
  if (x <= 0) return domain_error();
  return Value::real(fn(x));
}

Value math_log2(const Args& a) { return log_base(a, "log2", std::log2, M_LN2); }
Value math_log10(const Args& a) { return log_base(a, "log10", std::log10, M_LN10); }

// ---- rounding to int ----

// floor and ceil: ints unchanged, floats rounded, others through __floor__ / __ceil__.
Value round_to_int(const Args& a, const char* name, const char* dunder, double (*fn)(double)) {
  if (!check_args(a, name, 1, 1)) return Value::raised();
  const Value& v = a[0];
  if (is_intlike(v)) return v.is_bool() ? Value::integer(v.as_int()) : v;
  if (!v.is_float()) {
    if (Value* f = type_lookup(type_of(v), intern(dunder))) return call(*f, {v});
  }
  double x;
  if (!to_double(v, x)) return Value::raised();
  auto r = float_to_bigint(fn(x));
  if (!r) return raise_num(r.error());
  return make_int(std::move(*r));
}

Value math_floor(const Args& a) { return round_to_int(a, "floor", "__floor__", std::floor); }
Value math_ceil(const Args& a) { return round_to_int(a, "ceil", "__ceil__", std::ceil); }

Value math_trunc(const Args& a) {
  if (!check_args(a, "trunc", 1, 1)) return Value::raised();
  Value* f = type_lookup(type_of(a[0]), intern("__trunc__"));
  if (!f) return raise(exc.TypeError, "type " + type_name(a[0]) + " doesn't define __trunc__ method");
  return call(*f, {a[0]});
}

// ---- two-argument float functions ----

bool two_doubles(const Args& a, const char* name, double& x, double& y) {
  return check_args(a, name, 2, 2) && to_double(a[0], x) && to_double(a[1], y);
}

Value math_pow(const Args& a) {
  double x, y;
  if (!two_doubles(a, "pow", x, y)) return Value::raised();
  if (x == 0 && y < 0) return domain_error();
  double r = std::pow(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) return domain_error();
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) return range_error();
  return Value::real(r);
}

Value math_atan2(const Args& a) {
  double y, x;
  if (!two_doubles(a, "atan2", y, x)) return Value::raised();
  return Value::real(std::atan2(y, x));
}

Value math_copysign(const Args& a) {
  double x, y;
  if (!two_doubles(a, "copysign", x, y)) return Value::raised();
  return Value::real(std::copysign(x, y));
}

Value math_fmod(const Args& a) {
  double x, y;
  if (!two_doubles(a, "fmod", x, y)) return Value::raised();
  if (std::isinf(y) && std::isfinite(x)) return Value::real(x);
  if (y == 0 || std::isinf(x)) return std::isnan(x) || std::isnan(y) ? Value::real(NAN) : domain_error();
  return Value::real(std::fmod(x, y));
}

Value math_ldexp(const Args& a) {
  if (!check_args(a, "ldexp", 2, 2)) return Value::raised();
  double x;
  int64_t e;
  if (!to_double(a[0], x) || !index_of(a[1], e)) return Value::raised();
  constexpr int64_t kExpClamp = 1 << 20;  // beyond any double's exponent range either way
  double r = std::ldexp(x, static_cast<int>(std::clamp(e, -kExpClamp, kExpClamp)));
  if (std::isinf(r) && std::isfinite(x)) return range_error();
  return Value::real(r);
}

Value math_hypot(const Args& a) {
  double r = 0;
  for (size_t i = 0; i < a.npos; i++) {
    double x;
    if (!to_double(a[i], x)) return Value::raised();
    r = std::hypot(r, x);
  }
  return Value::real(r);
}

// ---- predicates and decompositions ----

template <bool (*Pred)(double)>
Value predicate(const Args& a) {
  double x;
  if (!check_args(a, "isnan", 1, 1) || !to_double(a[0], x)) return Value::raised();
  return Value::boolean(Pred(x));
}

bool is_nan(double x) { return std::isnan(x); }
bool is_inf(double x) { return std::isinf(x); }
bool is_finite(double x) { return std::isfinite(x); }

Value math_isclose(const Args& a) {
  const Value* av = arg_or_kw(a, 0, "a");
  const Value* bv = arg_or_kw(a, 1, "b");
  if (!av || !bv) return raise(exc.TypeError, "isclose() missing required argument 'b' (pos 2)");
  double x, y, rel = kDefaultRelTol, abs_tol = 0;
  if (!to_double(*av, x) || !to_double(*bv, y)) return Value::raised();
  if (const Value* r = kwarg(a, "rel_tol"); r && !to_double(*r, rel)) return Value::raised();
  if (const Value* t = kwarg(a, "abs_tol"); t && !to_double(*t, abs_tol)) return Value::raised();
  if (rel < 0 || abs_tol < 0) return raise(exc.ValueError, "tolerances must be non-negative");
  if (x == y) return Value::boolean(true);
  if (std::isinf(x) || std::isinf(y)) return Value::boolean(false);
  double diff = std::fabs(y - x);
  return Value::boolean(diff <= std::fabs(rel * y) || diff <= std::fabs(rel * x) || diff <= abs_tol);
}

Value math_modf(const Args& a) {
  double x;
  if (!check_args(a, "modf", 1, 1) || !to_double(a[0], x)) return Value::raised();
  if (std::isinf(x)) return new_tuple({Value::real(std::copysign(0.0, x)), Value::real(x)});
  double ip;
  double frac = std::modf(x, &ip);
  return new_tuple({Value::real(frac), Value::real(ip)});
}

Value math_frexp(const Args& a) {
  double x;
  if (!check_args(a, "frexp", 1, 1) || !to_double(a[0], x)) return Value::raised();
  int e = 0;
  double m = std::isfinite(x) ? std::frexp(x, &e) : x;
  return new_tuple({Value::real(m), Value::integer(e)});
}

// ---- integer functions ----

Value math_gcd(const Args& a) {
  BigInt g(0);
  for (size_t i = 0; i < a.npos; i++) {
    BigInt n;
    if (!to_integer(a[i], n)) return Value::raised();
    mpz_gcd(g.raw(), g.raw(), n.raw());
  }
  return make_int(std::move(g));
}

Value math_lcm(const Args& a) {
  BigInt l(1);
  for (size_t i = 0; i < a.npos; i++) {
    BigInt n;
    if (!to_integer(a[i], n)) return Value::raised();
    mpz_lcm(l.raw(), l.raw(), n.raw());
  }
  return make_int(std::move(l));
}

// A non-negative int argument small enough for GMP's unsigned long functions.
bool small_natural(const Value& v, const char* what, unsigned long& out) {
  if (v.is_float()) {
    raise(exc.TypeError, "'float' object cannot be interpreted as an integer");
    return false;
  }
  BigInt n;
  if (!to_integer(v, n)) return false;
  if (n.sign() < 0) {
    raise(exc.ValueError, what);
    return false;
  }
  if (!mpz_fits_ulong_p(n.raw())) {
    raise(exc.OverflowError, "argument too large");
    return false;
  }
  out = mpz_get_ui(n.raw());
  return true;
}

Value math_factorial(const Args& a) {
  unsigned long n;
  if (!check_args(a, "factorial", 1, 1) ||
      !small_natural(a[0], "factorial() not defined for negative values", n))
    return Value::raised();
  BigInt r;
  mpz_fac_ui(r.raw(), n);
  return make_int(std::move(r));
}

Value math_comb(const Args& a) {
  unsigned long n, k;
  if (!check_args(a, "comb", 2, 2) || !small_natural(a[0], "n must be a non-negative integer", n) ||
      !small_natural(a[1], "k must be a non-negative integer", k))
    return Value::raised();
  BigInt r;
  if (k <= n) mpz_bin_uiui(r.raw(), n, k);
  return make_int(std::move(r));
}

Value math_perm(const Args& a) {
  unsigned long n, k;
  if (!check_args(a, "perm", 1, 2) || !small_natural(a[0], "n must be a non-negative integer", n))
    return Value::raised();
  k = n;
  if (a.npos == 2 && !a[1].is_none() && !small_natural(a[1], "k must be a non-negative integer", k))
    return Value::raised();
  BigInt r;
  if (k <= n) {
    BigInt below;
    mpz_fac_ui(r.raw(), n);
    mpz_fac_ui(below.raw(), n - k);
    mpz_divexact(r.raw(), r.raw(), below.raw());
  }
  return make_int(std::move(r));
}

Value math_isqrt(const Args& a) {
  BigInt n;
  if (!check_args(a, "isqrt", 1, 1) || !to_integer(a[0], n)) return Value::raised();
  if (n.sign() < 0) return raise(exc.ValueError, "isqrt() argument must be nonnegative");
  mpz_sqrt(n.raw(), n.raw());
  return make_int(std::move(n));
}

Value math_prod(const Args& a) {
  if (!check_args(a, "prod", 1, 1)) return Value::raised();
  const Value* start = kwarg(a, "start");
  Value total = start ? *start : Value::integer(1);
  Value it = get_iter(a[0]);
  if (it.is_raised()) return it;
  Value item;
  while (next_item(it, item)) {
    total = binary_op(BinOpKind::Mult, total, item);
    if (total.is_raised()) return total;
  }
  return item.is_raised() ? item : total;
}

// ---- fsum: Shewchuk's exact partial sums, rounded once at the end (CPython's math_fsum) ----

bool add_partial(std::vector<double>& partials, double x, double& special, double& inf_sum) {
  if (!std::isfinite(x)) {
    if (std::isinf(x)) inf_sum += x;
    special += x;
    return true;
  }
  size_t i = 0;
  for (double y : partials) {
    if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
    double hi = x + y;
    double lo = y - (hi - x);
    if (lo != 0.0) partials[i++] = lo;
    x = hi;
  }
  partials.resize(i);
  partials.push_back(x);
  return std::isfinite(x);
}

double round_partials(const std::vector<double>& p) {
  if (p.empty()) return 0.0;
  size_t n = p.size();
  double hi = p[--n], lo = 0;
  while (n > 0) {
    double x = hi, y = p[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo != 0.0) break;
  }
  // Half-way cases: the next partial's sign decides the rounding direction.
  if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
    double y = lo * 2;
    double x = hi + y;
    if (y == x - hi) hi = x;
  }
  return hi;
}

Value math_fsum(const Args& a) {
  if (!check_args(a, "fsum", 1, 1)) return Value::raised();
  Value it = get_iter(a[0]);
  if (it.is_raised()) return it;
  std::vector<double> partials;
  double special = 0, inf_sum = 0;
  Value item;
  while (next_item(it, item)) {
    double x;
    if (!to_double(item, x)) return Value::raised();
    if (!add_partial(partials, x, special, inf_sum) && std::isfinite(special))
      return raise(exc.OverflowError, "intermediate overflow in fsum");
  }
  if (item.is_raised()) return item;
  if (special != 0.0) {
    if (std::isnan(inf_sum)) return raise(exc.ValueError, "-inf + inf in fsum");
    return Value::real(special);
  }
  return Value::real(round_partials(partials));
}

}  // namespace

void init_math(const Value& module) {
  DictObj* d = module_dict(module);
  dict_set_str(d, intern("pi"), Value::real(M_PI));
  dict_set_str(d, intern("e"), Value::real(M_E));
  dict_set_str(d, intern("tau"), Value::real(2 * M_PI));
  dict_set_str(d, intern("inf"), Value::real(INFINITY));
  dict_set_str(d, intern("nan"), Value::real(NAN));
  add_unary(module, std::make_index_sequence<std::size(kUnary)>());
  struct Entry { const char* name; NativeFn fn; };
  static const Entry entries[] = {
      {"log", math_log},           {"log2", math_log2},         {"log10", math_log10},
      {"floor", math_floor},       {"ceil", math_ceil},         {"trunc", math_trunc},
      {"pow", math_pow},           {"atan2", math_atan2},       {"copysign", math_copysign},
      {"fmod", math_fmod},         {"ldexp", math_ldexp},       {"hypot", math_hypot},
      {"isnan", predicate<is_nan>}, {"isinf", predicate<is_inf>}, {"isfinite", predicate<is_finite>},
      {"isclose", math_isclose},   {"modf", math_modf},         {"frexp", math_frexp},
      {"gcd", math_gcd},           {"lcm", math_lcm},           {"factorial", math_factorial},
      {"comb", math_comb},         {"perm", math_perm},         {"isqrt", math_isqrt},
      {"prod", math_prod},         {"fsum", math_fsum},
  };
  for (const Entry& e : entries) add_function(module, e.name, e.fn);
}

}  // namespace aio
