// Helpers for native iterator types (builtins' enumerate/zip/..., itertools, collections).
#pragma once
#include "interp/object.h"

namespace aio {

// Raises StopIteration and returns the raised status.
Value stop_iteration();
// next(it) as a __next__ result: the item, or StopIteration at exhaustion.
Value next_or_stop(const Value& it);
// __iter__ of an iterator: itself.
Value iter_self(const Args& a);
// A type whose __new__ builds the iterator and whose __next__ advances it.
Type* new_iter_type(const char* name, NativeFn make, NativeFn next, const char* module = "builtins");

}  // namespace aio
