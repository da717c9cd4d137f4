// The REPL session. Each input is compiled as an interactive chunk in __main__. A chunk that
// awaits runs as a task on the session's loop; any other chunk runs directly, with the loop
// marked as running so create_task works and asyncio.run / run_until_complete await on it.
// Ctrl-C during a statement cancels what it awaits; a second one interrupts it outright, and
// code that awaits nothing (a busy loop, time.sleep) is interrupted at once. input() reads
// through the session's reader.
#include "cli/repl.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/completion.h"
#include "cli/repl_input.h"
#include "interp/code.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/generator.h"
#include "interp/gil.h"
#include "interp/interrupt.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/asyncio.h"
#include "stdlib/line_input.h"
#include "stdlib/std_streams.h"

namespace aio {

namespace {

constexpr const char* kPrompt = ">>> ";
constexpr const char* kMore = "... ";
constexpr const char* kFilename = "<stdin>";
constexpr const char* kHistoryFile = ".aio_history";
constexpr const char* kBanner =
    "aio 0.1 (Python 3.11 compatible) on linux\n"
    "\"await\" works at the prompt, and asyncio is imported. Ctrl-D exits.\n";

struct Session {
  Value loop;
  LoopObj* l = nullptr;
  Value globals;  // __main__'s dict
  std::unique_ptr<cli::ReplInput> input;
  bool in_statement = false;  // Ctrl-C only means something while a statement runs
  int interrupts = 0;         // Ctrl-C presses during the current statement
  bool terminal = false;
};

std::string history_path() {
  const char* home = getenv("HOME");
  if (!home || !*home) {
    passwd* pw = getpwuid(getuid());
    home = pw ? pw->pw_dir : nullptr;
  }
  return home ? std::string(home) + "/" + kHistoryFile : std::string();
}

void flush_output() {
  flush_stdout();
  fflush(stdout);
  fflush(stderr);
}

// Ctrl-C while a statement runs: the first cancels the future the loop is waiting for (the
// statement's task, or what asyncio.run awaits), if any; otherwise, or on a second press, it
// raises KeyboardInterrupt. At the prompt Ctrl-C is a key: a SIGINT sent by others is dropped.
bool on_sigint(void* p) {
  Session& s = *static_cast<Session*>(p);
  if (!s.in_statement) return true;
  if (++s.interrupts == 1 && is_future(s.l->until) && !future_done(as<FutureObj>(s.l->until))) {
    if (call_method(s.l->until, "cancel", {}).is_raised()) take_exception();
    return true;
  }
  raise_value(make_exception(exc.KeyboardInterrupt, {}));
  return false;
}

// input() in a statement: the line comes through the session's reader (the line editor on a
// terminal, where Ctrl-C is a key again), while the statement waits.
InputResult read_for_input(void* p, const std::string& prompt, std::string& line) {
  Session& s = *static_cast<Session*>(p);
  flush_output();
  std::string shown = prompt;
  if (!s.terminal) {  // python3 writes input()'s prompt on stdout; the reader would use stderr
    write_stdout(prompt);
    flush_output();
    shown.clear();
  }
  cli::ReadResult r;
  {
    GilReleased others_run;
    r = s.input->read_now(shown, line);
  }
  if (r == cli::ReadResult::Line) return InputResult::Line;
  return r == cli::ReadResult::Eof ? InputResult::Eof : InputResult::Interrupted;
}

// Waits for a line while the loop runs. False when the session must end (SystemExit).
bool read_input(Session& s, const char* prompt, std::string& line, cli::ReadResult& result, int& status) {
  Value fut = new_future(s.loop);
  flush_output();
  s.l->loop->hold();  // the input thread will report back: the loop must not call itself idle
  s.input->request(*s.l->loop, prompt, [fut, l = s.l]() {
    l->loop->release();
    future_set_result(as<FutureObj>(fut), Value());
  });
  while (!run_loop_until_done(s.l, fut)) {
    Value e = take_exception();
    if (isinstance(e, exc.SystemExit)) {
      status = report_uncaught(e);
      return false;
    }
    report_uncaught(e);  // a KeyboardInterrupt from a callback: the prompt stays
  }
  flush_output();
  result = s.input->take(line);
  return true;
}

// Reports a statement's exception; false (with the status) when it ends the session.
bool report(Session& s, const Value& e, int& status) {
  if (isinstance(e, exc.SystemExit)) {
    status = report_uncaught(e);
    return false;
  }
  // A statement cancelled by Ctrl-C says so in one line (a KeyboardInterrupt shows where it hit).
  if (s.interrupts > 0 && isinstance(e, aio_types.CancelledError)) {
    fflush(stdout);
    fputs("KeyboardInterrupt\n", stderr);
  } else {
    report_uncaught(e);
  }
  tstate->interp->interrupted = false;  // the session goes on
  return true;
}

// A chunk that awaits: its coroutine runs as a task while background tasks go on.
bool run_awaiting(Session& s, Frame* f) {
  Value task = ensure_future(make_module_coroutine(f), s.loop);
  if (task.is_raised()) return false;
  if (!run_loop_until_done(s.l, task)) {
    // Interrupted outright: the statement is abandoned, and told so.
    if (call_method(task, "cancel", {}).is_raised()) take_exception();
    return false;
  }
  return !future_result(as<FutureObj>(task)).is_raised();
}

bool run_direct(Session& s, Frame* f) {
  set_running_loop(s.l);
  Value out;
  bool ok = run_frame(f, out) != RunStatus::Raised;
  Frame::destroy(f);
  set_running_loop(nullptr);
  return ok;
}

// Runs one compiled input; false (with the status) when it ends the session.
bool execute(Session& s, const std::shared_ptr<Code>& code, int& status) {
  Frame* f = Frame::create(code, s.globals);
  s.in_statement = true;
  s.interrupts = 0;
  bool ok = (code->flags & kCoroutine) ? run_awaiting(s, f) : run_direct(s, f);
  s.in_statement = false;
  flush_output();
  return ok || report(s, take_exception(), status);
}

bool setup(Session& s, Interp& interp) {
  s.globals = Value::borrow(module_dict(main_module(interp, kFilename)));
  Value asyncio = import_module("asyncio", nullptr);
  if (asyncio.is_raised()) return false;
  dict_set_str(as<DictObj>(s.globals), intern("asyncio"), asyncio);
  s.loop = new_loop();
  s.l = loop_of(s.loop);
  if (call_method(asyncio, "set_event_loop", {s.loop}).is_raised()) return false;
  s.terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  Value globals = s.globals;
  s.input = std::make_unique<cli::ReplInput>(
      s.terminal, [globals](const std::string& before) { return cli::complete_names(globals, before); },
      history_path());
  watch_interrupts(s.l);
  set_input_reader(read_for_input, &s);
  return true;
}

}  // namespace

int run_repl(Interp& interp, const ReplOptions& options) {
  Session s;
  InterruptScope ctrl_c(on_sigint, &s);
  if (!setup(s, interp)) return report_uncaught(take_exception());
  if (options.banner) fputs(kBanner, stderr);
  std::string buffer;  // the lines of a statement not yet complete
  int status = 0;
  for (;;) {
    std::string line;
    cli::ReadResult r;
    if (!read_input(s, buffer.empty() ? kPrompt : kMore, line, r, status)) break;
    if (r == cli::ReadResult::Eof) {
      if (s.terminal) fputc('\n', stderr);
      break;
    }
    if (r == cli::ReadResult::Interrupted) {
      buffer.clear();
      fputs("KeyboardInterrupt\n", stderr);
      continue;
    }
    buffer += line + "\n";
    bool incomplete = false;
    std::string error;
    auto code = compile_interactive(buffer, kFilename, incomplete, error);
    if (incomplete) continue;
    buffer.clear();
    if (!code) {
      fputs(error.c_str(), stderr);
      continue;
    }
    if (!execute(s, code, status)) break;
  }
  unwatch_interrupts(s.l);
  set_input_reader(nullptr, nullptr);
  s.input.reset();
  return status;
}

}  // namespace aio
