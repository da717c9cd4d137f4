// Values as bytes, for results that cross a process boundary (what pickle does for CPython's
// ProcessPoolExecutor). Covers None, bool, int, float, str, bytes, bytearray, range, Ellipsis,
// NotImplemented, tuple, list, dict, set, frozenset, exceptions, module-level classes and
// functions (by name), instances of plain script classes (class by name plus __dict__), and
// instances of script subclasses of builtins (namedtuple, Counter: made again by their class).
// Shared references and cycles through mutable containers survive the trip.
#pragma once
#include <string>
#include <string_view>

#include "interp/object.h"

namespace aio {

// Appends v's encoding to out; false with an exception raised (TypeError "cannot pickle 'X'
// object", as pickle words it) when v holds something that cannot cross.
bool serialize(const Value& v, std::string& out);
// Rebuilds a value from serialize's output: classes and functions are looked up by name again.
Value deserialize(std::string_view data);
// The module (imported if need be), then each dotted part of qualname: how classes and
// functions are found again by name.
Value lookup_global(const std::string& module, const std::string& qualname);

}  // namespace aio
