// Ctrl-C under asyncio.run, as CPython's Runner handles it: the first SIGINT cancels the main
// task (its finally blocks and cleanup run), a second raises KeyboardInterrupt at once; a main
// task that ends cancelled because of Ctrl-C ends the program with KeyboardInterrupt.
#include <signal.h>

#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "stdlib/asyncio.h"

namespace aio {

namespace {

struct MainRun {
  LoopObj* loop;
  Value task;
  int interrupts = 0;
};

void on_sigint(MainRun& run) {
  if (++run.interrupts == 1 && !future_done(as<FutureObj>(run.task))) {
    if (call_method(run.task, "cancel", {}).is_raised()) take_exception();
    return;
  }
  loop_fatal(run.loop, make_exception(exc.KeyboardInterrupt, {}));
}

// Only where nobody else has claimed SIGINT (CPython: the default handler on the main thread).
bool sigint_unclaimed() {
  struct sigaction sa;
  return sigaction(SIGINT, nullptr, &sa) == 0 && sa.sa_handler == SIG_DFL;
}

// _run_main_task(loop, task): loop.run_until_complete(task) with Ctrl-C handled as above.
Value fn_run_main_task(const Args& a) {
  if (!check_args(a, "_run_main_task", 2, 2)) return Value::raised();
  LoopObj* l = loop_of(a[0]);
  if (!l || !is_future(a[1])) return raise(exc.TypeError, "_run_main_task(loop, task)");
  MainRun run{l, a[1]};
  bool handled = sigint_unclaimed() && l->loop->add_signal_handler(SIGINT, [&run] { on_sigint(run); }) == 0;
  Value r = call_method(a[0], "run_until_complete", {a[1]});
  if (handled) l->loop->remove_signal_handler(SIGINT);
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

void add_sigint_functions(const Value& module) { add_function(module, "_run_main_task", fn_run_main_task); }

}  // namespace aio
