// The global interpreter lock: one OS thread at a time runs script code, so reference counts
// and objects need no atomics. Threads that block (the event loop's wait, time.sleep, lock
// waits, joins) let go of it for the duration. A thread that forks holding it leaves a child in
// which it is the only thread, still holding the lock.
#pragma once
#include <atomic>

namespace aio {

void gil_acquire();
void gil_release();

// Set by a thread that has waited a switch interval for the lock (CPython's
// sys.getswitchinterval, 5 ms), and by Ctrl-C (interp/interrupt.h). The running thread checks
// it at loop back-edges and calls: it hands the lock over, and on the main thread acts on a
// pending interrupt unless told the point cannot take one (it stays pending for the next).
// False when that raised (KeyboardInterrupt): the caller unwinds.
extern std::atomic<bool> gil_drop_request;
bool gil_yield(bool interruptible);
[[nodiscard]] inline bool gil_check(bool interruptible = true) {
  if (gil_drop_request.load(std::memory_order_relaxed)) [[unlikely]] return gil_yield(interruptible);
  return true;
}

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
