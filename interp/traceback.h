// Traceback objects (e.__traceback__): one per frame the exception passed, outermost first,
// linked by tb_next; made from the exception's recorded trace when asked for.
#pragma once
#include "interp/object.h"

namespace aio {

// The chain for exception e, or None when it has not passed through any frame.
Value traceback_of(const Value& e);

}  // namespace aio
