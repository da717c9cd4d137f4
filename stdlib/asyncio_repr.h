// How asyncio objects describe themselves: Future/Task/Handle reprs as CPython prints them.
#pragma once
#include <string>
#include <vector>

#include "stdlib/asyncio.h"

namespace aio {

// "print()" for a builtin, "<lambda>() at demo.aio:5" for a script function, with the args' reprs.
bool callback_repr(const Value& fn, const std::vector<Value>& args, std::string& out);
// "main() running at demo.aio:4" or "main() done, defined at demo.aio:3".
std::string coroutine_repr(const Value& coro);
// The words between "<Future " and ">": state, result or exception, callbacks.
bool future_repr_info(FutureObj* f, std::string& out);

}  // namespace aio
