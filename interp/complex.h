// complex: a pair of doubles with CPython's arithmetic (Smith's division, integer powers by
// repeated squaring), repr, hash and string parsing.
#pragma once
#include "interp/object.h"

namespace aio {

struct Complex {
  double re = 0, im = 0;
};

struct ComplexObj : Object {
  Complex v;
  ComplexObj(Type* t, Complex c) : Object(t), v(c) {}
};

Value new_complex(Complex c);
inline bool is_complex(const Value& v) { return v.is_obj() && isinstance(v, types.complex); }
// a ** b as complex; raises ZeroDivisionError/OverflowError as CPython's complex_pow. Float's
// ** hands negative bases with fractional exponents here.
Value complex_power(Complex a, Complex b);

void init_complex_type();

}  // namespace aio
