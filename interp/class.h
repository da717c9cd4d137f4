// The class statement and the pieces of the type system written in C++.
#pragma once
#include "interp/ast.h"
#include "interp/function.h"

namespace aio {

Value build_class(ClassDef* c, Frame* f);
bool compute_mro(Type* t);
// Attribute lookup on a super() object: 1 found, 0 missing, -1 raised.
int super_getattr(const Value& super_obj, const Value& name, Value& out);
void init_class_types();

}  // namespace aio
