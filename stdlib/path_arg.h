// File-system path arguments as os and os.path take them: str or an os.PathLike.
#pragma once
#include <string>

#include "interp/object.h"

namespace aio {

// The path text of v (str, or the str its __fspath__ returns); false with TypeError raised.
bool path_arg(const Value& v, std::string& out);

}  // namespace aio
