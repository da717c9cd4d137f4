// The builtins module: functions (print, len, sorted, ...) and the names of the built-in types.
#pragma once
#include "interp/object.h"
#include "stdlib/std_streams.h"

namespace aio {

// Fills the builtins module with the builtin functions and constants.
void init_builtins(const Value& module);
// Binds the built-in types and every exception type by name (int, list, ValueError, ...).
void bind_builtin_types(const Value& module);
// enumerate, zip, map, filter, reversed and iter's iterator types (builtins_iter.cpp).
void init_builtin_iterators(const Value& module);
// locals(): a function's locals as a fresh dict; a module or class body's namespace itself.
Value current_locals();
// compile, exec and eval (builtins_exec.cpp).
void init_exec_builtins(const Value& module);

}  // namespace aio
