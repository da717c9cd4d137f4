// int beyond int64: a heap BigInt. Small ints stay immediate; results are normalized back.
#pragma once
#include "interp/ast.h"
#include "interp/bigint.h"
#include "interp/object.h"

namespace aio {

struct BigIntObj : Object {
  BigInt v;
  explicit BigIntObj(BigInt&& b);
};

// What an instance of a user subclass of float holds (int subclasses hold a BigIntObj).
struct FloatObj : Object {
  double v;
  explicit FloatObj(double d);
};

// Instances of user subclasses of int or float, and the plain number such an instance holds
// (other values come back unchanged).
bool is_num_box(const Value& v);
Value num_unbox(const Value& v);

// An int Value from a BigInt: immediate when it fits in int64.
Value make_int(BigInt&& b);
inline bool is_bigint(const Value& v) { return v.is_obj() && v.obj()->type == types.int_; }
// int, bool or big int (not a subclass instance).
inline bool is_intlike(const Value& v) { return v.is_int() || v.is_bool() || is_bigint(v); }
BigInt to_bigint(const Value& v);  // v must be intlike
// Raises the NumError as the matching Python exception.
Value raise_num(const NumError& e);
bool int_to_decimal(const Value& v, std::string& out);

// Arithmetic on numbers (int, bool, big int, float); NotImplemented for other types.
Value number_binop(BinOpKind op, const Value& a, const Value& b);
Value number_unary(UnaryOpKind op, const Value& v);
// <0, 0, >0 for two numbers; false when either is not a number.
bool number_compare(const Value& a, const Value& b, int& out);
bool is_number(const Value& v);
double to_double_unchecked(const Value& v);  // v is a number

void init_number_types();

}  // namespace aio
