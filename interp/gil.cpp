// The global interpreter lock, handed over in FIFO order so that no waiting thread starves.
#include "interp/gil.h"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <new>

#include "interp/interp.h"
#include "interp/interrupt.h"
#include "interp/object.h"

namespace aio {

namespace {

// A ticket lock: threads are served in the order they asked.
std::mutex mu;
std::condition_variable turn;
uint64_t next_ticket = 0;
uint64_t serving = 0;

// How long a waiting thread lets the running one go on before asking it to switch.
constexpr std::chrono::milliseconds kSwitchInterval{5};

// Native stack a script thread may use before RecursionError (pool threads have 8 MB).
constexpr uintptr_t kScriptThreadStack = uintptr_t(6) << 20;

// fork() copies only the calling thread, which holds the lock: the child must neither find `mu`
// held by a thread it lacks nor wait for the tickets such threads took.
void before_fork() { mu.lock(); }
void after_fork_in_parent() { mu.unlock(); }
void after_fork_in_child() {
  new (&mu) std::mutex;
  new (&turn) std::condition_variable;
  next_ticket = serving + 1;
  gil_drop_request.store(false, std::memory_order_relaxed);
}
const int fork_hooks_installed = pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);

}  // namespace

std::atomic<bool> gil_drop_request{false};

void gil_acquire() {
  std::unique_lock<std::mutex> lock(mu);
  uint64_t ticket = next_ticket++;
  while (!turn.wait_for(lock, kSwitchInterval, [ticket] { return serving == ticket; }))
    gil_drop_request.store(true, std::memory_order_relaxed);
  // Another thread may have cleared the request an interrupt raised: see it at the next check.
  if (interrupt_pending() && interrupt_thread()) gil_drop_request.store(true, std::memory_order_relaxed);
}

bool gil_yield(bool interruptible) {
  gil_drop_request.store(false, std::memory_order_relaxed);
  gil_release();  // the ticket order puts every waiter ahead of our next turn
  gil_acquire();  // re-arms the request while an interrupt is pending on the main thread
  return !interruptible || interrupt_check();
}

void gil_release() {
  {
    std::lock_guard<std::mutex> lock(mu);
    serving++;
  }
  turn.notify_all();
}

namespace {
thread_local ThreadState script_thread_state;
}

ScriptThread::ScriptThread() {
  gil_acquire();
  if (!script_thread_state.interp) {
    // The interpreter is shared: borrow it from whichever thread set it up (it never goes away).
    script_thread_state.interp = main_interp();
    char here;
    script_thread_state.stack_limit = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(&here) - kScriptThreadStack);
  }
  tstate = &script_thread_state;
}

ScriptThread::~ScriptThread() {
  tstate = nullptr;
  gil_release();
}

}  // namespace aio
