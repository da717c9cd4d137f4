// Ctrl-C for all code, as CPython handles SIGINT: the signal handler only marks an interrupt
// pending (raising gil_drop_request too, so the interpreter's existing check at loop back-edges
// and calls sees it at no extra cost) and wakes blocking waits through interrupt_fd(). The
// interpreter's main thread then acts on it at its next check, through the current handler:
// by default it raises KeyboardInterrupt there.
#pragma once

namespace aio {

// Installs the SIGINT handler and makes the calling thread the one interrupts are acted on.
void interrupt_install();

// True on the thread interrupt_install ran on.
bool interrupt_thread();

bool interrupt_pending();

// Readable while an interrupt is pending: blocking waits on the main thread poll it too.
int interrupt_fd();

// Blocks (the GIL released by the caller) until fd is ready for `events` (fd -1: nothing to
// wait for), `seconds` pass (negative: no limit) or, on the interrupt thread, Ctrl-C arrives.
enum class WaitResult { Ready, TimedOut, Interrupted };
WaitResult interrupt_wait(int fd, short events, double seconds);

// On the interrupt thread: acts on a pending interrupt through the current handler. False
// when the handler raised (KeyboardInterrupt by default); true when none was pending.
bool interrupt_check();

// What Ctrl-C does, for a scope: asyncio.run and the REPL cancel what their loop awaits on the
// first press. The handler returns false with an exception raised.
using InterruptHandler = bool (*)(void* data);
class InterruptScope {
 public:
  InterruptScope(InterruptHandler handler, void* data);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  InterruptHandler saved_handler_;
  void* saved_data_;
};

// What a signal does for the script (the signal module's handlers). Interrupt and Script record
// it as Ctrl-C is recorded (any thread may take it) and act at the same checks: Interrupt
// through the handler stack above (SIGINT's default_int_handler), Script through the runner.
enum class SignalAction { Default, Ignore, Interrupt, Script };
int signal_set_action(int sig, SignalAction action);  // 0 or an errno value

// Runs the script's handler for sig on the interrupt thread; false with an exception raised.
using SignalRunner = bool (*)(int sig);
void set_signal_runner(SignalRunner runner);

// On the interrupt thread, for a loop woken by interrupt_fd(): takes the wake-up whether or not
// an interrupt is still pending (a check elsewhere may have acted on it), then acts as
// interrupt_check does.
bool interrupt_poll();

// True while SIGINT has the default action or our handler with the default behaviour, so that
// asyncio.run may take Ctrl-C over (CPython: only if the handler is default_int_handler).
bool interrupt_default();

}  // namespace aio
