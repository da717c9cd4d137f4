// The event loop object: asyncio's loop API over the runtime's native loop.
#include <cstdio>

#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/function.h"
#include "interp/gil.h"
#include "interp/interp.h"
#include "interp/interrupt.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/asyncio.h"
#include "stdlib/native_args.h"
#include "stdlib/asyncio_repr.h"
#include "stdlib/std_streams.h"

namespace aio {

struct LoopCall;
struct TimerCall;
}
// These own references to raw objects and have no self-pointers: moving their bytes is safe.
template <>
inline constexpr bool aio::rt::trivially_relocatable<aio::LoopCall> = true;
template <>
inline constexpr bool aio::rt::trivially_relocatable<aio::TimerCall> = true;

namespace aio {

AsyncioTypes aio_types;

namespace {

bool virtual_time = false;
bool default_debug = false;
thread_local LoopObj* running = nullptr;
Value set_loop;  // set_event_loop()'s loop (None when unset)

// loop.call_soon(fn, *args) and call_later/call_at: a cancellable scheduled call.
struct HandleObj : Object {
  Value loop;
  Value fn;
  std::vector<Value> args;
  rt::Handle handle;
  double when = 0;
  bool cancelled = false;
  HandleObj(Type* t, Value l, Value f, std::vector<Value>&& a) : Object(t), loop(std::move(l)), fn(std::move(f)), args(std::move(a)) {}
};

}  // namespace

// One call the runtime loop runs: a Task step (arg: the exception to throw, or null), a Task
// wake-up (arg: the future it waited on), a Handle (arg: null) or callback(arg).
struct LoopCall {
  Object* target;
  Object* arg;
  LoopCall(const Value& t, const Value& a) : target(t.obj()), arg(a.is_obj() ? a.obj() : nullptr) {
    incref(target);
    if (arg) incref(arg);
  }
  LoopCall(LoopCall&& o) noexcept : target(o.target), arg(o.arg) { o.target = o.arg = nullptr; }
  LoopCall(const LoopCall&) = delete;
  ~LoopCall() {
    if (target) decref(target);
    if (arg) decref(arg);
  }
  void operator()();
  void run();
};

// A timer's call: a LoopCall with no argument, in one word so that timer slots stay small.
struct TimerCall {
  Object* target;
  explicit TimerCall(const Value& t) : target(t.obj()) { incref(target); }
  TimerCall(TimerCall&& o) noexcept : target(std::exchange(o.target, nullptr)) {}
  TimerCall(const TimerCall&) = delete;
  ~TimerCall() {
    if (target) decref(target);
  }
  void operator()() { LoopCall(Value::adopt(std::exchange(target, nullptr)), Value())(); }
};

LoopObj::LoopObj(Type* t) : Object(t) {
  rt::LoopOptions options;
  options.clock = virtual_time ? rt::ClockMode::Virtual : rt::ClockMode::Real;
  options.before_block = gil_release;
  options.after_block = gil_acquire;
  loop = std::make_unique<rt::Loop>(options);
  debug = default_debug;
}

LoopObj::~LoopObj() {
  if (running == this) running = nullptr;
}

void set_virtual_time(bool on) { virtual_time = on; }
void set_default_debug(bool on) { default_debug = on; }
void set_running_loop(LoopObj* l) { running = l; }

LoopObj* running_loop() { return running; }

Value new_loop() { return Value::adopt(new LoopObj(aio_types.loop)); }

Value get_event_loop() {
  if (running) return Value::borrow(running);
  if (set_loop.is_none()) set_loop = new_loop();
  return set_loop;
}

namespace {

Value fatal_exception;  // a SystemExit or KeyboardInterrupt raised in a callback, re-raised by run_*

void handle_call_error(LoopObj* l, const std::string& message, const Value& source) {
  Value e = take_exception();
  if (is_fatal_exception(e)) loop_fatal(l, std::move(e));
  else report_loop_error(l, message, e, "handle", source);
}

std::string handle_text(HandleObj* h) {
  std::string out;
  if (!callback_repr(h->fn, h->args, out)) take_exception();
  return out;
}

}  // namespace

namespace {

// Debug mode: a callback running longer than loop.slow_callback_duration is reported.
void report_if_slow(const Value& target, double started) {
  LoopObj* l = running;
  if (!l) return;
  double took = rt::Clock::monotonic() - started;
  if (took < l->slow_callback_duration) return;
  std::string what;
  if (!repr_string(target, what)) take_exception();
  flush_stdout();
  fprintf(stderr, "Executing %s took %.3f seconds\n", what.c_str(), took);
}

}  // namespace

void LoopCall::operator()() {
  if (running && running->debug) {
    Value t = Value::borrow(target);
    double started = rt::Clock::monotonic();
    run();
    report_if_slow(t, started);
    return;
  }
  run();
}

void LoopCall::run() {
  Value t = Value::borrow(target);
  Value a = arg ? Value::borrow(arg) : Value();
  if (isinstance(t, aio_types.task)) {
    if (is_future(a)) task_wakeup(as<TaskObj>(t), a);
    else task_step(as<TaskObj>(t), a);
    return;
  }
  if (is_exact(t, aio_types.gather)) {
    gather_child_done(as<GatherObj>(t), a);
    return;
  }
  if (isinstance(t, aio_types.handle)) {
    auto* h = as<HandleObj>(t);
    if (h->cancelled) return;
    Value r = call(h->fn, Args{h->args.data(), h->args.size()});
    if (r.is_raised()) handle_call_error(loop_of(h->loop), "Exception in callback " + handle_text(h), t);
    return;
  }
  Value r = call(t, {a});
  if (r.is_raised()) {
    std::string text;
    if (!callback_repr(t, {a}, text)) take_exception();
    LoopObj* l = is_future(a) ? loop_of(as<FutureObj>(a)->loop.get()) : running;
    if (l) handle_call_error(l, "Exception in callback " + text, Value());
  }
}

Value new_handle(const Value& loop, const Value& fn, std::vector<Value>&& args) {
  return Value::adopt(new HandleObj(aio_types.handle, loop, fn, std::move(args)));
}

void run_handle(const Value& handle) { LoopCall(handle, Value())(); }

void schedule_call(LoopObj* l, const Value& fn, const Value& arg) {
  if (l->closed) return;
  l->loop->call_soon(LoopCall(fn, arg));
}

void loop_fatal(LoopObj* l, Value e) {
  fatal_exception = std::move(e);
  l->loop->stop();
}

rt::Handle schedule_call_at(LoopObj* l, double when, const Value& fn) {
  if (l->closed) return rt::Handle();
  return l->loop->call_at(when, TimerCall(fn));
}

void report_loop_error(LoopObj* l, const std::string& message, const Value& e, const char* key, const Value& source) {
  Value context = new_dict();
  DictObj* d = as<DictObj>(context);
  dict_set_str(d, intern("message"), new_str(message));
  if (!e.is_none()) dict_set_str(d, intern("exception"), e);
  if (source.is_obj()) dict_set_str(d, intern(key), source);
  if (!l->exception_handler.is_none()) {
    Value r = call(l->exception_handler, {Value::borrow(l), context});
    if (!r.is_raised()) return;
    take_exception();
  }
  flush_stdout();
  std::string out = message + "\n";
  if (source.is_obj()) {
    std::string text;
    if (!repr_string(source, text)) take_exception();
    out += std::string(key) + ": " + text + "\n";
  }
  if (is_exception(e)) out += format_exception(e);
  fputs(out.c_str(), stderr);
  fflush(stderr);
}

namespace {

LoopObj* self_loop(const Args& a) { return as<LoopObj>(a[0]); }

bool check_open(LoopObj* l) {
  if (!l->closed) return true;
  raise(exc.RuntimeError, "Event loop is closed");
  return false;
}

// call_soon / call_later / call_at share this: a Handle for fn(*args) at `when` (or now).
Value schedule_handle(const Args& a, const char* fname, size_t first, bool timer, double when) {
  LoopObj* l = self_loop(a);
  if (!check_kwnames(a, fname, {"context"}) || !check_open(l)) return Value::raised();
  if (a.npos <= first) return raise(exc.TypeError, "missing callback argument");
  std::vector<Value> args(a.pos + first + 1, a.pos + a.npos);
  Type* t = timer ? aio_types.timer_handle : aio_types.handle;
  auto* h = new HandleObj(t, a[0], a[first], std::move(args));
  Value hv = Value::adopt(h);
  h->when = when;
  h->handle = timer ? l->loop->call_at(when, TimerCall(hv)) : l->loop->call_soon(LoopCall(hv, Value()));
  return hv;
}

bool number_arg(const Value& v, double& out) {
  if (v.is_int()) out = (double)v.as_int();
  else if (v.is_float()) out = v.as_float();
  else {
    raise(exc.TypeError, "'" + type_name(v) + "' object cannot be interpreted as a number");
    return false;
  }
  return true;
}

Value loop_call_soon(const Args& a) { return schedule_handle(a, "BaseEventLoop.call_soon", 1, false, 0); }

// From any thread (holding the interpreter lock): the loop's inbox wakes it.
Value loop_call_soon_threadsafe(const Args& a) {
  LoopObj* l = self_loop(a);
  if (!check_open(l)) return Value::raised();
  if (a.npos < 2) return raise(exc.TypeError, "missing callback argument");
  std::vector<Value> args(a.pos + 2, a.pos + a.npos);
  Value hv = Value::adopt(new HandleObj(aio_types.handle, a[0], a[1], std::move(args)));
  l->loop->call_soon_threadsafe(LoopCall(hv, Value()));
  return hv;
}

// A thread will report back later: until then the loop has pending work (see rt::Loop::hold).
Value loop_hold(const Args& a) {
  self_loop(a)->loop->hold();
  return Value();
}

Value loop_release(const Args& a) {
  self_loop(a)->loop->release();
  return Value();
}

Value loop_run_in_executor(const Args& a) {
  if (a.npos < 3) return raise(exc.TypeError, "run_in_executor() missing required arguments");
  Value threads = import_module("asyncio.threads", nullptr);
  if (threads.is_raised()) return threads;
  Value fn = getattr(threads, "_run_in_executor");
  if (fn.is_raised()) return fn;
  return call(fn, Args{a.pos, a.npos});
}

Value loop_shutdown_default_executor(const Args& a) {
  Value threads = import_module("asyncio.threads", nullptr);
  if (threads.is_raised()) return threads;
  return call_method(threads, "_shutdown_default_executor", {a[0]});
}

// Async generators are closed when collected here, so there is nothing left to shut down:
// an already finished future keeps `await loop.shutdown_asyncgens()` working.
Value loop_shutdown_asyncgens(const Args& a) {
  Value f = new_future(a[0]);
  future_set_result(as<FutureObj>(f), Value());
  return f;
}

Value loop_default_executor(const Value& self) { return as<LoopObj>(self)->default_executor; }

Value loop_call_later(const Args& a) {
  if (a.npos < 3) return raise(exc.TypeError, "call_later() missing required arguments");
  double delay;
  if (!number_arg(a[1], delay)) return Value::raised();
  return schedule_handle(a, "BaseEventLoop.call_later", 2, true, self_loop(a)->loop->time() + delay);
}

Value loop_call_at(const Args& a) {
  if (a.npos < 3) return raise(exc.TypeError, "call_at() missing required arguments");
  double when;
  if (!number_arg(a[1], when)) return Value::raised();
  return schedule_handle(a, "BaseEventLoop.call_at", 2, true, when);
}

Value loop_time(const Args& a) { return Value::real(self_loop(a)->loop->time()); }

Value loop_create_future(const Args& a) { return new_future(a[0]); }

Value loop_create_task(const Args& a) {
  if (!check_args(a, "create_task", 2, 2)) return Value::raised();
  LoopObj* l = self_loop(a);
  if (!check_open(l)) return Value::raised();
  const Value* name = arg_or_kw(a, 99, "name");
  const Value* context = arg_or_kw(a, 99, "context");
  if (!l->task_factory.is_none()) return call(l->task_factory, {a[0], a[1]});
  return new_task(l, a[1], name ? *name : Value(), context ? *context : Value());
}

// Runs the loop until stop(); the running-loop bookkeeping and re-raising of fatal exceptions.
bool run_forever(LoopObj* l) {
  if (!check_open(l)) return false;
  if (l->loop->is_running()) {
    raise(exc.RuntimeError, "This event loop is already running");
    return false;
  }
  LoopObj* outer = running;  // l itself when a REPL statement runs it (see set_running_loop)
  if (outer && outer != l) {
    raise(exc.RuntimeError, "Cannot run the event loop while another loop is running");
    return false;
  }
  running = l;
  // Signals wake the loop to be acted on (unless asyncio.run or the REPL watches already): Ctrl-C
  // that nobody has taken over raises KeyboardInterrupt out of it, as in CPython.
  bool watching = interrupt_thread() && !l->loop->has_wakeup() && watch_interrupts(l);
  l->loop->run_forever();
  if (watching) unwatch_interrupts(l);
  running = outer;
  if (fatal_exception.is_obj()) {
    raise_value(std::move(fatal_exception));
    fatal_exception = Value();
    return false;
  }
  return true;
}

Value loop_run_forever(const Args& a) { return run_forever(self_loop(a)) ? Value() : Value::raised(); }

Value run_until_complete_cb(const Args& a) {
  auto* f = as<FutureObj>(a[0]);
  if (f->state == FutState::Finished && f->failed && is_fatal_exception(f->result)) return Value();
  if (LoopObj* l = loop_of(f->loop.get())) l->loop->stop();
  return Value();
}

Value stopper;  // the native _run_until_complete_cb

}  // namespace

bool run_loop_until_done(LoopObj* l, const Value& fut) {
  auto* f = as<FutureObj>(fut);
  future_add_callback(f, stopper);
  Value outer_until = std::exchange(l->until, fut);
  bool ok = run_forever(l);
  l->until = std::move(outer_until);
  CallbackList& cbs = f->callbacks;
  for (size_t i = 0; i < cbs.size(); i++)
    if (cbs[i].is(stopper)) {
      cbs.erase(i);
      break;
    }
  if (!ok) return false;
  if (!future_done(f)) {
    raise(exc.RuntimeError, "Event loop stopped before Future completed.");
    return false;
  }
  return true;
}

namespace {

Value loop_run_until_complete(const Args& a) {
  if (!check_args(a, "run_until_complete", 2, 2)) return Value::raised();
  LoopObj* l = self_loop(a);
  if (!check_open(l)) return Value::raised();
  Value fut = ensure_future(a[1], a[0]);
  if (fut.is_raised()) return fut;
  if (!run_loop_until_done(l, fut)) return Value::raised();
  return future_result(as<FutureObj>(fut));
}

Value loop_stop(const Args& a) {
  self_loop(a)->loop->stop();
  return Value();
}

Value loop_close(const Args& a) {
  LoopObj* l = self_loop(a);
  if (l->loop->is_running()) return raise(exc.RuntimeError, "Cannot close a running event loop");
  if (l->closed) return Value();
  l->closed = true;
  l->loop->close();
  Value executor = std::move(l->default_executor);
  l->default_executor = Value();
  if (!executor.is_none()) {
    // As CPython: the default executor's threads finish their work without being waited for.
    Value wait = Value::boolean(false);
    Value name = intern("wait");
    std::vector<Value> names{name};
    Value shutdown = getattr(executor, "shutdown");
    if (shutdown.is_raised()) return shutdown;
    return call(shutdown, Args{nullptr, 0, &wait, &names});
  }
  return Value();
}

Value loop_is_running(const Args& a) { return Value::boolean(self_loop(a)->loop->is_running()); }
Value loop_is_closed(const Args& a) { return Value::boolean(self_loop(a)->closed); }
Value loop_get_debug(const Args& a) { return Value::boolean(self_loop(a)->debug); }

Value loop_set_debug(const Args& a) {
  if (!check_args(a, "set_debug", 2, 2)) return Value::raised();
  int t = truthy(a[1]);
  if (t < 0) return Value::raised();
  self_loop(a)->debug = t;
  return Value();
}

Value loop_set_exception_handler(const Args& a) {
  if (!check_args(a, "set_exception_handler", 2, 2)) return Value::raised();
  if (!a[1].is_none() && !is_callable(a[1])) {
    std::string r;
    if (!repr_string(a[1], r)) return Value::raised();
    return raise(exc.TypeError, "A callable object or None is expected, got " + r);
  }
  self_loop(a)->exception_handler = a[1];
  return Value();
}

Value loop_get_exception_handler(const Args& a) { return self_loop(a)->exception_handler; }

Value get_slow_duration(const Value& s) { return Value::real(as<LoopObj>(s)->slow_callback_duration); }
bool set_slow_duration(const Value& s, Value v) {
  double d;
  if (!number_arg(v, d)) return false;
  as<LoopObj>(s)->slow_callback_duration = d;
  return true;
}

Value context_get(const Value& ctx, const char* key) {
  Value* v = is_exact(ctx, types.dict) ? dict_find_str(as<DictObj>(ctx), intern(key)) : nullptr;
  return v ? *v : Value();
}

Value loop_default_exception_handler(const Args& a) {
  if (!check_args(a, "default_exception_handler", 2, 2)) return Value::raised();
  Value msg = context_get(a[1], "message");
  std::string text = is_str(msg) ? str_of(msg) : "Unhandled exception in event loop";
  const char* key = "future";
  Value source = context_get(a[1], key);
  for (const char* k : {"task", "handle"})
    if (source.is_none()) source = context_get(a[1], key = k);
  LoopObj* l = self_loop(a);
  Value saved = l->exception_handler;
  l->exception_handler = Value();
  report_loop_error(l, text, context_get(a[1], "exception"), key, source);
  l->exception_handler = saved;
  return Value();
}

Value loop_call_exception_handler(const Args& a) {
  if (!check_args(a, "call_exception_handler", 2, 2)) return Value::raised();
  LoopObj* l = self_loop(a);
  if (!l->exception_handler.is_none()) return call(l->exception_handler, {a[0], a[1]});
  return loop_default_exception_handler(a);
}

Value loop_set_task_factory(const Args& a) {
  if (!check_args(a, "set_task_factory", 2, 2)) return Value::raised();
  self_loop(a)->task_factory = a[1];
  return Value();
}

Value loop_get_task_factory(const Args& a) { return self_loop(a)->task_factory; }

Value loop_set_default_executor(const Args& a) {
  if (!check_args(a, "set_default_executor", 2, 2)) return Value::raised();
  self_loop(a)->default_executor = a[1];
  return Value();
}

Value loop_repr(const Args& a) {
  LoopObj* l = self_loop(a);
  auto b = [](bool x) { return x ? "True" : "False"; };
  return new_str(std::string("<_UnixSelectorEventLoop running=") + b(l->loop->is_running()) + " closed=" + b(l->closed) +
                 " debug=" + b(l->debug) + ">");
}

Value loop_new(const Args&) { return new_loop(); }

// ---- Handle ----

HandleObj* self_handle(const Args& a) { return as<HandleObj>(a[0]); }

Value handle_cancel(const Args& a) {
  HandleObj* h = self_handle(a);
  if (h->cancelled) return Value();
  h->cancelled = true;
  if (LoopObj* l = loop_of(h->loop)) l->loop->cancel(h->handle);
  h->fn = Value();
  h->args.clear();
  return Value();
}

Value handle_cancelled(const Args& a) { return Value::boolean(self_handle(a)->cancelled); }
Value handle_when(const Args& a) { return Value::real(self_handle(a)->when); }

Value handle_repr(const Args& a) {
  HandleObj* h = self_handle(a);
  bool timer = type_of(a[0]) == aio_types.timer_handle;
  std::string out = timer ? "<TimerHandle" : "<Handle";
  if (h->cancelled) out += " cancelled";
  if (timer) {
    std::string when;
    if (!repr_string(Value::real(h->when), when)) return Value::raised();
    out += " when=" + when;
  }
  if (!h->fn.is_none()) {
    out += " ";
    if (!callback_repr(h->fn, h->args, out)) return Value::raised();
  }
  return new_str(out + ">");
}

struct Method {
  const char* name;
  NativeFn fn;
};

const Method kLoopMethods[] = {
    {"__new__", loop_new},
    {"call_soon", loop_call_soon},
    {"call_soon_threadsafe", loop_call_soon_threadsafe},
    {"run_in_executor", loop_run_in_executor},
    {"_hold", loop_hold},
    {"shutdown_default_executor", loop_shutdown_default_executor},
    {"shutdown_asyncgens", loop_shutdown_asyncgens},
    {"_release", loop_release},
    {"call_later", loop_call_later},
    {"call_at", loop_call_at},
    {"time", loop_time},
    {"create_future", loop_create_future},
    {"create_task", loop_create_task},
    {"run_forever", loop_run_forever},
    {"run_until_complete", loop_run_until_complete},
    {"stop", loop_stop},
    {"close", loop_close},
    {"is_running", loop_is_running},
    {"is_closed", loop_is_closed},
    {"get_debug", loop_get_debug},
    {"set_debug", loop_set_debug},
    {"set_exception_handler", loop_set_exception_handler},
    {"get_exception_handler", loop_get_exception_handler},
    {"default_exception_handler", loop_default_exception_handler},
    {"call_exception_handler", loop_call_exception_handler},
    {"set_task_factory", loop_set_task_factory},
    {"get_task_factory", loop_get_task_factory},
    {"set_default_executor", loop_set_default_executor},
    {"__repr__", loop_repr},
};

}  // namespace

void init_asyncio_loop_type() {
  for (const Method& m : kLoopMethods) add_method(aio_types.loop, m.name, m.fn);
  add_getset(aio_types.loop, "_default_executor", loop_default_executor);
  add_getset(aio_types.loop, "slow_callback_duration", get_slow_duration, set_slow_duration);
  add_method(aio_types.handle, "cancel", handle_cancel);
  add_method(aio_types.handle, "cancelled", handle_cancelled);
  add_method(aio_types.handle, "__repr__", handle_repr);
  add_method(aio_types.timer_handle, "when", handle_when);
  stopper = new_native("_run_until_complete_cb", run_until_complete_cb);
}

// ---- module-level loop functions ----

namespace {

Value fn_get_event_loop(const Args&) { return get_event_loop(); }

Value fn_get_running_loop(const Args&) {
  if (!running) return raise(exc.RuntimeError, "no running event loop");
  return Value::borrow(running);
}

Value fn_get_running_loop_or_none(const Args&) { return running ? Value::borrow(running) : Value(); }

// asyncio.run() at the REPL's prompt: the session's loop, which it then awaits on (else None).
Value fn_repl_loop(const Args&) {
  return running && !running->loop->is_running() ? Value::borrow(running) : Value();
}

Value fn_new_event_loop(const Args&) { return new_loop(); }

Value fn_set_event_loop(const Args& a) {
  if (!check_args(a, "set_event_loop", 1, 1)) return Value::raised();
  if (!a[0].is_none() && !loop_of(a[0]))
    return raise(exc.TypeError, "loop must be an instance of AbstractEventLoop or None, not '" + type_name(a[0]) + "'");
  set_loop = a[0];
  return Value();
}

}  // namespace

void add_loop_functions(const Value& module) {
  add_function(module, "get_event_loop", fn_get_event_loop);
  add_function(module, "get_running_loop", fn_get_running_loop);
  add_function(module, "_get_running_loop", fn_get_running_loop_or_none);
  add_function(module, "_repl_loop", fn_repl_loop);
  add_function(module, "new_event_loop", fn_new_event_loop);
  add_function(module, "set_event_loop", fn_set_event_loop);
}

}  // namespace aio
