// Tab completion for the REPL: keywords, names in scope and attributes (`asyncio.ga` ->
// `asyncio.gather`). Runs on the input thread, taking the interpreter lock while it looks.
#pragma once
#include <string>

#include "cli/line_editor.h"
#include "interp/object.h"

namespace aio::cli {

// Completes the last word of `before_cursor` against the names of `globals` (a dict) and builtins.
Completions complete_names(const Value& globals, const std::string& before_cursor);

}  // namespace aio::cli
