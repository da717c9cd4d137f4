// _signal: what signal.aio needs from the process. A script handler is recorded by
// interp/interrupt.cpp when the signal arrives and run on the main thread at the interpreter's
// next check (as CPython runs them between bytecodes), through signal._run_handler.
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/interp.h"
#include "interp/interrupt.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

bool signal_arg(const Value& v, int& out) {
  int64_t n;
  if (!index_of(v, n)) return false;
  if (n < 1 || n >= NSIG) {
    raise(exc.ValueError, "signal number out of range");
    return false;
  }
  out = static_cast<int>(n);
  return true;
}

// signal._run_handler(sig): calls the handler the script set for sig.
bool run_script_handler(int sig) {
  Value module = import_module("signal", nullptr);
  if (module.is_raised()) return false;
  return !call_method(module, "_run_handler", {Value::integer(sig)}).is_raised();
}

// set_action(signalnum, action): 0 SIG_DFL, 1 SIG_IGN, 2 KeyboardInterrupt, 3 a script handler.
Value sig_set_action(const Args& a) {
  int sig;
  int64_t action;
  if (!check_args(a, "set_action", 2, 2) || !signal_arg(a[0], sig) || !index_of(a[1], action)) return Value::raised();
  if (action < 0 || action > static_cast<int64_t>(SignalAction::Script)) return raise(exc.ValueError, "bad action");
  if (int err = signal_set_action(sig, static_cast<SignalAction>(action))) return raise_os_error(err);
  return Value();
}

// raise_signal(signalnum): the handler runs before it returns, as in CPython.
Value sig_raise_signal(const Args& a) {
  int sig;
  if (!check_args(a, "raise_signal", 1, 1) || !signal_arg(a[0], sig)) return Value::raised();
  if (::raise(sig) != 0) return raise_os_error(errno);
  return interrupt_check() ? Value() : Value::raised();
}

Value sig_alarm(const Args& a) {
  int64_t seconds;
  if (!check_args(a, "alarm", 1, 1) || !index_of(a[0], seconds)) return Value::raised();
  return Value::integer(alarm(static_cast<unsigned>(seconds)));
}

// pause(): sleeps until a signal is acted on (its handler runs, or raises).
Value sig_pause(const Args& a) {
  if (!check_args(a, "pause", 0, 0)) return Value::raised();
  {
    GilReleased others_run;
    interrupt_wait(-1, 0, -1);
  }
  return interrupt_check() ? Value() : Value::raised();
}

}  // namespace

void init_signal_native(const Value& module) {
  set_signal_runner(run_script_handler);
  add_function(module, "set_action", sig_set_action);
  add_function(module, "raise_signal", sig_raise_signal);
  add_function(module, "alarm", sig_alarm);
  add_function(module, "pause", sig_pause);
}

}  // namespace aio
