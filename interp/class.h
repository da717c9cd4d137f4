// The class statement and the pieces of the type system written in C++.
#pragma once
#include "interp/ast.h"
#include "interp/function.h"

namespace aio {

// The class statement (metaclass.cpp): namespace from __prepare__, body, then the metaclass call.
Value build_class(ClassDef* c, Frame* f);
// Calling a class whose metaclass is not `type`: the metaclass's __call__ decides.
Value metaclass_call(Type* cls, const Args& args);
// A class body's namespace is a dict or, from a metaclass's __prepare__, a dict subclass whose
// __setitem__/__getitem__/__delitem__ see the body's names. Load and delete: 1 found, 0 missing,
// -1 raised.
bool class_ns_store(DictObj* ns, const Value& name, const Value& v);
int class_ns_load(DictObj* ns, const Value& name, Value& out);
int class_ns_delete(DictObj* ns, const Value& name);
// Adds type.__new__, __init__, __call__, __setattr__ and __prepare__ (metaclass.cpp).
void init_type_creation();

bool compute_mro(Type* t);
Object* instance_alloc(Type* t);
// Attribute lookup on a super() object: 1 found, 0 missing, -1 raised.
int super_getattr(const Value& super_obj, const Value& name, Value& out);
void init_class_types();

}  // namespace aio
