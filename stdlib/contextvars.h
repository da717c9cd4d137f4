// contextvars: context variables and the per-thread current Context that asyncio Tasks switch.
#pragma once
#include "interp/object.h"

namespace aio {

// False until the first ContextVar is made: before that every context is empty.
bool context_vars_exist();
// A new empty Context.
Value context_new();
// A new Context holding the same variables as the current one (copy_context()).
Value context_copy();
// Makes ctx (a Context) current and returns the one it replaces: pass that back to restore it.
// None keeps the current context (and returns it). Unlike Context.run, it neither checks nor
// marks ctx as entered.
Value context_enter(const Value& ctx);

}  // namespace aio
