// complex numbers: arithmetic as CPython's complexobject.c (same operation order, so results match
// to the bit), repr, hash, string parsing and the type's methods.
#include "interp/complex.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "interp/ast.h"
#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/float_repr.h"
#include "interp/format_spec.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/utf8.h"

namespace aio {

namespace {

constexpr uint64_t kHashImag = 1000003;  // CPython's _PyHASH_IMAG
constexpr long kIntExpCutoff = 100;      // integer exponents beyond this go through exp/log

// ---- the arithmetic (CPython's _Py_c_*) ----

Complex c_sum(Complex a, Complex b) { return {a.re + b.re, a.im + b.im}; }
Complex c_diff(Complex a, Complex b) { return {a.re - b.re, a.im - b.im}; }
Complex c_prod(Complex a, Complex b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }

// Smith's method: scale by the larger part of b so the intermediate products cannot overflow.
// false when b is zero.
bool c_quot(Complex a, Complex b, Complex& r) {
  double abs_re = std::fabs(b.re), abs_im = std::fabs(b.im);
  if (abs_re >= abs_im) {
    if (abs_re == 0) return false;
    double ratio = b.im / b.re, denom = b.re + b.im * ratio;
    r = {(a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom};
  } else if (abs_im >= abs_re) {
    double ratio = b.re / b.im, denom = b.re * ratio + b.im;
    r = {(a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom};
  } else {
    r = {NAN, NAN};  // a part of b is NaN
  }
  return true;
}

// a ** b through polar form; `domain` is set for 0 to a negative or complex power.
Complex c_pow(Complex a, Complex b, bool& domain) {
  if (b.re == 0 && b.im == 0) return {1, 0};
  if (a.re == 0 && a.im == 0) {
    if (b.im != 0 || b.re < 0) domain = true;
    return {0, 0};
  }
  double vabs = std::hypot(a.re, a.im), len = std::pow(vabs, b.re);
  double at = std::atan2(a.im, a.re), phase = at * b.re;
  if (b.im != 0) {
    len /= std::exp(at * b.im);
    phase += b.im * std::log(vabs);
  }
  return {len * std::cos(phase), len * std::sin(phase)};
}

Complex c_powu(Complex x, long n) {
  Complex r{1, 0}, p = x;
  for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
    if (n & mask) r = c_prod(r, p);
    p = c_prod(p, p);
  }
  return r;
}

// x ** n for |n| <= kIntExpCutoff.
Complex c_powi(Complex x, long n, bool& domain) {
  if (n > 0) return c_powu(x, n);
  Complex r;
  if (!c_quot({1, 0}, c_powu(x, -n), r)) domain = true;
  return r;
}

// |z| with CPython's rules: an infinite part wins over a NaN one.
double c_abs(Complex z) {
  if (std::isinf(z.re) || std::isinf(z.im)) return HUGE_VAL;
  if (std::isnan(z.re) || std::isnan(z.im)) return NAN;
  return std::hypot(z.re, z.im);
}

// ---- conversions ----

Complex value_of(const Value& v) { return as<ComplexObj>(v)->v; }

// A number as a complex: 1 done, 0 not a number (NotImplemented), -1 raised.
int to_complex(const Value& v, Complex& out) {
  if (is_complex(v)) {
    out = value_of(v);
    return 1;
  }
  Value n = num_unbox(v);
  if (n.is_float()) {
    out = {n.as_float(), 0};
    return 1;
  }
  if (!is_intlike(n)) return 0;
  if (!is_bigint(n)) {
    out = {double(n.as_int()), 0};
    return 1;
  }
  auto d = as<BigIntObj>(n)->v.to_double();
  if (!d) {
    raise_num(d.error());
    return -1;
  }
  out = {*d, 0};
  return 1;
}

std::string part(double x, unsigned flags) { return double_to_string(x, 'r', 0, flags); }

std::string complex_repr(Complex c) {
  if (c.re == 0 && !std::signbit(c.re)) return part(c.im, 0) + "j";
  return "(" + part(c.re, 0) + part(c.im, kDoubleSign) + "j)";
}

// ---- parsing complex("1+2j") as CPython's complex_from_string_inner ----

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool starts_with_word(const char* s, const char* word) {
  for (; *word; s++, word++)
    if (std::tolower(static_cast<unsigned char>(*s)) != *word) return false;
  return true;
}

// A float at s as PyOS_string_to_double reads it (decimal, inf, infinity, nan; with a sign).
// Returns where it ends (s itself when there is none).
const char* scan_float(const char* s, double& out) {
  const char* p = s;
  if (*p == '+' || *p == '-') p++;
  for (const char* word : {"infinity", "inf", "nan"}) {
    if (starts_with_word(p, word)) {
      double mag = word[0] == 'n' ? NAN : HUGE_VAL;
      out = *s == '-' ? -mag : mag;
      return p + std::strlen(word);
    }
  }
  const char* digits = p;
  while (is_digit(*p)) p++;
  bool any = p != digits;
  if (*p == '.') {
    p++;
    const char* frac = p;
    while (is_digit(*p)) p++;
    any = any || p != frac;
  }
  if (!any) return s;
  if (*p == 'e' || *p == 'E') {
    const char* q = p + 1;
    if (*q == '+' || *q == '-') q++;
    if (is_digit(*q)) {
      while (is_digit(*q)) q++;
      p = q;
    }
  }
  out = std::strtod(std::string(s, p).c_str(), nullptr);
  return p;
}

// Underscores are allowed only between digits, as in float("1_0"); false if one is misplaced.
bool drop_underscores(const std::string& in, std::string& out) {
  for (size_t i = 0; i < in.size(); i++) {
    if (in[i] != '_') {
      out += in[i];
      continue;
    }
    if (i == 0 || i + 1 == in.size() || !is_digit(in[i - 1]) || !is_digit(in[i + 1])) return false;
  }
  return true;
}

bool parse_complex(const std::string& clean, Complex& out) {
  const char* s = clean.c_str();
  while (is_space(*s)) s++;
  bool bracket = *s == '(';
  if (bracket) {
    s++;
    while (is_space(*s)) s++;
  }
  double x = 0, y = 0, z = 0;
  const char* end = scan_float(s, z);
  auto sign_unit = [](char c) { return c == '+' ? 1.0 : -1.0; };
  auto is_j = [](char c) { return c == 'j' || c == 'J'; };
  if (end != s) {
    s = end;
    if (*s == '+' || *s == '-') {  // <float><signed-float>j or <float><sign>j
      x = z;
      end = scan_float(s, y);
      if (end != s) s = end;
      else y = sign_unit(*s++);
      if (!is_j(*s++)) return false;
    } else if (is_j(*s)) {  // <float>j
      s++;
      y = z;
    } else {
      x = z;
    }
  } else {  // <sign>j or j
    y = 1;
    if (*s == '+' || *s == '-') y = sign_unit(*s++);
    if (!is_j(*s++)) return false;
  }
  while (is_space(*s)) s++;
  if (bracket) {
    if (*s++ != ')') return false;
    while (is_space(*s)) s++;
  }
  if (s != clean.c_str() + clean.size()) return false;
  out = {x, y};
  return true;
}

Value complex_from_string(const Value& text) {
  std::string clean;
  Complex c;
  if (!drop_underscores(str_of(text), clean)) {
    std::string r;
    if (!repr_string(text, r)) return Value::raised();
    return raise(exc.ValueError, "could not convert string to complex: " + r);
  }
  if (!parse_complex(clean, c)) return raise(exc.ValueError, "complex() arg is a malformed string");
  return new_complex(c);
}

// ---- the constructor ----

// float(v) for complex()'s arguments; v has __float__ or __index__.
bool real_part(const Value& v, double& out) {
  Value f = call(Value::borrow(types.float_), {v});
  if (f.is_raised()) return false;
  out = num_unbox(f).as_float();
  return true;
}

bool is_real_number(const Value& v) {
  return is_number(num_unbox(v)) || type_lookup(type_of(v), intern("__float__")) ||
         type_lookup(type_of(v), intern("__index__"));
}

// v.__complex__() when v defines it: 1 done, 0 absent, -1 raised.
int complex_special(const Value& v, Complex& out) {
  if (is_exact(v, types.complex) || !type_lookup(type_of(v), intern("__complex__"))) return 0;
  Value r = call_method(v, "__complex__", {});
  if (r.is_raised()) return -1;
  if (!is_complex(r)) {
    raise(exc.TypeError, "__complex__ returned non-complex (type " + type_name(r) + ")");
    return -1;
  }
  out = value_of(r);
  return 1;
}

// One argument of complex(): its value and whether it was itself complex. false: raised.
bool complex_arg(const Value& v, const char* which, Complex& out, bool& was_complex) {
  int special = complex_special(v, out);
  if (special < 0) return false;
  was_complex = special == 1 || is_complex(v);
  if (special == 0 && is_complex(v)) out = value_of(v);
  if (was_complex) return true;
  if (!is_real_number(v)) {
    raise(exc.TypeError, std::string("complex() ") + which + " must be a string or a number, not '" + type_name(v) + "'");
    return false;
  }
  out.im = 0;
  return real_part(v, out.re);
}

Value complex_value(const Args& a) {
  const Value* r = arg_or_kw(a, 1, "real");
  const Value* i = arg_or_kw(a, 2, "imag");
  const Value zero = Value::integer(0);
  if (!r && !i) return new_complex({0, 0});
  if (!r) r = &zero;
  if (is_str(*r)) {
    if (i) return raise(exc.TypeError, "complex() can't take second arg if first is a string");
    return complex_from_string(*r);
  }
  if (i && is_str(*i)) return raise(exc.TypeError, "complex() second arg can't be a string");
  if (!i && is_exact(*r, types.complex)) return *r;
  Complex cr, ci;
  bool cr_complex, ci_complex = false;
  if (!complex_arg(*r, "first argument", cr, cr_complex)) return Value::raised();
  if (i) {
    if (!is_complex(*i) && !is_real_number(*i))
      return raise(exc.TypeError, "complex() second argument must be a number, not '" + type_name(*i) + "'");
    if (!complex_arg(*i, "second argument", ci, ci_complex)) return Value::raised();
  }
  double re = cr.re, im = ci.re;
  if (ci_complex) re -= ci.im;
  if (cr_complex && i) im += cr.im;
  else if (cr_complex) im = cr.im;
  return new_complex({re, im});
}

Value complex_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  Value v = complex_value(a);
  if (v.is_raised() || cls == types.complex) return v;
  return Value::adopt(new WithDict<ComplexObj>(cls, cls, value_of(v)));
}

// ---- methods ----

Complex self_of(const Args& a) { return value_of(a[0]); }

Value op_result(BinOpKind op, Complex x, Complex y) {
  switch (op) {
    case BinOpKind::Add: return new_complex(c_sum(x, y));
    case BinOpKind::Sub: return new_complex(c_diff(x, y));
    case BinOpKind::Mult: return new_complex(c_prod(x, y));
    case BinOpKind::Div: {
      Complex r;
      if (!c_quot(x, y, r)) return raise(exc.ZeroDivisionError, "complex division by zero");
      return new_complex(r);
    }
    default: return complex_power(x, y);
  }
}

// self OP other, or other OP self when `reflected`.
template <BinOpKind Op, bool Reflected>
Value binop(const Args& a) {
  if (!check_args(a, "complex operator", 2, Op == BinOpKind::Pow ? 3 : 2)) return Value::raised();
  if (a.npos == 3 && !a[2].is_none()) return raise(exc.ValueError, "complex modulo");
  Complex other;
  int ok = to_complex(a[1], other);
  if (ok <= 0) return ok < 0 ? Value::raised() : not_implemented();
  return Reflected ? op_result(Op, other, self_of(a)) : op_result(Op, self_of(a), other);
}

// == as CPython: an int compares exactly with the real part, not through a rounded float.
Value equal(const Args& a) {
  Complex x = self_of(a);
  const Value other = num_unbox(a[1]);
  if (is_complex(other)) return Value::boolean(x.re == value_of(other).re && x.im == value_of(other).im);
  if (other.is_float()) return Value::boolean(x.im == 0 && x.re == other.as_float());
  if (!is_intlike(other)) return not_implemented();
  int c = 1;
  return Value::boolean(x.im == 0 && number_compare(Value::real(x.re), other, c) && c == 0);
}

Value not_equal(const Args& a) {
  Value eq = equal(a);
  return eq.is_bool() ? Value::boolean(!eq.as_bool()) : eq;
}

Value complex_hash(const Args& a) {
  Complex c = self_of(a);
  uint64_t h = uint64_t(float_hash(c.re)) + kHashImag * uint64_t(float_hash(c.im));
  int64_t out = int64_t(h);
  return Value::integer(out == -1 ? -2 : out);
}

Value complex_abs(const Args& a) {
  Complex c = self_of(a);
  double r = c_abs(c);
  if (std::isinf(r) && std::isfinite(c.re) && std::isfinite(c.im))
    return raise(exc.OverflowError, "absolute value too large");
  return Value::real(r);
}

Value complex_neg(const Args& a) { return new_complex({-self_of(a).re, -self_of(a).im}); }
Value complex_pos(const Args& a) { return new_complex(self_of(a)); }
Value complex_conjugate(const Args& a) { return new_complex({self_of(a).re, -self_of(a).im}); }
Value complex_bool(const Args& a) { return Value::boolean(self_of(a).re != 0 || self_of(a).im != 0); }
Value complex_repr_method(const Args& a) { return new_str(complex_repr(self_of(a))); }

// One part of a formatted complex: PyOS_double_to_string's 'r' for the default presentation,
// float's own formatting (with the spec's sign, z, #, grouping and precision) otherwise.
tl::expected<std::string, NumError> format_part(double x, const FormatSpec& f, char type, char sign) {
  if (type == 'r') {
    std::string out = part(x, sign == '+' ? kDoubleSign : 0);
    return sign == ' ' && out[0] != '-' ? " " + out : out;
  }
  std::string spec;
  if (sign) spec += sign;
  if (f.no_neg_zero) spec += 'z';
  if (f.alternate) spec += '#';
  if (f.grouping) spec += f.grouping;
  if (f.precision >= 0) spec += "." + std::to_string(f.precision);
  return format_float(x, spec + type);
}

// CPython's format_complex_internal: both parts alike, the imaginary one always signed unless
// the real part is left out; with no type it reads as str() (parentheses and all).
tl::expected<std::string, NumError> format_complex(Complex c, std::string_view text) {
  auto f = parse_format_spec(text, FormatKind::Float, "complex");
  if (!f) return tl::unexpected(f.error());
  if (f->fill == U'0') return tl::unexpected(value_error("Zero padding is not allowed in complex format specifier"));
  if (f->align == '=')
    return tl::unexpected(value_error("'=' alignment flag is not allowed in complex format specifier"));
  char type = char(f->type);
  bool skip_re = false, parens = false;
  if (type == 0) {
    type = f->precision < 0 ? 'r' : 'g';
    skip_re = c.re == 0 && !std::signbit(c.re);
    parens = !skip_re;
  } else if (type == 'n') {
    type = 'g';
  } else if (!std::strchr("eEfFgG", type)) {
    return tl::unexpected(value_error(std::string("Unknown format code '") + type + "' for object of type 'complex'"));
  }
  auto re = format_part(c.re, *f, type, f->sign);
  auto im = format_part(c.im, *f, type, skip_re ? f->sign : '+');
  if (!re) return re;
  if (!im) return im;
  std::string body = (parens ? "(" : "") + (skip_re ? "" : *re) + *im + (parens ? "j)" : "j");
  int64_t pad = f->width - int64_t(utf8_length(body));
  if (pad <= 0) return body;
  std::string fill;
  append_utf8(fill, f->fill);
  auto repeat = [&](int64_t n) {
    std::string out;
    for (int64_t i = 0; i < n; i++) out += fill;
    return out;
  };
  int64_t left = f->align == '<' ? 0 : f->align == '^' ? pad / 2 : pad;
  return repeat(left) + body + repeat(pad - left);
}

Value complex_format(const Args& a) {
  if (!check_args(a, "__format__", 2, 2)) return Value::raised();
  if (!is_str(a[1])) return raise(exc.TypeError, "format spec must be a string");
  if (str_of(a[1]).empty()) return to_str(a[0]);
  auto r = format_complex(self_of(a), str_of(a[1]));
  if (!r) return raise_num(r.error());
  return new_str(std::move(*r));
}

}  // namespace

Value new_complex(Complex c) { return Value::adopt(new ComplexObj(types.complex, c)); }

Value complex_power(Complex a, Complex b) {
  bool domain = false;
  bool small_int = b.im == 0 && std::fabs(b.re) <= kIntExpCutoff && b.re == std::trunc(b.re);
  Complex p = small_int ? c_powi(a, long(b.re), domain) : c_pow(a, b, domain);
  if (domain) return raise(exc.ZeroDivisionError, "0.0 to a negative or complex power");
  if (std::isinf(p.re) || std::isinf(p.im)) return raise(exc.OverflowError, "complex exponentiation");
  return new_complex(p);
}

void init_complex_type() {
  Type* t = types.complex;
  add_method(t, "__new__", complex_new);
  add_method(t, "__repr__", complex_repr_method);
  add_method(t, "__format__", complex_format);
  add_method(t, "__hash__", complex_hash);
  add_method(t, "__eq__", equal);
  add_method(t, "__ne__", not_equal);
  add_method(t, "__bool__", complex_bool);
  add_method(t, "__abs__", complex_abs);
  add_method(t, "__neg__", complex_neg);
  add_method(t, "__pos__", complex_pos);
  add_method(t, "__complex__", complex_pos);
  add_method(t, "conjugate", complex_conjugate);
  add_method(t, "__add__", binop<BinOpKind::Add, false>);
  add_method(t, "__radd__", binop<BinOpKind::Add, true>);
  add_method(t, "__sub__", binop<BinOpKind::Sub, false>);
  add_method(t, "__rsub__", binop<BinOpKind::Sub, true>);
  add_method(t, "__mul__", binop<BinOpKind::Mult, false>);
  add_method(t, "__rmul__", binop<BinOpKind::Mult, true>);
  add_method(t, "__truediv__", binop<BinOpKind::Div, false>);
  add_method(t, "__rtruediv__", binop<BinOpKind::Div, true>);
  add_method(t, "__pow__", binop<BinOpKind::Pow, false>);
  add_method(t, "__rpow__", binop<BinOpKind::Pow, true>);
  add_getset(t, "real", [](const Value& v) { return Value::real(value_of(v).re); });
  add_getset(t, "imag", [](const Value& v) { return Value::real(value_of(v).im); });
}

}  // namespace aio
