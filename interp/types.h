// Making the built-in types at start-up.
#pragma once
#include "interp/object.h"

namespace aio {

void init_types();
Value ellipsis();
void init_seq_iterator_type();

}  // namespace aio
