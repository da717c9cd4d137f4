// Arithmetic and comparison on small ints and floats without a call, for the evaluator's hot
// paths. Each returns false when the general protocol must decide (other types, int64 overflow,
// division by zero, ops whose result needs a big int): the caller then calls binary_op/compare.
#pragma once
#include <cstdint>

#include "interp/ast.h"
#include "interp/value.h"

namespace aio {

namespace fast {

// Python's floor division and modulo; y is neither 0 nor -1 (INT64_MIN / -1 overflows).
inline int64_t floor_div(int64_t x, int64_t y) { return x / y - ((x % y != 0) && ((x ^ y) < 0)); }
inline int64_t floor_mod(int64_t x, int64_t y) {
  int64_t m = x % y;
  return (m != 0 && ((m ^ y) < 0)) ? m + y : m;
}

inline bool int_binop(BinOpKind op, int64_t x, int64_t y, Value& out) {
  constexpr int kIntBits = 64;
  int64_t z;
  switch (op) {
    case BinOpKind::Add: if (__builtin_add_overflow(x, y, &z)) return false; break;
    case BinOpKind::Sub: if (__builtin_sub_overflow(x, y, &z)) return false; break;
    case BinOpKind::Mult: if (__builtin_mul_overflow(x, y, &z)) return false; break;
    case BinOpKind::FloorDiv:
      if (y == 0 || y == -1) return false;
      z = floor_div(x, y);
      break;
    case BinOpKind::Mod:
      if (y == 0 || y == -1) return false;
      z = floor_mod(x, y);
      break;
    case BinOpKind::BitAnd: z = x & y; break;
    case BinOpKind::BitOr: z = x | y; break;
    case BinOpKind::BitXor: z = x ^ y; break;
    case BinOpKind::LShift:
      if (y < 0 || y >= kIntBits - 1) return false;
      z = int64_t(uint64_t(x) << y);
      if ((z >> y) != x) return false;  // bits lost: a big int
      break;
    case BinOpKind::RShift:
      if (y < 0) return false;
      z = y >= kIntBits ? (x < 0 ? -1 : 0) : x >> y;
      break;
    default: return false;
  }
  out = Value::integer(z);
  return true;
}

inline bool float_binop(BinOpKind op, double x, double y, Value& out) {
  switch (op) {
    case BinOpKind::Add: out = Value::real(x + y); return true;
    case BinOpKind::Sub: out = Value::real(x - y); return true;
    case BinOpKind::Mult: out = Value::real(x * y); return true;
    case BinOpKind::Div:
      if (y == 0) return false;
      out = Value::real(x / y);
      return true;
    default: return false;
  }
}

// An int64 or float operand as a double (int64 to double rounds to nearest, as CPython does).
inline double as_double(const Value& v) { return v.is_float() ? v.as_float() : double(v.as_int()); }

}  // namespace fast

inline bool fast_binop(BinOpKind op, const Value& l, const Value& r, Value& out) {
  if (l.is_int() && r.is_int()) {
    int64_t z;  // + and -, the most common, without a call
    if (op == BinOpKind::Add && !__builtin_add_overflow(l.as_int(), r.as_int(), &z)) {
      out = Value::integer(z);
      return true;
    }
    if (op == BinOpKind::Sub && !__builtin_sub_overflow(l.as_int(), r.as_int(), &z)) {
      out = Value::integer(z);
      return true;
    }
    return fast::int_binop(op, l.as_int(), r.as_int(), out);
  }
  bool numbers = (l.is_float() || l.is_int()) && (r.is_float() || r.is_int());
  return numbers && fast::float_binop(op, fast::as_double(l), fast::as_double(r), out);
}

// Ordering and equality of two small ints or two floats (mixed int/float compares exactly in ops).
inline bool fast_compare(CmpOp op, const Value& l, const Value& r, bool& out) {
  double x, y;
  if (l.is_int() && r.is_int()) {
    int64_t a = l.as_int(), b = r.as_int();
    switch (op) {
      case CmpOp::Lt: out = a < b; return true;
      case CmpOp::LtE: out = a <= b; return true;
      case CmpOp::Gt: out = a > b; return true;
      case CmpOp::GtE: out = a >= b; return true;
      case CmpOp::Eq: out = a == b; return true;
      case CmpOp::NotEq: out = a != b; return true;
      default: return false;
    }
  }
  if (!l.is_float() || !r.is_float()) return false;
  x = l.as_float();
  y = r.as_float();
  switch (op) {
    case CmpOp::Lt: out = x < y; return true;
    case CmpOp::LtE: out = x <= y; return true;
    case CmpOp::Gt: out = x > y; return true;
    case CmpOp::GtE: out = x >= y; return true;
    case CmpOp::Eq: out = x == y; return true;
    case CmpOp::NotEq: out = x != y; return true;
    default: return false;
  }
}

}  // namespace aio
