// asyncio's native core: the event loop object over runtime/, Future, Task, Handle and sleep.
// Everything above them (Queue, Lock, wait_for, TaskGroup, ...) is written in aio itself in
// stdlib/lib/asyncio.aio, which imports this core as the module `_asyncio`.
#pragma once
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "interp/exception.h"
#include "interp/object.h"
#include "interp/pool.h"
#include "runtime/loop.h"

namespace aio {

struct GenObj;
struct TaskObj;

// ---- the event loop ----
constexpr double kSlowCallbackSeconds = 0.1;  // asyncio's default slow_callback_duration

struct LoopObj : Object {
  std::unique_ptr<rt::Loop> loop;
  Value exception_handler;  // None: the default handler
  Value default_executor;
  Value task_factory;
  TaskObj* current_task = nullptr;  // the task whose step is running
  double slow_callback_duration = kSlowCallbackSeconds;  // debug mode reports slower callbacks
  Value until;                      // the future run_until_complete waits for (Ctrl-C cancels it)
  bool debug = false;
  bool closed = false;
  explicit LoopObj(Type* t);
  ~LoopObj() override;
};

// ---- compact fields ----
// An owning reference to an object (8 bytes where a Value takes 16), for fields that never hold
// an immediate value; null reads as None.
template <class T = Object>
class Ref {
 public:
  Ref() = default;
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  ~Ref() { reset(); }
  T* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  Value value() const { return p_ ? Value::borrow(p_) : Value(); }
  void set(T* p) {
    if (p) incref(p);
    if (T* old = std::exchange(p_, p)) decref(old);  // after the swap: its destructor may look here
  }
  void reset() { set(nullptr); }

 private:
  T* p_ = nullptr;
};

// A future's done-callbacks, in the order added. Nearly every future gets one (the task awaiting
// it), held inline; a vector is made only for a second one or for a callback that is not an
// object.
class CallbackList {
 public:
  CallbackList() = default;
  CallbackList(const CallbackList&) = delete;
  CallbackList& operator=(const CallbackList&) = delete;
  ~CallbackList() { clear(); }
  size_t size() const;
  Value operator[](size_t i) const;
  void push(Value fn);
  void erase(size_t i);
  void clear();
  // Empties the list, then calls f(callback) for each one it held, in order.
  template <class F>
  void drain(F&& f);

 private:
  static constexpr uintptr_t kMany = 1;  // tag bit: bits_ points to a std::vector<Value>
  std::vector<Value>* many() const { return reinterpret_cast<std::vector<Value>*>(bits_ & ~kMany); }
  Object* one() const { return reinterpret_cast<Object*>(bits_); }
  bool is_many() const { return bits_ & kMany; }
  uintptr_t bits_ = 0;  // 0, one owned Object*, or a std::vector<Value>* tagged kMany
};

template <class F>
void CallbackList::drain(F&& f) {
  uintptr_t bits = std::exchange(bits_, 0);
  if (!bits) return;
  if (bits & kMany) {
    std::unique_ptr<std::vector<Value>> cbs(reinterpret_cast<std::vector<Value>*>(bits & ~kMany));
    for (const Value& cb : *cbs) f(cb);
    return;
  }
  f(Value::adopt(reinterpret_cast<Object*>(bits)));
}

// ---- futures ----
enum class FutState : uint8_t { Pending, Cancelled, Finished };

struct FutureObj : Object, Pooled<FutureObj> {
  Ref<> loop;  // the event loop it belongs to (a LoopObj, or whatever Future(loop=) was given)
  // The result; the exception when `failed`; the cancel message while cancelling or cancelled
  // (for a Task cancelled from inside, the CancelledError to re-raise).
  Value result;
  CallbackList callbacks;  // callables, or Tasks to wake (a Task is never callable)
  FutState state : 2 = FutState::Pending;
  bool failed : 1 = false;         // set_exception was called
  bool blocking : 1 = false;       // _asyncio_future_blocking: yielded to a task, awaiting a wake-up
  bool log_traceback : 1 = false;  // an exception nobody has retrieved yet
  bool in_gather : 1 = false;      // an argument of a gather() not yet told it is done
  FutureObj(Type* t, Object* loop);
  ~FutureObj() override;
  Value loop_value() const { return loop.value(); }
};

// What few tasks need, made on first use so that a plain task stays small.
struct TaskExtra {
  Value name;                    // set by name= or set_name()
  Value context;                 // contextvars.Context it runs in, once ContextVars exist
  uint32_t cancel_requests = 0;  // cancel() calls not yet matched by uncancel()
};

struct TaskObj : FutureObj, Pooled<TaskObj> {
  using Pooled<TaskObj>::operator new;  // tasks come from their own free list
  using Pooled<TaskObj>::operator delete;
  bool must_cancel : 1 = false;
  bool log_destroy_pending : 1 = true;
  bool sleeping : 1 = false;  // blocked in a native asyncio.sleep: `wait` holds its timer
  uint32_t number = 0;        // "Task-<number>" unless named
  Ref<> coro;
  // While blocked: the future awaited (an owned reference, _fut_waiter), or while `sleeping`
  // the timer that will step it (gen 0 once cancelled).
  union {
    Object* waiter;
    rt::TimerId sleep_timer;
  } wait{nullptr};
  std::unique_ptr<TaskExtra> extra;
  // Its place in the registry of live tasks (all_tasks) is kept in the header's spare word.
  TaskObj(Type* t, Object* loop);
  ~TaskObj() override;
  TaskExtra& ensure_extra();
  uint32_t cancel_requests() const { return extra ? extra->cancel_requests : 0; }
  Value waiter() const { return !sleeping && wait.waiter ? Value::borrow(wait.waiter) : Value(); }
  // Stops waiting on a future or a timer (the timer itself is the caller's to cancel).
  void clear_wait();
  void wait_on(const Value& fut);
  void sleep_on(rt::TimerId timer);
};

// gather()'s outer future: done when every child is (or the first fails).
struct GatherObj : FutureObj {
  std::vector<Value> children;  // one per argument, repeated arguments sharing a future
  size_t unique = 0;            // distinct children
  size_t finished = 0;
  bool return_exceptions = false;
  bool cancel_requested = false;
  explicit GatherObj(Object* loop);
};

struct AsyncioTypes {
  Type *loop, *future, *task, *gather, *handle, *timer_handle, *future_iter, *sleep;
  Type *CancelledError, *InvalidStateError;
};
extern AsyncioTypes aio_types;

// What `await asyncio.sleep(delay)` drives. A timed sleep (delay > 0) yields itself, so that its
// task sets a timer, and returns when the task resumes it from that timer: it keeps no state, so
// one object serves every task sleeping that long (asyncio.sleep hands out the last one that
// yielded again). A zero delay yields None once (a bare switch), then returns.
struct SleepObj : Object, Pooled<SleepObj> {
  double delay;  // seconds (>= +0.0); a zero delay becomes -0.0 once it has yielded
  std::unique_ptr<Value> result;  // null: None (a result is rare, so it is boxed)
  SleepObj(double d, const Value& r)
      : Object(aio_types.sleep), delay(d > 0 ? d : 0), result(r.is_none() ? nullptr : new Value(r)) {}
  ~SleepObj() override;  // warns when it was never awaited
  static constexpr uint32_t kStarted = 1;  // in Object::bits: something has driven it
};

// Clock mode for every loop made from now on (the CLI's virtual-time switch).
void set_virtual_time(bool on);
// Debug mode for every loop made from now on (the CLI's --debug).
void set_default_debug(bool on);

// ---- loop (asyncio_loop.cpp) ----
Value new_loop();
// nullptr unless v (o) is an event loop.
inline LoopObj* loop_of(Object* o) {
  return o && (o->type == aio_types.loop || is_subtype(o->type, aio_types.loop)) ? static_cast<LoopObj*>(o) : nullptr;
}
inline LoopObj* loop_of(const Value& v) { return v.is_obj() ? loop_of(v.obj()) : nullptr; }
// The running loop of this thread, or nullptr.
LoopObj* running_loop();
// The REPL runs a statement with no await as if inside its loop (get_running_loop, create_task
// work) while the loop itself is not running, so run_until_complete and asyncio.run may still
// run it: they then await on the session's loop. nullptr ends that.
void set_running_loop(LoopObj* l);
// get_event_loop(): the running loop, else the set one, else a new one that becomes the set one.
Value get_event_loop();
// Runs the loop until `fut` is done (run_until_complete's core); false when it raised.
bool run_loop_until_done(LoopObj* l, const Value& fut);
// Hands an error to the loop's exception handler (context: message, exception, key: source).
void report_loop_error(LoopObj* l, const std::string& message, const Value& exc, const char* key, const Value& source);
// A SystemExit or KeyboardInterrupt escaped a callback: stop the loop and re-raise it from run_*.
void loop_fatal(LoopObj* l, Value exc);
inline bool is_fatal_exception(const Value& e) {
  return isinstance(e, exc.SystemExit) || isinstance(e, exc.KeyboardInterrupt);
}
// Schedules fn(arg) for the next iteration (Task wake-ups when fn is a Task), or fn() at `when`.
void schedule_call(LoopObj* l, const Value& fn, const Value& arg);
rt::Handle schedule_call_at(LoopObj* l, double when, const Value& fn);
// A Handle for fn(*args), run by run_handle (watchers that fire many times): errors go to
// the loop's exception handler, unless it was cancelled.
Value new_handle(const Value& loop, const Value& fn, std::vector<Value>&& args);
void run_handle(const Value& handle);

// ---- futures (asyncio_future.cpp) ----
Value new_future(const Value& loop);
inline bool is_future(const Value& v) { return v.is_obj() && isinstance(v, aio_types.future); }
bool future_done(const FutureObj* f);
// set_result / set_exception / cancel as the methods do; false when raised (InvalidStateError).
bool future_set_result(FutureObj* f, Value v);
bool future_set_exception(FutureObj* f, Value e);
bool future_cancel(FutureObj* f, const Value& msg);
// result(): the value, or raised (the exception, CancelledError, InvalidStateError).
Value future_result(FutureObj* f);
void future_add_callback(FutureObj* f, Value fn);
// Reports "exception was never retrieved" once; destructors call it while `f` is still whole.
void future_finalize(FutureObj* f);
// The CancelledError a cancelled future raises.
Value make_cancelled_error(FutureObj* f);

// A child of gather `g` is done (gather futures are their children's callbacks).
void gather_child_done(GatherObj* g, const Value& child);

// ---- tasks (asyncio_task.cpp) ----
// A task for coro, first stepped on the next iteration; context None: a copy of the current one.
Value new_task(LoopObj* l, const Value& coro, const Value& name, const Value& context = Value());
// Runs one step of the task: resumes its coroutine, throwing `exc` into it unless None.
void task_step(TaskObj* t, const Value& exc);
// Wakes a task whose awaited future `fut` is done.
void task_wakeup(TaskObj* t, const Value& fut);
// ensure_future(): futures as they are, coroutines and awaitables wrapped in a Task.
Value ensure_future(const Value& v, const Value& loop);
// At exit, where CPython's collector finds them: "Task was destroyed but it is pending!".
void report_pending_tasks();
Value task_repr(TaskObj* t);

void init_asyncio_types();
void init_asyncio_loop_type();
void init_asyncio_future_type();
void init_asyncio_task_type();
// add_reader/add_writer and the methods asyncio.selector_events writes in aio (asyncio_io.cpp).
void init_asyncio_io_methods();
void add_loop_functions(const Value& module);
void add_task_functions(const Value& module);
// _run_main_task: Runner.run's run_until_complete with Ctrl-C handling (asyncio_sigint.cpp).
void add_sigint_functions(const Value& module);
// While l waits, Ctrl-C wakes it and is acted on (interp/interrupt.h) in a callback: an exception
// the handler raises stops the loop and leaves run_* with it. False if SIGINT is unavailable.
bool watch_interrupts(LoopObj* l);
void unwatch_interrupts(LoopObj* l);
void init_asyncio_gather(const Value& module);
void init_asyncio_queue(const Value& module);
// q.put(x) / q.get() / q.join() awaitables (coroutines for create_task and iscoroutine).
bool is_queue_op(const Value& v);
bool is_queue_coroutine_function(NativeFn fn);  // Queue.put / get / join (async def in CPython)
void init_asyncio_core(const Value& module);
// asyncio.run(coro): how a script with top-level await runs its body.
Value run_main_coroutine(const Value& coro);

}  // namespace aio
