// Process-wide signal routing. A handler installed here records that the signal arrived and
// writes to the eventfd of the loop that asked for it (the self-pipe trick with an eventfd).
// We do not use signalfd: it only works if the signal is blocked in every thread, and a thread
// we do not control (a REPL reader, a library's helper) would then take the signal's default
// action and could kill the process. A plain handler works whichever thread the kernel picks.
#pragma once
#include <cstdint>

namespace aio::rt {

bool signal_is_valid(int sig);

// Installs the routing handler for sig (with SA_RESTART), waking wake_fd on arrival.
// Returns 0 or an errno value. The previous disposition is kept for signal_restore; if it was a
// plain handler, ours calls it too (the interpreter's Ctrl-C flag stays in the know).
int signal_install(int sig, int wake_fd);

// Puts back the disposition that signal_install replaced.
void signal_restore(int sig);

// True once for each batch of arrivals of sig since the last call.
bool signal_take(int sig);

// Changes whenever any routed signal arrives: a loop compares it to skip scanning.
uint32_t signal_epoch();

}  // namespace aio::rt
