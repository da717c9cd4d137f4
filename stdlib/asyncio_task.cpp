// asyncio.Task: drives a coroutine on the loop, step by step, as CPython's Task.__step does;
// and asyncio.sleep, which a task serves with a timer of its own instead of a Future.
#include <cmath>
#include <cstdio>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/function.h"
#include "interp/interp.h"
#include "interp/generator.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/asyncio.h"
#include "stdlib/asyncio_repr.h"
#include "stdlib/contextvars.h"
#include "stdlib/native_args.h"

namespace aio {

namespace {

uint32_t task_counter = 0;     // names tasks Task-1, Task-2, ... as CPython does
std::vector<TaskObj*> live_tasks;  // every task not yet destroyed, for all_tasks(); Object::bits is the index
Value shared_sleep;             // the last timed sleep that yielded: asyncio.sleep gives it out again
bool sleep_timer_fired = false;  // a task resumes from its sleep's timer: that sleep returns

}  // namespace

TaskObj::TaskObj(Type* t, Object* l) : FutureObj(t, l) {
  bits = (uint32_t)live_tasks.size();
  live_tasks.push_back(this);
}

TaskExtra& TaskObj::ensure_extra() {
  if (!extra) extra = std::make_unique<TaskExtra>();
  return *extra;
}

void TaskObj::clear_wait() {
  Object* fut = sleeping ? nullptr : wait.waiter;
  sleeping = false;
  wait.waiter = nullptr;
  if (fut) decref(fut);  // last: its destructor may look at this task
}

void TaskObj::wait_on(const Value& fut) {
  incref(fut.obj());
  clear_wait();
  wait.waiter = fut.obj();
}

void TaskObj::sleep_on(rt::TimerId timer) {
  clear_wait();
  sleeping = true;
  wait.sleep_timer = timer;
}

TaskObj::~TaskObj() {
  if (state == FutState::Pending && log_destroy_pending) {
    if (LoopObj* l = loop_of(loop.get())) {
      refcount++;  // resurrected for the report, as in future_finalize
      report_loop_error(l, "Task was destroyed but it is pending!", Value(), "task", Value::borrow(this));
      refcount--;
    }
  }
  future_finalize(this);
  clear_wait();
  TaskObj* last = live_tasks.back();  // moves into this task's place
  live_tasks[bits] = last;
  last->bits = bits;
  live_tasks.pop_back();
}

void report_pending_tasks() {
  std::vector<Value> pending;
  for (TaskObj* t : live_tasks)
    if (t->state == FutState::Pending && t->log_destroy_pending) pending.push_back(Value::borrow(t));
  for (Value& v : pending) {
    auto* t = as<TaskObj>(v);
    t->log_destroy_pending = false;
    if (LoopObj* l = loop_of(t->loop.get())) report_loop_error(l, "Task was destroyed but it is pending!", Value(), "task", v);
  }
}

SleepObj::~SleepObj() {
  if (!(bits & kStarted)) warn_never_awaited("sleep");
}

namespace {

bool is_native_coroutine_function(NativeFn fn);

bool is_native_coroutine(const Value& v) { return is_exact(v, aio_types.sleep) || is_queue_op(v); }

bool is_coroutine_like(const Value& v) {
  return is_exact(v, types.coroutine) || is_exact(v, types.generator) || is_native_coroutine(v);
}

LoopObj* task_loop(const TaskObj* t) { return loop_of(t->loop.get()); }

void schedule_step(TaskObj* t, const Value& exc) { schedule_call(task_loop(t), Value::borrow(t), exc); }

// Schedules a step that throws RuntimeError(msg) into the coroutine (a misused yield).
void step_with_error(TaskObj* t, const std::string& msg) {
  schedule_step(t, make_exception(exc.RuntimeError, {new_str(msg)}));
}

std::string text_of(const Value& v) {
  std::string s;
  if (!repr_string(v, s)) take_exception();
  return s;
}

// The coroutine yielded `r`: arrange to be woken when whatever it waits for is ready.
void handle_yield(TaskObj* t, const Value& r) {
  LoopObj* l = task_loop(t);
  if (r.is_none()) {
    schedule_step(t, Value());
    return;
  }
  if (is_exact(r, aio_types.sleep)) {
    double when = l->loop->time() + as<SleepObj>(r)->delay;
    t->sleep_on(schedule_call_at(l, when, Value::borrow(t)).timer_id());
    return;
  }
  if (is_future(r)) {
    auto* f = as<FutureObj>(r);
    if (!f->blocking) {
      step_with_error(t, "yield was used instead of yield from in task " + text_of(Value::borrow(t)) + " with " + text_of(r));
      return;
    }
    if (f->loop.get() != t->loop.get()) {
      step_with_error(t, "Task " + text_of(Value::borrow(t)) + " got Future " + text_of(r) + " attached to a different loop");
      return;
    }
    if (f == t) {
      step_with_error(t, "Task cannot await on itself: " + text_of(Value::borrow(t)));
      return;
    }
    f->blocking = false;
    future_add_callback(f, Value::borrow(t));
    t->wait_on(r);
    if (t->must_cancel) {
      Value done = call_method(r, "cancel", {t->result});  // dispatched: gather overrides it
      if (done.is_raised()) take_exception();
      else if (truthy(done) > 0) t->must_cancel = false;
    }
    return;
  }
  if (is_exact(r, types.generator)) {
    step_with_error(t, "yield was used instead of yield from for generator in task " + text_of(Value::borrow(t)) +
                           " with " + text_of(r));
    return;
  }
  step_with_error(t, "Task got bad yield: " + text_of(r));
}

}  // namespace

void task_step(TaskObj* t, const Value& exc_in) {
  if (future_done(t)) return;
  bool timer_fired = t->sleeping && t->wait.sleep_timer.gen;
  t->clear_wait();
  Value e = exc_in;
  if (t->must_cancel) {
    if (!isinstance(e, aio_types.CancelledError)) e = make_cancelled_error(t);
    t->must_cancel = false;
  }
  timer_fired = timer_fired && e.is_none();
  LoopObj* l = task_loop(t);
  TaskObj* outer = l->current_task;
  l->current_task = t;
  Value keep = Value::borrow(t);  // the step may drop the last other reference
  // The step runs in the task's own context (made lazily: none is needed before a ContextVar exists).
  if ((!t->extra || t->extra->context.is_none()) && context_vars_exist()) t->ensure_extra().context = context_new();
  Value outer_context = t->extra && !t->extra->context.is_none() ? context_enter(t->extra->context) : Value();
  Value out;
  sleep_timer_fired = timer_fired;
  bool throwing = !e.is_none();
  GenResult r = resume_iterator(t->coro.value(), std::move(e), throwing, out);
  sleep_timer_fired = false;
  if (!outer_context.is_none()) context_enter(outer_context);
  l->current_task = outer;
  if (r == GenResult::Yielded) {
    handle_yield(t, out);
    return;
  }
  if (r == GenResult::Returned) {
    if (t->must_cancel) {
      t->must_cancel = false;
      future_cancel(t, Value(t->result));
    } else {
      future_set_result(t, std::move(out));
    }
    return;
  }
  Value err = take_exception();
  if (isinstance(err, aio_types.CancelledError)) {
    // Cancelled from inside: the task re-raises this very exception to its awaiters.
    future_cancel(t, err);
    return;
  }
  future_set_exception(t, err);
  if (is_fatal_exception(err)) {
    t->log_traceback = false;  // it leaves through run_*, whose caller reports it
    loop_fatal(l, err);
  }
}

void task_wakeup(TaskObj* t, const Value& fut) {
  auto* f = as<FutureObj>(fut);
  if (f->state == FutState::Cancelled) {
    task_step(t, make_cancelled_error(f));
    return;
  }
  f->log_traceback = false;
  task_step(t, f->failed ? f->result : Value());
}

Value new_task(LoopObj* l, const Value& coro, const Value& name, const Value& context) {
  if (!is_coroutine_like(coro)) return raise(exc.TypeError, "a coroutine was expected, got " + text_of(coro));
  auto* t = new TaskObj(aio_types.task, l);
  Value tv = Value::adopt(t);
  t->coro.set(coro.obj());
  if (!context.is_none()) t->ensure_extra().context = context;
  else if (context_vars_exist()) t->ensure_extra().context = context_copy();
  if (name.is_none()) {
    t->number = ++task_counter;
  } else {
    Value s = to_str(name);
    if (s.is_raised()) return s;
    t->ensure_extra().name = std::move(s);
  }
  schedule_step(t, Value());
  return tv;
}

Value ensure_future(const Value& v, const Value& loop) {
  if (is_future(v)) {
    if (!loop.is_none() && as<FutureObj>(v)->loop.get() != loop.obj())
      return raise(exc.ValueError, "The future belongs to a different loop than the one specified as the loop argument");
    return v;
  }
  Value l = loop.is_none() ? get_event_loop() : loop;
  if (l.is_raised()) return l;
  if (!loop_of(l)) return raise(exc.TypeError, "loop argument must agree with Future");
  Value coro = v;
  if (!is_coroutine_like(v)) {
    // Any awaitable: the task drives its __await__ iterator directly.
    if (!type_lookup(type_of(v), intern("__await__")))
      return raise(exc.TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
    coro = get_awaitable(v);
    if (coro.is_raised()) return coro;
    return new_task(loop_of(l), coro, Value());
  }
  // loop.create_task(coro), which a subclass or a task factory may change; the native loop's
  // own is called directly (gather of coroutines makes one task per argument this way).
  LoopObj* lo = loop_of(l);
  if (is_exact(l, aio_types.loop) && !lo->closed && lo->task_factory.is_none()) return new_task(lo, coro, Value());
  return call_method(l, "create_task", {coro});
}

Value task_name(TaskObj* t) {
  if (t->extra && !t->extra->name.is_none()) return t->extra->name;
  return new_str("Task-" + std::to_string(t->number));
}

Value task_repr(TaskObj* t) {
  std::string info;
  if (!future_repr_info(t, info)) return Value::raised();
  // CPython's order: state, name, coro, wait_for, then result/exception and callbacks.
  size_t rest = info.find(' ');
  std::string state = info.substr(0, rest);
  std::string tail = rest == std::string::npos ? "" : info.substr(rest);
  if ((t->must_cancel || t->cancel_requests() > 0) && state == "pending") state = "cancelling";
  std::string out = "<" + type_of(Value::borrow(t))->name + " " + state + " name=";
  if (!repr_string(task_name(t), out)) return Value::raised();
  // A task made straight from asyncio.sleep(): CPython shows the sleep coroutine of asyncio/tasks.py.
  Value cv = t->coro.value();
  std::string coro = !is_exact(cv, aio_types.sleep) ? coroutine_repr(cv)
                     : future_done(t)                     ? "sleep() done, defined at asyncio/tasks.py"
                                                          : "sleep() running at asyncio/tasks.py";
  out += " coro=<" + coro + ">";
  if (t->sleeping) {
    // CPython's sleep waits on a future: show the one it would have.
    out += t->wait.sleep_timer.gen ? " wait_for=<Future pending cb=[Task.task_wakeup()]>" : " wait_for=<Future cancelled>";
  } else if (t->wait.waiter) {
    out += " wait_for=";
    if (!repr_string(t->waiter(), out)) return Value::raised();
  }
  return new_str(out + tail + ">");
}

namespace {

TaskObj* self_task(const Args& a) { return as<TaskObj>(a[0]); }

Value task_new(const Args& a) {
  if (a.npos < 2) return raise(exc.TypeError, "Task.__init__() missing 1 required positional argument: 'coro'");
  const Value* loop = arg_or_kw(a, 99, "loop");
  const Value* name = arg_or_kw(a, 99, "name");
  Value l = loop && !loop->is_none() ? *loop : get_event_loop();
  if (l.is_raised()) return l;
  return new_task(loop_of(l), a[1], name ? *name : Value());
}

Value task_init(const Args&) { return Value(); }

Value task_cancel(const Args& a) {
  TaskObj* t = self_task(a);
  const Value* msgp = arg_or_kw(a, 1, "msg");
  Value msg = msgp ? *msgp : Value();
  t->log_traceback = false;
  if (future_done(t)) return Value::boolean(false);
  t->ensure_extra().cancel_requests++;
  if (t->sleeping && t->wait.sleep_timer.gen) {
    // Blocked in asyncio.sleep: wake now with CancelledError, as a cancelled sleep future would.
    task_loop(t)->loop->cancel(rt::Handle::of_timer(t->wait.sleep_timer));
    t->wait.sleep_timer = rt::TimerId{};
    std::vector<Value> args;
    if (!msg.is_none()) args.push_back(msg);
    schedule_step(t, make_exception(aio_types.CancelledError, std::move(args)));
    return Value::boolean(true);
  }
  if (Value w = t->waiter(); is_future(w)) {
    Value r = call_method(w, "cancel", {msg});
    if (r.is_raised()) return r;
    if (truthy(r) > 0) return Value::boolean(true);
  }
  t->must_cancel = true;
  t->result = msg;  // the cancel message, kept where the result will go
  return Value::boolean(true);
}

Value task_cancelling(const Args& a) { return Value::integer(self_task(a)->cancel_requests()); }

Value task_uncancel(const Args& a) {
  TaskObj* t = self_task(a);
  if (t->cancel_requests() > 0) t->extra->cancel_requests--;
  return Value::integer(t->cancel_requests());
}

Value task_get_coro(const Args& a) { return self_task(a)->coro.value(); }
Value task_get_name(const Args& a) { return task_name(self_task(a)); }

Value task_set_name(const Args& a) {
  if (!check_args(a, "set_name", 2, 2)) return Value::raised();
  Value s = to_str(a[1]);
  if (s.is_raised()) return s;
  self_task(a)->ensure_extra().name = s;
  return Value();
}

Value task_get_context(const Args& a) {
  TaskObj* t = self_task(a);
  return t->extra ? t->extra->context : Value();
}
Value task_repr_m(const Args& a) { return task_repr(self_task(a)); }

Value task_set_result(const Args&) { return raise(exc.RuntimeError, "Task does not support set_result operation"); }
Value task_set_exception(const Args&) {
  return raise(exc.RuntimeError, "Task does not support set_exception operation");
}

// The frames of a task: the coroutine's frame while it is suspended (CPython lists the chain).
Value task_get_stack(const Args&) { return new_list({}); }

Value task_print_stack(const Args& a) {
  Value r = repr(a[0]);
  if (r.is_raised()) return r;
  printf("No stack for %s\n", str_of(r).c_str());
  return Value();
}

// ---- asyncio.sleep ----

Value sleep_fn(const Args& a) {
  const Value* result = nullptr;
  if (a.npos != 1 || a.nkw()) {  // the common sleep(delay) skips the argument parsing
    if (!check_args(a, "sleep", 1, 2) || !check_kwnames(a, "sleep", {"delay", "result", "loop"})) return Value::raised();
    result = arg_or_kw(a, 1, "result");
  }
  double d;
  if (a[0].is_int()) d = (double)a[0].as_int();
  else if (a[0].is_float()) d = a[0].as_float();
  else return raise(exc.TypeError, "'<=' not supported between instances of '" + type_name(a[0]) + "' and 'int'");
  bool plain = !result || result->is_none();
  if (plain && d > 0 && shared_sleep.is_obj() && as<SleepObj>(shared_sleep)->delay == d) return shared_sleep;
  return Value::adopt(new SleepObj(d, plain ? Value() : *result));
}

GenResult sleep_send(const Value& self, Value sent, bool throwing, Value& out) {
  self.obj()->bits |= SleepObj::kStarted;
  if (throwing) {
    raise_value(std::move(sent));
    return GenResult::Raised;
  }
  auto* s = as<SleepObj>(self);
  if (s->delay > 0) {
    if (sleep_timer_fired) {
      sleep_timer_fired = false;
      out = s->result ? *s->result : Value();
      return GenResult::Returned;
    }
    if (!s->result) shared_sleep = self;
    out = self;
    return GenResult::Yielded;
  }
  if (!std::signbit(s->delay)) {
    s->delay = -0.0;
    out = Value();
    return GenResult::Yielded;
  }
  out = s->result ? *s->result : Value();
  return GenResult::Returned;
}

Value sleep_close(const Args& a) {
  a[0].obj()->bits |= SleepObj::kStarted;  // closed: nothing to warn about
  return Value();
}

Value sleep_repr(const Args& a) {
  char buf[64];
  snprintf(buf, sizeof buf, "<coroutine object sleep at 0x%012lx>", (unsigned long)(uintptr_t)a[0].obj());
  return new_str(buf);
}

bool is_native_coroutine_function(NativeFn fn) { return fn == sleep_fn || is_queue_coroutine_function(fn); }

// ---- module functions ----

LoopObj* loop_arg(const Args& a, size_t idx) {
  const Value* l = arg_or_kw(a, idx, "loop");
  if (l && !l->is_none()) return loop_of(*l);
  return running_loop();
}

Value fn_current_task(const Args& a) {
  LoopObj* l = loop_arg(a, 0);
  if (!l) return raise(exc.RuntimeError, "no running event loop");
  return l->current_task ? Value::borrow(l->current_task) : Value();
}

Value fn_all_tasks(const Args& a) {
  LoopObj* l = loop_arg(a, 0);
  if (!l) return raise(exc.RuntimeError, "no running event loop");
  Value s = call(Value::borrow(types.set), {});
  if (s.is_raised()) return s;
  std::vector<Value> found;  // first: adding may run __hash__/__eq__ of script Task subclasses
  for (TaskObj* t : live_tasks)
    if (t->loop.get() == l && !future_done(t)) found.push_back(Value::borrow(t));
  for (const Value& t : found) {
    Value r = call_method(s, "add", {t});
    if (r.is_raised()) return r;
  }
  return s;
}

Value fn_ensure_future(const Args& a) {
  if (!check_args(a, "ensure_future", 1, 1) || !check_kwnames(a, "ensure_future", {"loop"})) return Value::raised();
  const Value* loop = arg_or_kw(a, 99, "loop");
  return ensure_future(a[0], loop ? *loop : Value());
}

// Names the task after the loop made it, as CPython: a default name's number is used up either way.
Value fn_create_task(const Args& a) {
  if (!check_args(a, "create_task", 1, 1) || !check_kwnames(a, "create_task", {"name", "context"})) return Value::raised();
  LoopObj* l = running_loop();
  if (!l) {
    if (is_exact(a[0], types.coroutine)) as<GenObj>(a[0])->set_started();  // no "never awaited" on top
    return raise(exc.RuntimeError, "no running event loop");
  }
  const Value* name = arg_or_kw(a, 99, "name");
  const Value* context = arg_or_kw(a, 99, "context");
  bool has_context = context && !context->is_none();
  Value task;
  if (l->task_factory.is_none()) {
    task = new_task(l, a[0], Value(), has_context ? *context : Value());
  } else if (has_context) {
    Value pos[] = {Value::borrow(l), a[0], *context};
    std::vector<Value> kw = {intern("context")};
    task = call(l->task_factory, Args{pos, 2, pos + 2, &kw});
  } else {
    task = call(l->task_factory, {Value::borrow(l), a[0]});
  }
  if (task.is_raised() || !name || name->is_none()) return task;
  Value r = call_method(task, "set_name", {*name});
  return r.is_raised() ? r : task;
}

Value fn_iscoroutine(const Args& a) {
  if (!check_args(a, "iscoroutine", 1, 1)) return Value::raised();
  return Value::boolean(is_exact(a[0], types.coroutine) || is_native_coroutine(a[0]));
}

// True for `async def` functions (and bound methods of them); @coroutine marks the rest.
Value fn_iscoroutinefunction(const Args& a) {
  if (!check_args(a, "iscoroutinefunction", 1, 1)) return Value::raised();
  Value f = is_exact(a[0], types.method) ? as<MethodObj>(a[0])->func : a[0];
  if (is_exact(f, types.native) && is_native_coroutine_function(as<NativeObj>(f)->fn)) return Value::boolean(true);
  if (is_exact(f, types.function) && (as<FunctionObj>(f)->code->flags & kCoroutine)) return Value::boolean(true);
  Value marked;
  int r = getattr_opt(f, intern("_is_coroutine"), marked);
  if (r < 0) return Value::raised();
  return Value::boolean(r > 0 && marked.is(Value::boolean(true)));
}

Value fn_isfuture(const Args& a) {
  if (!check_args(a, "isfuture", 1, 1)) return Value::raised();
  return Value::boolean(is_future(a[0]));
}

struct Method {
  const char* name;
  NativeFn fn;
};

const Method kTaskMethods[] = {
    {"__new__", task_new},
    {"__init__", task_init},
    {"cancel", task_cancel},
    {"cancelling", task_cancelling},
    {"uncancel", task_uncancel},
    {"get_coro", task_get_coro},
    {"get_name", task_get_name},
    {"set_name", task_set_name},
    {"get_context", task_get_context},
    {"get_stack", task_get_stack},
    {"print_stack", task_print_stack},
    {"set_result", task_set_result},
    {"set_exception", task_set_exception},
    {"__repr__", task_repr_m},
};

}  // namespace

void init_asyncio_task_type() {
  for (const Method& m : kTaskMethods) add_method(aio_types.task, m.name, m.fn);
  Type* s = aio_types.sleep;
  s->send = sleep_send;
  add_send_methods(s);
  add_method(s, "close", sleep_close);
  add_method(s, "__repr__", sleep_repr);
}

void add_task_functions(const Value& module) {
  add_function(module, "sleep", sleep_fn);
  add_function(module, "current_task", fn_current_task);
  add_function(module, "all_tasks", fn_all_tasks);
  add_function(module, "ensure_future", fn_ensure_future);
  add_function(module, "create_task", fn_create_task);
  add_function(module, "iscoroutine", fn_iscoroutine);
  add_function(module, "isfuture", fn_isfuture);
  add_function(module, "iscoroutinefunction", fn_iscoroutinefunction);
}

}  // namespace aio
