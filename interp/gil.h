// The global interpreter lock: one OS thread at a time runs script code, so reference counts
// and objects need no atomics. Threads that block (the event loop's wait, time.sleep, lock
// waits, joins) let go of it for the duration.
#pragma once

namespace aio {

void gil_acquire();
void gil_release();

// Holds the lock released for a scope: wrap blocking native calls in it.
struct GilReleased {
  GilReleased() { gil_release(); }
  ~GilReleased() { gil_acquire(); }
  GilReleased(const GilReleased&) = delete;
  GilReleased& operator=(const GilReleased&) = delete;
};

// A thread that was not started by the interpreter (a pool worker) and now runs script code:
// takes the lock and gives the thread its own ThreadState for the scope.
struct ScriptThread {
  ScriptThread();
  ~ScriptThread();
  ScriptThread(const ScriptThread&) = delete;
  ScriptThread& operator=(const ScriptThread&) = delete;
};

}  // namespace aio
