// Ctrl-C under asyncio.run, as CPython's Runner handles it: the first SIGINT cancels the main
// task (its finally blocks and cleanup run), a second raises KeyboardInterrupt at once (where
// the program is, even in code that never yields); a main task that ends cancelled because of
// Ctrl-C ends the program with KeyboardInterrupt.
#include <optional>

#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/interrupt.h"
#include "interp/ops.h"
#include "stdlib/asyncio.h"

namespace aio {

namespace {

struct MainRun {
  Value task;
  int interrupts = 0;
};

// The first Ctrl-C cancels the main task, a second raises KeyboardInterrupt.
bool on_sigint(void* p) {
  auto& run = *static_cast<MainRun*>(p);
  if (++run.interrupts == 1 && !future_done(as<FutureObj>(run.task))) {
    if (call_method(run.task, "cancel", {}).is_raised()) take_exception();
    return true;
  }
  raise_value(make_exception(exc.KeyboardInterrupt, {}));
  return false;
}

// _run_main_task(loop, task): loop.run_until_complete(task) with Ctrl-C handled as above.
Value fn_run_main_task(const Args& a) {
  if (!check_args(a, "_run_main_task", 2, 2)) return Value::raised();
  LoopObj* l = loop_of(a[0]);
  if (!l || !is_future(a[1])) return raise(exc.TypeError, "_run_main_task(loop, task)");
  MainRun run{a[1]};
  // Only where nobody else has taken Ctrl-C over (CPython: the default handler, main thread).
  bool handled = interrupt_thread() && interrupt_default() && watch_interrupts(l);
  std::optional<InterruptScope> scope;
  if (handled) scope.emplace(on_sigint, &run);
  Value r = call_method(a[0], "run_until_complete", {a[1]});
  scope.reset();
  if (handled) unwatch_interrupts(l);
  if (!r.is_raised() || run.interrupts == 0 || !exception_matches(aio_types.CancelledError)) return r;
  Value cancelled = take_exception();
  Value left = call_method(a[1], "uncancel", {});
  if (left.is_raised()) return left;
  if (!left.is_int() || left.as_int() != 0) return raise_value(cancelled);
  Value interrupt = make_exception(exc.KeyboardInterrupt, {});
  as<ExcObj>(interrupt)->context = cancelled;
  return raise_value(interrupt);
}

}  // namespace

bool watch_interrupts(LoopObj* l) {
  if (interrupt_fd() < 0) return false;
  return l->loop->set_wakeup(interrupt_fd(), [l] {
    if (!interrupt_poll()) loop_fatal(l, take_exception());
  }) == 0;
}

void unwatch_interrupts(LoopObj* l) { l->loop->set_wakeup(-1, {}); }

void add_sigint_functions(const Value& module) { add_function(module, "_run_main_task", fn_run_main_task); }

}  // namespace aio
