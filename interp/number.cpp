// int, bool and float: arithmetic with an int64 fast path, GMP beyond it, and the types' methods.
#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>

#include "interp/bytes.h"
#include "interp/complex.h"
#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/float_repr.h"
#include "interp/format_spec.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/tuple.h"

namespace aio {

BigIntObj::BigIntObj(BigInt&& b) : Object(types.int_), v(std::move(b)) {}
FloatObj::FloatObj(double d) : Object(types.float_), v(d) {}

bool is_num_box(const Value& v) {
  return v.is_obj() && !v.obj()->type->is_native && (isinstance(v, types.int_) || isinstance(v, types.float_));
}

Value num_unbox(const Value& v) {
  if (!is_num_box(v)) return v;
  if (isinstance(v, types.int_)) return make_int(BigInt(as<BigIntObj>(v)->v));
  return Value::real(as<FloatObj>(v)->v);
}

Value make_int(BigInt&& b) {
  if (b.fits_int64()) return Value::integer(b.to_int64());
  return Value::adopt(new BigIntObj(std::move(b)));
}

BigInt to_bigint(const Value& v) {
  if (v.is_int() || v.is_bool()) return BigInt(v.as_int());
  return as<BigIntObj>(v)->v;
}

Value raise_num(const NumError& e) {
  switch (e.kind) {
    case NumError::Kind::Value: return raise(exc.ValueError, e.message);
    case NumError::Kind::Overflow: return raise(exc.OverflowError, e.message);
    case NumError::Kind::ZeroDivision: return raise(exc.ZeroDivisionError, e.message);
    case NumError::Kind::Type: return raise(exc.TypeError, e.message);
    case NumError::Kind::Raised: break;  // the exception is already set
  }
  return Value::raised();
}

bool int_to_decimal(const Value& v, std::string& out) {
  if (v.is_int()) out = std::to_string(v.as_int());
  else if (v.is_bool()) out = v.as_bool() ? "1" : "0";
  else if (is_bigint(v)) out = as<BigIntObj>(v)->v.to_string(10);
  else return false;
  return true;
}

bool is_number(const Value& v) { return is_intlike(v) || v.is_float(); }

double to_double_unchecked(const Value& v) {
  if (v.is_float()) return v.as_float();
  if (v.is_int() || v.is_bool()) return (double)v.as_int();
  auto d = as<BigIntObj>(v)->v.to_double();
  return d ? *d : HUGE_VAL;
}

namespace {

const char* kIntDivZero = "integer division or modulo by zero";
const char* kIntModZero = "integer modulo by zero";

Value big_binop(BinOpKind op, const BigInt& a, const BigInt& b) {
  switch (op) {
    case BinOpKind::Add: return make_int(a + b);
    case BinOpKind::Sub: return make_int(a - b);
    case BinOpKind::Mult: return make_int(a * b);
    case BinOpKind::FloorDiv:
      if (b.is_zero()) return raise(exc.ZeroDivisionError, kIntDivZero);
      return make_int(floordiv(a, b));
    case BinOpKind::Mod:
      if (b.is_zero()) return raise(exc.ZeroDivisionError, kIntModZero);
      return make_int(mod(a, b));
    case BinOpKind::Div: {
      if (b.is_zero()) return raise(exc.ZeroDivisionError, "division by zero");
      auto d = true_divide(a, b);
      if (!d) return raise_num(d.error());
      return Value::real(*d);
    }
    case BinOpKind::Pow: {
      if (b.sign() < 0) {
        auto x = a.to_double(), y = b.to_double();
        if (!x) return raise_num(x.error());
        if (*x == 0) return raise(exc.ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return Value::real(std::pow(*x, y ? *y : -HUGE_VAL));
      }
      if (!b.fits_int64()) return raise(exc.OverflowError, "exponent too large");
      return make_int(pow(a, (uint64_t)b.to_int64()));
    }
    case BinOpKind::LShift:
    case BinOpKind::RShift:
      if (b.sign() < 0) return raise(exc.ValueError, "negative shift count");
      if (!b.fits_int64()) {
        if (op == BinOpKind::RShift) return Value::integer(a.sign() < 0 ? -1 : 0);
        return raise(exc.OverflowError, "too many digits in integer");
      }
      return make_int(op == BinOpKind::LShift ? lshift(a, b.to_int64()) : rshift(a, b.to_int64()));
    case BinOpKind::BitAnd: return make_int(bit_and(a, b));
    case BinOpKind::BitOr: return make_int(bit_or(a, b));
    case BinOpKind::BitXor: return make_int(bit_xor(a, b));
    case BinOpKind::MatMult: break;
  }
  return not_implemented();
}

Value int_binop(BinOpKind op, int64_t a, int64_t b) {
  std::optional<int64_t> r;
  switch (op) {
    case BinOpKind::Add: r = i64_add(a, b); break;
    case BinOpKind::Sub: r = i64_sub(a, b); break;
    case BinOpKind::Mult: r = i64_mul(a, b); break;
    case BinOpKind::FloorDiv:
      if (b == 0) return raise(exc.ZeroDivisionError, kIntDivZero);
      r = i64_floordiv(a, b);
      break;
    case BinOpKind::Mod:
      if (b == 0) return raise(exc.ZeroDivisionError, kIntModZero);
      return Value::integer(i64_mod(a, b));
    case BinOpKind::Div: {
      if (b == 0) return raise(exc.ZeroDivisionError, "division by zero");
      auto d = i64_true_divide(a, b);
      if (!d) return raise_num(d.error());
      return Value::real(*d);
    }
    case BinOpKind::Pow:
      if (b < 0) {
        if (a == 0) return raise(exc.ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return Value::real(std::pow((double)a, (double)b));
      }
      r = i64_pow(a, (uint64_t)b);
      break;
    case BinOpKind::LShift:
      if (b < 0) return raise(exc.ValueError, "negative shift count");
      r = i64_lshift(a, (uint64_t)b);
      break;
    case BinOpKind::RShift:
      if (b < 0) return raise(exc.ValueError, "negative shift count");
      return Value::integer(i64_rshift(a, (uint64_t)b));
    case BinOpKind::BitAnd: return Value::integer(a & b);
    case BinOpKind::BitOr: return Value::integer(a | b);
    case BinOpKind::BitXor: return Value::integer(a ^ b);
    case BinOpKind::MatMult: return not_implemented();
  }
  if (r) return Value::integer(*r);
  return big_binop(op, BigInt(a), BigInt(b));
}

Value float_binop(BinOpKind op, double a, double b) {
  switch (op) {
    case BinOpKind::Add: return Value::real(a + b);
    case BinOpKind::Sub: return Value::real(a - b);
    case BinOpKind::Mult: return Value::real(a * b);
    case BinOpKind::Div:
      if (b == 0) return raise(exc.ZeroDivisionError, "float division by zero");
      return Value::real(a / b);
    case BinOpKind::FloorDiv:
      if (b == 0) return raise(exc.ZeroDivisionError, "float floor division by zero");
      return Value::real(float_floordiv(a, b));
    case BinOpKind::Mod:
      if (b == 0) return raise(exc.ZeroDivisionError, "float modulo");
      return Value::real(float_mod(a, b));
    case BinOpKind::Pow: {
      if (a == 0 && b < 0) return raise(exc.ZeroDivisionError, "0.0 cannot be raised to a negative power");
      // A negative base to a fractional power is complex, as CPython's float_pow hands it on.
      if (a < 0 && std::isfinite(a) && std::isfinite(b) && b != std::floor(b))
        return complex_power({a, 0}, {b, 0});
      double r = std::pow(a, b);
      if (std::isinf(r) && std::isfinite(a) && std::isfinite(b))
        return raise(exc.OverflowError, "(34, 'Numerical result out of range')");
      return Value::real(r);
    }
    default: return not_implemented();
  }
}

bool is_bitwise(BinOpKind op) {
  return op == BinOpKind::BitAnd || op == BinOpKind::BitOr || op == BinOpKind::BitXor;
}

}  // namespace

Value number_binop(BinOpKind op, const Value& a, const Value& b) {
  bool ai = a.is_int() || a.is_bool(), bi = b.is_int() || b.is_bool();
  if (ai && bi) {
    if (a.is_bool() && b.is_bool() && is_bitwise(op)) {
      bool x = a.as_bool(), y = b.as_bool();
      return Value::boolean(op == BinOpKind::BitAnd ? (x && y) : op == BinOpKind::BitOr ? (x || y) : (x != y));
    }
    return int_binop(op, a.as_int(), b.as_int());
  }
  if (a.is_float() || b.is_float()) {
    if (!is_number(a) || !is_number(b)) return not_implemented();
    if (!a.is_float() && is_bigint(a)) {
      auto d = as<BigIntObj>(a)->v.to_double();
      if (!d) return raise_num(d.error());
      return float_binop(op, *d, b.as_float());
    }
    if (!b.is_float() && is_bigint(b)) {
      auto d = as<BigIntObj>(b)->v.to_double();
      if (!d) return raise_num(d.error());
      return float_binop(op, a.as_float(), *d);
    }
    return float_binop(op, to_double_unchecked(a), to_double_unchecked(b));
  }
  if (is_intlike(a) && is_intlike(b)) return big_binop(op, to_bigint(a), to_bigint(b));
  return not_implemented();
}

Value number_unary(UnaryOpKind op, const Value& v) {
  if (v.is_float()) {
    switch (op) {
      case UnaryOpKind::Neg: return Value::real(-v.as_float());
      case UnaryOpKind::Pos: return v;
      default: return not_implemented();
    }
  }
  if (v.is_int() || v.is_bool()) {
    int64_t i = v.as_int();
    switch (op) {
      case UnaryOpKind::Neg:
        if (auto r = i64_neg(i)) return Value::integer(*r);
        return make_int(-BigInt(i));
      case UnaryOpKind::Pos: return Value::integer(i);
      case UnaryOpKind::Invert: return Value::integer(~i);
      default: return not_implemented();
    }
  }
  if (is_bigint(v)) {
    const BigInt& b = as<BigIntObj>(v)->v;
    switch (op) {
      case UnaryOpKind::Neg: return make_int(-b);
      case UnaryOpKind::Pos: return v;
      case UnaryOpKind::Invert: return make_int(bit_invert(b));
      default: return not_implemented();
    }
  }
  return not_implemented();
}

bool number_compare(const Value& a, const Value& b, int& out) {
  bool ai = a.is_int() || a.is_bool(), bi = b.is_int() || b.is_bool();
  if (ai && bi) {
    out = a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int();
    return true;
  }
  if (!is_number(a) || !is_number(b)) return false;
  if (a.is_float() && b.is_float()) {
    double x = a.as_float(), y = b.as_float();
    out = x < y ? -1 : x > y ? 1 : (x == y ? 0 : 2);  // 2: unordered (nan)
    return true;
  }
  if (a.is_float() || b.is_float()) {
    double d = a.is_float() ? a.as_float() : b.as_float();
    if (std::isnan(d)) { out = 2; return true; }
    const Value& iv = a.is_float() ? b : a;
    int c = compare_double(to_bigint(iv), d);
    out = a.is_float() ? -c : c;
    return true;
  }
  out = compare(to_bigint(a), to_bigint(b));
  return true;
}

// ---- the types' methods ----
namespace {

Value int_from_string(const std::string& s, int base, const Value& orig) {
  auto r = BigInt::parse(s, base);
  if (!r) {
    Value rp = repr(orig);
    if (rp.is_raised()) return rp;
    return raise(exc.ValueError, "invalid literal for int() with base " + std::to_string(base) + ": " + str_of(rp));
  }
  return make_int(std::move(*r));
}

Value float_to_int(double d) {
  if (std::isnan(d)) return raise(exc.ValueError, "cannot convert float NaN to integer");
  if (std::isinf(d)) return raise(exc.OverflowError, "cannot convert float infinity to integer");
  if (d > -9.2e18 && d < 9.2e18) return Value::integer((int64_t)d);
  return make_int(BigInt::from_double(d));
}

Value int_value(const Args& a) {
  if (a.npos == 1 && a.nkw() == 0) return Value::integer(0);
  const Value* x = arg_or_kw(a, 1, "x");
  const Value* base = arg_or_kw(a, 2, "base");
  if (!x) return Value::integer(0);
  if (base) {
    int64_t b;
    if (!index_of(*base, b)) return Value::raised();
    if (is_byteslike(*x)) return int_from_string(bytes_of(*x), (int)b, *x);
    if (!is_str(*x)) return raise(exc.TypeError, "int() can't convert non-string with explicit base");
    if (b != 0 && (b < 2 || b > 36)) return raise(exc.ValueError, "int() base must be >= 2 and <= 36, or 0");
    return int_from_string(str_of(*x), (int)b, *x);
  }
  if (x->is_int()) return *x;
  if (x->is_bool()) return Value::integer(x->as_int());
  if (is_bigint(*x)) return *x;
  if (x->is_float()) return float_to_int(x->as_float());
  if (is_str(*x)) return int_from_string(str_of(*x), 10, *x);
  if (is_byteslike(*x)) return int_from_string(bytes_of(*x), 10, *x);
  Value f;
  int r = getattr_opt(*x, intern("__int__"), f);
  if (r == 0) r = getattr_opt(*x, intern("__index__"), f);
  if (r < 0) return Value::raised();
  if (r == 1) return call(f, {});
  if (r == 0) {
    int t = getattr_opt(*x, intern("__trunc__"), f);
    if (t < 0) return Value::raised();
    if (t == 1) return call(f, {});
  }
  return raise(exc.TypeError, "int() argument must be a string, a bytes-like object or a real number, not '" +
                                  type_name(*x) + "'");
}

Value float_from_string(const Value& orig) {
  std::string s = str_of(orig);
  size_t b = s.find_first_not_of(" \t\n\r\f\v"), e = s.find_last_not_of(" \t\n\r\f\v");
  std::string t = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  std::string clean;
  for (size_t i = 0; i < t.size(); i++) {
    if (t[i] == '_' && i > 0 && i + 1 < t.size() && isdigit((unsigned char)t[i - 1]) && isdigit((unsigned char)t[i + 1])) continue;
    clean += t[i];
  }
  std::string low;
  for (char c : clean) low += (char)tolower((unsigned char)c);
  std::string body = low;
  double sign = 1;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) { sign = body[0] == '-' ? -1 : 1; body = body.substr(1); }
  if (body == "inf" || body == "infinity") return Value::real(sign * HUGE_VAL);
  if (body == "nan") return Value::real(std::copysign(NAN, sign));
  char* end = nullptr;
  double d = clean.empty() ? 0 : strtod(clean.c_str(), &end);
  bool ok = !clean.empty() && end && *end == 0 && body.find_first_of("x") == std::string::npos &&
            body.find("inf") == std::string::npos && body.find("nan") == std::string::npos;
  if (!ok) {
    Value rp = repr(orig);
    if (rp.is_raised()) return rp;
    return raise(exc.ValueError, "could not convert string to float: " + str_of(rp));
  }
  return Value::real(d);
}

Value float_value(const Args& a) {
  if (a.npos < 2) return Value::real(0.0);
  const Value& x = a[1];
  if (x.is_float()) return x;
  if (is_intlike(x)) {
    if (is_bigint(x)) {
      auto d = as<BigIntObj>(x)->v.to_double();
      if (!d) return raise_num(d.error());
      return Value::real(*d);
    }
    return Value::real((double)x.as_int());
  }
  if (is_str(x)) return float_from_string(x);
  Value f;
  int r = getattr_opt(x, intern("__float__"), f);
  if (r < 0) return Value::raised();
  if (r == 1) return call(f, {});
  r = getattr_opt(x, intern("__index__"), f);
  if (r < 0) return Value::raised();
  if (r == 1) {
    Value i = call(f, {});
    if (i.is_raised()) return i;
    return Value::real(to_double_unchecked(i));
  }
  return raise(exc.TypeError, "float() argument must be a string or a real number, not '" + type_name(x) + "'");
}

// int(...) and float(...) for a class statement's subclass: the plain value, boxed with a dict.
Value int_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  Value v = int_value(a);
  if (v.is_raised() || cls->is_native) return v;
  return Value::adopt(new WithDict<BigIntObj>(cls, to_bigint(v)));
}

Value float_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  Value v = float_value(a);
  if (v.is_raised() || cls->is_native) return v;
  return Value::adopt(new WithDict<FloatObj>(cls, v.as_float()));
}

// Natives registered on int and float see subclass instances as the plain values they hold.
template <NativeFn F>
Value unboxed(const Args& a) {
  size_t i = 0;
  while (i < a.npos && !is_num_box(a.pos[i])) i++;
  if (i == a.npos) return F(a);
  std::vector<Value> pos(a.pos, a.pos + a.npos);
  for (Value& v : pos) v = num_unbox(v);
  Args b = a;
  b.pos = pos.data();
  return F(b);
}

Value int_repr(const Value& v) {
  std::string s;
  int_to_decimal(v, s);
  return new_str(std::move(s));
}

Value num_repr(const Args& a) {
  const Value& v = a[0];
  if (v.is_bool()) return intern(v.as_bool() ? "True" : "False");
  if (v.is_float()) return new_str(float_repr(v.as_float()));
  return int_repr(v);
}

Value num_hash(const Args& a) {
  int64_t h;
  if (!hash_value(a[0], h)) return Value::raised();
  return Value::integer(h);
}

Value num_format(const Args& a) {
  if (!check_args(a, "__format__", 2, 2)) return Value::raised();
  if (!is_str(a[1])) return raise(exc.TypeError, "format spec must be a string");
  const std::string& spec_text = str_of(a[1]);
  const Value& v = a[0];
  if (spec_text.empty()) return to_str(v);
  tl::expected<std::string, NumError> r;
  if (v.is_float()) r = format_float(v.as_float(), spec_text);
  else r = format_int(to_bigint(v), spec_text, type_name(v));
  if (!r) return raise_num(r.error());
  return new_str(std::move(*r));
}

Value num_bool(const Args& a) {
  int t = truthy(a[0]);
  if (t < 0) return Value::raised();
  return Value::boolean(t);
}

Value bool_new(const Args& a) {
  if (a.npos < 2) return Value::boolean(false);
  int t = truthy(a[1]);
  if (t < 0) return Value::raised();
  return Value::boolean(t);
}

Value int_bit_length(const Args& a) {
  if (a[0].is_int() || a[0].is_bool()) return Value::integer(i64_bit_length(a[0].as_int()));
  return Value::integer((int64_t)as<BigIntObj>(a[0])->v.bit_length());
}

Value int_index(const Args& a) { return is_bigint(a[0]) ? a[0] : Value::integer(a[0].as_int()); }
Value num_float(const Args& a) { return Value::real(to_double_unchecked(a[0])); }
Value float_int(const Args& a) { return float_to_int(a[0].as_float()); }

Value float_is_integer(const Args& a) {
  double d = a[0].as_float();
  return Value::boolean(std::isfinite(d) && d == std::floor(d));
}

Value num_round(const Args& a) {
  const Value& v = a[0];
  const Value* nd = a.npos > 1 ? &a[1] : nullptr;
  if (nd && nd->is_none()) nd = nullptr;
  if (v.is_float()) {
    double d = v.as_float();
    if (!nd) {
      if (std::isnan(d)) return raise(exc.ValueError, "cannot convert float NaN to integer");
      if (std::isinf(d)) return raise(exc.OverflowError, "cannot convert float infinity to integer");
      return float_to_int(float_round_half_even(d));
    }
    int64_t n;
    if (!index_of(*nd, n)) return Value::raised();
    auto r = float_round(d, n);
    if (!r) return raise_num(r.error());
    return Value::real(*r);
  }
  if (!nd) return int_index(a);
  int64_t n;
  if (!index_of(*nd, n)) return Value::raised();
  if (n >= 0) return int_index(a);
  // Round to a multiple of 10**-n, half to even.
  BigInt p = pow(BigInt(10), (uint64_t)(-n));
  BigInt x = to_bigint(v);
  auto [q, r] = divmod(x, p);
  BigInt twice = r * BigInt(2);
  int c = compare(twice, p);
  if (c > 0 || (c == 0 && q.is_odd())) q = q + BigInt(1);
  return make_int(q * p);
}

Value num_trunc(const Args& a) {
  if (a[0].is_float()) return float_to_int(std::trunc(a[0].as_float()));
  return int_index(a);
}
Value num_floor(const Args& a) {
  if (a[0].is_float()) return float_to_int(std::floor(a[0].as_float()));
  return int_index(a);
}
Value num_ceil(const Args& a) {
  if (a[0].is_float()) return float_to_int(std::ceil(a[0].as_float()));
  return int_index(a);
}

Value num_self(const Args& a) { return a[0].is_bool() ? Value::integer(a[0].as_int()) : a[0]; }

Value float_as_ratio(const Args& a) {
  double d = a[0].as_float();
  if (std::isinf(d)) return raise(exc.OverflowError, "cannot convert Infinity to integer ratio");
  if (std::isnan(d)) return raise(exc.ValueError, "cannot convert NaN to integer ratio");
  int e;
  double m = std::frexp(d, &e);
  BigInt num = BigInt::from_double(std::ldexp(m, 53));
  e -= 53;
  BigInt den(1);
  if (e > 0) num = lshift(num, e);
  else den = lshift(den, -e);
  // Reduce by the power of two both share.
  while (!num.is_zero() && !num.is_odd() && compare(den, BigInt(1)) > 0) {
    num = rshift(num, 1);
    den = rshift(den, 1);
  }
  if (num.is_zero()) den = BigInt(1);
  return new_tuple({make_int(std::move(num)), make_int(std::move(den))});
}

// The byteorder argument of to_bytes/from_bytes: 'big' or 'little'.
bool byteorder_arg(const Value& v, bool& little) {
  if (!is_str(v)) {
    raise(exc.TypeError, "argument 'byteorder' must be str, not " + type_name(v));
    return false;
  }
  little = str_of(v) == "little";
  if (little || str_of(v) == "big") return true;
  raise(exc.ValueError, "byteorder must be either 'little' or 'big'");
  return false;
}

Value int_to_bytes(const Args& a) {
  const Value* len = arg_or_kw(a, 1, "length");
  const Value* order = arg_or_kw(a, 2, "byteorder");
  const Value* is_signed = arg_or_kw(a, 3, "signed");
  int64_t n = 1;
  if (len && !index_of(*len, n)) return Value::raised();
  if (n < 0) return raise(exc.ValueError, "length argument must be non-negative");
  bool little = false;
  if (order && !byteorder_arg(*order, little)) return Value::raised();
  int sgn = 0;
  if (is_signed && (sgn = truthy(*is_signed)) < 0) return Value::raised();
  BigInt v = to_bigint(a[0]);
  if (v.sign() < 0 && !sgn) return raise(exc.OverflowError, "can't convert negative int to unsigned");
  // Signed: the value must fit n*8-1 bits; a negative one is stored as its two's complement.
  uint64_t room = uint64_t(n) * 8 - (sgn ? 1 : 0);
  BigInt magnitude = v.sign() < 0 ? abs(v + BigInt(1)) : v;
  if (n == 0 ? !v.is_zero() : magnitude.bit_length() > room) return raise(exc.OverflowError, "int too big to convert");
  if (v.sign() < 0) v = v + lshift(BigInt(1), uint64_t(n) * 8);
  std::string out((size_t)n, '\0');
  for (int64_t i = 0; i < n; i++) {
    BigInt byte = bit_and(rshift(v, (uint64_t)(8 * i)), BigInt(255));
    out[little ? i : n - 1 - i] = (char)byte.to_int64();
  }
  return Value::adopt(new BytesObj(types.bytes, std::move(out)));
}

// int.from_bytes(bytes, byteorder='big', *, signed=False); a subclass gets cls(value).
Value int_from_bytes(const Args& a) {
  const Value* data = arg_or_kw(a, 1, "bytes");
  const Value* order = arg_or_kw(a, 2, "byteorder");
  const Value* is_signed = arg_or_kw(a, 3, "signed");
  if (!data) return raise(exc.TypeError, "from_bytes() missing required argument 'bytes' (pos 1)");
  std::string raw;
  if (is_byteslike(*data)) {
    raw = bytes_of(*data);
  } else {
    Value b = call(Value::borrow(types.bytes), {*data});
    if (b.is_raised()) return b;
    raw = bytes_of(b);
  }
  bool little = false;
  if (order && !byteorder_arg(*order, little)) return Value::raised();
  int sgn = 0;
  if (is_signed && (sgn = truthy(*is_signed)) < 0) return Value::raised();
  BigInt v;
  if (!raw.empty()) mpz_import(v.raw(), raw.size(), little ? -1 : 1, 1, 0, 0, raw.data());
  unsigned char top = raw.empty() ? 0 : (unsigned char)(little ? raw.back() : raw.front());
  if (sgn && (top & 0x80)) v = v - lshift(BigInt(1), uint64_t(raw.size()) * 8);
  Value r = make_int(std::move(v));
  if (as<Type>(a[0]) == types.int_) return r;
  return call(a[0], {r});
}

Value int_bit_count(const Args& a) {
  BigInt v = abs(to_bigint(a[0]));
  return Value::integer((int64_t)mpz_popcount(v.raw()));
}

Value int_as_ratio(const Args& a) { return new_tuple({int_index(a), Value::integer(1)}); }

// float.hex(): the exact value as 0x<digit>.<13 hex digits>p<exponent>, as CPython.
Value float_hex(const Args& a) {
  constexpr int kHexDigits = 13;  // 52 fraction bits
  double x = a[0].as_float();
  if (std::isnan(x) || std::isinf(x)) return new_str(float_repr(x));
  if (x == 0) return new_str(std::signbit(x) ? "-0x0.0p+0" : "0x0.0p+0");
  int e;
  double m = std::frexp(std::fabs(x), &e);
  int shift = 1 - std::max(DBL_MIN_EXP - e, 0);
  m = std::ldexp(m, shift);
  e -= shift;
  static const char* digits = "0123456789abcdef";
  std::string out = x < 0 ? "-0x" : "0x";
  out += digits[(int)m];
  m -= (int)m;
  out += '.';
  for (int i = 0; i < kHexDigits; i++) {
    m *= 16;
    out += digits[(int)m];
    m -= (int)m;
  }
  out += e < 0 ? "p-" : "p+";
  return new_str(out + std::to_string(std::abs(e)));
}

// float.fromhex(s): [sign][0x]digits[.digits][p exponent], or inf/nan; correctly rounded.
Value float_fromhex(const Args& a) {
  if (!check_args(a, "fromhex", 2, 2)) return Value::raised();
  if (!is_str(a[1])) return raise(exc.TypeError, "must be str, not " + type_name(a[1]));
  const std::string& text = str_of(a[1]);
  auto invalid = [] { return raise(exc.ValueError, "invalid hexadecimal floating-point string"); };
  size_t i = 0, n = text.size();
  auto skip_space = [&] { while (i < n && isspace((unsigned char)text[i])) i++; };
  skip_space();
  bool negative = i < n && text[i] == '-';
  if (i < n && (text[i] == '-' || text[i] == '+')) i++;
  std::string rest;
  for (size_t j = i; j < n && !isspace((unsigned char)text[j]); j++) rest += (char)tolower(text[j]);
  double special = 0;
  if (rest == "inf" || rest == "infinity") special = HUGE_VAL;
  else if (rest == "nan") special = NAN;
  if (special != 0 || rest == "nan") {
    i += rest.size();
    skip_space();
    if (i != n) return invalid();
    return Value::real(negative ? -special : special);
  }
  if (i + 1 < n && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) i += 2;
  BigInt mantissa;
  int64_t exp = 0, ndigits = 0;
  bool seen_point = false;
  for (; i < n; i++) {
    char c = text[i];
    if (c == '.' && !seen_point) { seen_point = true; continue; }
    if (!isxdigit((unsigned char)c)) break;
    int d = isdigit((unsigned char)c) ? c - '0' : tolower(c) - 'a' + 10;
    mantissa = lshift(mantissa, 4) + BigInt(d);
    ndigits++;
    if (seen_point) exp -= 4;
  }
  if (ndigits == 0) return invalid();
  if (i < n && (text[i] == 'p' || text[i] == 'P')) {
    i++;
    size_t start = i;
    if (i < n && (text[i] == '-' || text[i] == '+')) i++;
    if (i >= n || !isdigit((unsigned char)text[i])) return invalid();
    while (i < n && isdigit((unsigned char)text[i])) i++;
    exp += std::stoll(text.substr(start, std::min<size_t>(i - start, 18)));
  }
  skip_space();
  if (i != n) return invalid();
  tl::expected<double, NumError> d = exp >= 0 ? lshift(mantissa, (uint64_t)exp).to_double()
                                              : true_divide(mantissa, lshift(BigInt(1), (uint64_t)-exp));
  if (!d) return raise(exc.OverflowError, "hexadecimal value too large to represent as a float");
  Value r = Value::real(negative ? -*d : *d);
  if (as<Type>(a[0]) == types.float_) return r;
  return call(a[0], {r});
}

Value num_real(const Value& self) {
  Value v = num_unbox(self);
  return v.is_float() ? v : int_index(Args{&v, 1});
}
Value num_imag(const Value& self) { return num_unbox(self).is_float() ? Value::real(0) : Value::integer(0); }
Value int_denominator(const Value&) { return Value::integer(1); }

template <BinOpKind K>
Value dunder_op(const Args& a) {
  if (a.npos != 2) return raise(exc.TypeError, "expected 1 argument");
  return number_binop(K, a[0], a[1]);
}
template <BinOpKind K>
Value dunder_rop(const Args& a) {
  if (a.npos != 2) return raise(exc.TypeError, "expected 1 argument");
  return number_binop(K, a[1], a[0]);
}
template <UnaryOpKind K>
Value dunder_unary(const Args& a) { return number_unary(K, a[0]); }

template <CmpOp K>
Value dunder_cmp(const Args& a) {
  int c;
  if (a.npos != 2 || !number_compare(a[0], a[1], c)) return not_implemented();
  switch (K) {
    case CmpOp::Eq: return Value::boolean(c == 0);
    case CmpOp::NotEq: return Value::boolean(c != 0);
    case CmpOp::Lt: return Value::boolean(c == -1);
    case CmpOp::LtE: return Value::boolean(c == -1 || c == 0);
    case CmpOp::Gt: return Value::boolean(c == 1);
    default: return Value::boolean(c == 1 || c == 0);
  }
}

Value num_divmod(const Args& a) {
  bool float_math = a[0].is_float() || a[1].is_float();
  if (float_math && is_number(a[0]) && is_number(a[1]) && to_double_unchecked(a[1]) == 0)
    return raise(exc.ZeroDivisionError, "float divmod()");
  Value q = number_binop(BinOpKind::FloorDiv, a[0], a[1]);
  if (q.is_raised() || is_not_implemented(q)) return q;
  Value r = number_binop(BinOpKind::Mod, a[0], a[1]);
  if (r.is_raised()) return r;
  return new_tuple({q, r});
}

Value num_rdivmod(const Args& a) {
  if (a.npos != 2) return raise(exc.TypeError, "expected 1 argument");
  Value swapped[] = {a[1], a[0]};
  Args b;
  b.pos = swapped;
  b.npos = 2;
  return num_divmod(b);
}

Value num_abs(const Args& a) {
  const Value& v = a[0];
  if (v.is_float()) return Value::real(std::fabs(v.as_float()));
  if (v.is_int() || v.is_bool()) {
    if (v.as_int() >= 0) return Value::integer(v.as_int());
    return number_unary(UnaryOpKind::Neg, v);
  }
  return make_int(abs(as<BigIntObj>(v)->v));
}

void add_number_methods(Type* t) {
  add_method(t, "__repr__", unboxed<num_repr>);
  add_method(t, "__hash__", unboxed<num_hash>);
  add_method(t, "__format__", unboxed<num_format>);
  add_method(t, "__bool__", unboxed<num_bool>);
  add_method(t, "__float__", unboxed<num_float>);
  add_method(t, "__round__", unboxed<num_round>);
  add_method(t, "__trunc__", unboxed<num_trunc>);
  add_method(t, "__floor__", unboxed<num_floor>);
  add_method(t, "__ceil__", unboxed<num_ceil>);
  add_method(t, "__abs__", unboxed<num_abs>);
  add_method(t, "__divmod__", unboxed<num_divmod>);
  add_method(t, "__rdivmod__", unboxed<num_rdivmod>);
  add_method(t, "conjugate", unboxed<num_self>);
  add_getset(t, "real", num_real);
  add_getset(t, "imag", num_imag);
  add_method(t, "__add__", unboxed<dunder_op<BinOpKind::Add>>);
  add_method(t, "__radd__", unboxed<dunder_rop<BinOpKind::Add>>);
  add_method(t, "__sub__", unboxed<dunder_op<BinOpKind::Sub>>);
  add_method(t, "__rsub__", unboxed<dunder_rop<BinOpKind::Sub>>);
  add_method(t, "__mul__", unboxed<dunder_op<BinOpKind::Mult>>);
  add_method(t, "__rmul__", unboxed<dunder_rop<BinOpKind::Mult>>);
  add_method(t, "__truediv__", unboxed<dunder_op<BinOpKind::Div>>);
  add_method(t, "__rtruediv__", unboxed<dunder_rop<BinOpKind::Div>>);
  add_method(t, "__floordiv__", unboxed<dunder_op<BinOpKind::FloorDiv>>);
  add_method(t, "__rfloordiv__", unboxed<dunder_rop<BinOpKind::FloorDiv>>);
  add_method(t, "__mod__", unboxed<dunder_op<BinOpKind::Mod>>);
  add_method(t, "__rmod__", unboxed<dunder_rop<BinOpKind::Mod>>);
  add_method(t, "__pow__", unboxed<dunder_op<BinOpKind::Pow>>);
  add_method(t, "__rpow__", unboxed<dunder_rop<BinOpKind::Pow>>);
  add_method(t, "__neg__", unboxed<dunder_unary<UnaryOpKind::Neg>>);
  add_method(t, "__pos__", unboxed<dunder_unary<UnaryOpKind::Pos>>);
  add_method(t, "__eq__", unboxed<dunder_cmp<CmpOp::Eq>>);
  add_method(t, "__ne__", unboxed<dunder_cmp<CmpOp::NotEq>>);
  add_method(t, "__lt__", unboxed<dunder_cmp<CmpOp::Lt>>);
  add_method(t, "__le__", unboxed<dunder_cmp<CmpOp::LtE>>);
  add_method(t, "__gt__", unboxed<dunder_cmp<CmpOp::Gt>>);
  add_method(t, "__ge__", unboxed<dunder_cmp<CmpOp::GtE>>);
}

void add_int_only_methods(Type* t) {
  add_method(t, "__index__", unboxed<int_index>);
  add_method(t, "__int__", unboxed<int_index>);
  add_method(t, "bit_length", unboxed<int_bit_length>);
  add_method(t, "to_bytes", unboxed<int_to_bytes>);
  add_method(t, "bit_count", unboxed<int_bit_count>);
  add_method(t, "as_integer_ratio", unboxed<int_as_ratio>);
  add_classmethod(t, "from_bytes", int_from_bytes);
  add_getset(t, "numerator", num_real);
  add_getset(t, "denominator", int_denominator);
  add_method(t, "__lshift__", unboxed<dunder_op<BinOpKind::LShift>>);
  add_method(t, "__rshift__", unboxed<dunder_op<BinOpKind::RShift>>);
  add_method(t, "__and__", unboxed<dunder_op<BinOpKind::BitAnd>>);
  add_method(t, "__rand__", unboxed<dunder_rop<BinOpKind::BitAnd>>);
  add_method(t, "__or__", unboxed<dunder_op<BinOpKind::BitOr>>);
  add_method(t, "__ror__", unboxed<dunder_rop<BinOpKind::BitOr>>);
  add_method(t, "__xor__", unboxed<dunder_op<BinOpKind::BitXor>>);
  add_method(t, "__rxor__", unboxed<dunder_rop<BinOpKind::BitXor>>);
  add_method(t, "__invert__", unboxed<dunder_unary<UnaryOpKind::Invert>>);
}

}  // namespace

void init_number_types() {
  add_number_methods(types.int_);
  add_int_only_methods(types.int_);
  add_method(types.int_, "__new__", int_new);
  add_method(types.boolean, "__new__", bool_new);
  add_method(types.boolean, "__repr__", unboxed<num_repr>);
  add_number_methods(types.float_);
  add_method(types.float_, "__new__", float_new);
  add_method(types.float_, "__int__", unboxed<float_int>);
  add_method(types.float_, "is_integer", unboxed<float_is_integer>);
  add_method(types.float_, "as_integer_ratio", unboxed<float_as_ratio>);
  add_method(types.float_, "hex", unboxed<float_hex>);
  add_classmethod(types.float_, "fromhex", float_fromhex);
  init_complex_type();
}

}  // namespace aio
