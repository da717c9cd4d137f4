// _thread: OS threads that run script functions under the global interpreter lock, and the
// plain lock everything in threading.aio and concurrent.futures is built from.
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/interp.h"
#include "interp/interrupt.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

// Longest wait a lock accepts, in seconds (CPython's TIMEOUT_MAX on Linux is about this).
constexpr double kTimeoutMax = 9223372036.0;
constexpr double kInterruptPoll = 0.02;  // seconds

// A lock any thread may release (std::mutex may only be unlocked by its owner).
struct LockObj : Object {
  std::mutex mu;
  std::condition_variable freed;
  bool held = false;
  explicit LockObj(Type* t) : Object(t) {}
};

Type* lock_type() {
  static Type* t = [] {
    auto* lt = new Type("lock", types.object);
    lt->module = "_thread";
    return lt;
  }();
  return t;
}

LockObj* self_lock(const Args& a) { return as<LockObj>(a[0]); }

enum class Wait { Acquired, TimedOut, Interrupted };

// Waits up to `timeout` seconds (negative: forever) with the interpreter lock released. On the
// main thread it looks for Ctrl-C every kInterruptPoll: a condition variable cannot be woken
// from a signal handler.
Wait wait_free(LockObj* l, double timeout) {
  using Clock = std::chrono::steady_clock;
  bool watch = interrupt_thread();
  auto start = Clock::now();
  GilReleased others_run;
  std::unique_lock<std::mutex> g(l->mu);
  while (l->held) {
    if (watch && interrupt_pending()) return Wait::Interrupted;
    double left = timeout < 0 ? -1 : timeout - std::chrono::duration<double>(Clock::now() - start).count();
    if (timeout >= 0 && left <= 0) return Wait::TimedOut;
    if (watch && (left < 0 || left > kInterruptPoll)) left = kInterruptPoll;
    if (left < 0) l->freed.wait(g);
    else l->freed.wait_for(g, std::chrono::duration<double>(left));
  }
  l->held = true;
  return Wait::Acquired;
}

// As CPython's: Ctrl-C interrupts a lock wait on the main thread (a join, an Event.wait).
Value lock_wait(LockObj* l, double timeout) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  for (;;) {
    double left = timeout < 0 ? -1 : std::max(0.0, timeout - std::chrono::duration<double>(Clock::now() - start).count());
    Wait w = wait_free(l, left);
    if (w != Wait::Interrupted) return Value::boolean(w == Wait::Acquired);
    if (!interrupt_check()) return Value::raised();
  }
}

Value lock_acquire(const Args& a) {
  LockObj* l = self_lock(a);
  const Value* bv = arg_or_kw(a, 1, "blocking");
  const Value* tv = arg_or_kw(a, 2, "timeout");
  int blocking = bv ? truthy(*bv) : 1;
  if (blocking < 0) return Value::raised();
  double timeout = -1;
  if (tv && !tv->is_none()) {
    if (tv->is_int()) timeout = (double)tv->as_int();
    else if (tv->is_float()) timeout = tv->as_float();
    else return raise(exc.TypeError, "timeout value must be a number");
  }
  if (!blocking && timeout != -1) return raise(exc.ValueError, "can't specify a timeout for a non-blocking call");
  if (timeout < 0 && timeout != -1) return raise(exc.ValueError, "timeout value must be a non-negative number");
  {
    std::lock_guard<std::mutex> g(l->mu);
    if (!l->held) {
      l->held = true;
      return Value::boolean(true);
    }
  }
  if (!blocking) return Value::boolean(false);
  return lock_wait(l, timeout);
}

Value lock_release(const Args& a) {
  LockObj* l = self_lock(a);
  {
    std::lock_guard<std::mutex> g(l->mu);
    if (!l->held) return raise(exc.RuntimeError, "release unlocked lock");
    l->held = false;
  }
  l->freed.notify_one();
  return Value();
}

Value lock_locked(const Args& a) {
  LockObj* l = self_lock(a);
  std::lock_guard<std::mutex> g(l->mu);
  return Value::boolean(l->held);
}

Value lock_exit(const Args& a) { return lock_release(Args{a.pos, 1}); }

Value lock_repr(const Args& a) {
  char buf[80];
  snprintf(buf, sizeof buf, "<%s _thread.lock object at 0x%012lx>", self_lock(a)->held ? "locked" : "unlocked",
           (unsigned long)(uintptr_t)a[0].obj());
  return new_str(buf);
}

Value allocate_lock(const Args&) { return Value::adopt(new LockObj(lock_type())); }
Value lock_new(const Args&) { return allocate_lock({}); }

int64_t thread_ident() { return (int64_t)(uint64_t)pthread_self(); }

Value get_ident(const Args&) { return Value::integer(thread_ident()); }

// The body of a thread made by start_new_thread: run the function, report what escapes it.
void thread_main(Value fn, Value args, Value kwargs) {
  ScriptThread running;
  Value r = call(fn, SpreadArgs(args, kwargs).args());
  if (r.is_raised()) {
    Value e = take_exception();
    if (!isinstance(e, exc.SystemExit)) {
      fflush(stdout);
      fputs(("Unhandled exception in thread started by " + exception_message(fn) + "\n" + format_exception(e)).c_str(),
            stderr);
    }
  }
  fn = args = kwargs = Value();
}

Value start_new_thread(const Args& a) {
  if (!check_args(a, "start_new_thread", 2, 3)) return Value::raised();
  if (!is_exact(a[1], types.tuple)) return raise(exc.TypeError, "2nd arg must be a tuple");
  Value kwargs = a.npos > 2 ? a[2] : Value();
  std::thread th(thread_main, a[0], a[1], kwargs);
  int64_t id = (int64_t)(uint64_t)th.native_handle();
  th.detach();
  return Value::integer(id);
}

}  // namespace

void init_thread(const Value& module) {
  Type* t = lock_type();
  if (!type_lookup(t, intern("acquire"))) {
    add_method(t, "__new__", lock_new);
    add_method(t, "acquire", lock_acquire);
    add_method(t, "acquire_lock", lock_acquire);
    add_method(t, "__enter__", lock_acquire);
    add_method(t, "release", lock_release);
    add_method(t, "release_lock", lock_release);
    add_method(t, "__exit__", lock_exit);
    add_method(t, "locked", lock_locked);
    add_method(t, "__repr__", lock_repr);
  }
  DictObj* d = module_dict(module);
  dict_set_str(d, intern("LockType"), Value::borrow(t));
  dict_set_str(d, intern("TIMEOUT_MAX"), Value::real(kTimeoutMax));
  add_function(module, "allocate_lock", allocate_lock);
  add_function(module, "get_ident", get_ident);
  add_function(module, "start_new_thread", start_new_thread);
}

}  // namespace aio
