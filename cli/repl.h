// The interactive prompt: one event loop lives as long as the session, so tasks started at one
// prompt keep running while the next line is typed, and `await` works at the top level.
#pragma once
#include "interp/interp.h"

namespace aio {

struct ReplOptions {
  bool banner = true;
};

// Reads, compiles and runs inputs in __main__ until end of input or SystemExit; returns the
// exit status. On a terminal: line editing, history in ~/.aio_history, Tab completion.
int run_repl(Interp& interp, const ReplOptions& options);

}  // namespace aio
