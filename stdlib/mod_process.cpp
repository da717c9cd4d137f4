// _process: runs one call in a forked child and brings its outcome back serialized through a
// pipe (the workers of concurrent.futures.ProcessPoolExecutor, one child per call).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/serialize.h"
#include "stdlib/std_streams.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

// A child's report: one of these bytes, then a serialized tuple: (output, value) after a return,
// (output, exception, traceback text) after a raise. `output` is what it printed to stdout.
constexpr char kReturned = 'R';
constexpr char kRaised = 'E';
// Where the executor's script-level classes live (BrokenProcessPool, _RemoteTraceback).
constexpr const char* kFuturesModule = "concurrent.futures";
constexpr const char* kAbrupt =
    "A process in the process pool was terminated abruptly while the future was running or pending.";
constexpr const char* kMalformed = "malformed report from a worker process";
constexpr size_t kReadChunk = 1 << 16;

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(size_t(n));
  }
  return true;
}

void read_all(int fd, std::string& out) {
  char buf[kReadChunk];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    out.append(buf, size_t(n));
  }
}

bool make_report(char kind, std::vector<Value>&& items, std::string& report) {
  report.assign(1, kind);
  return serialize(new_tuple(std::move(items)), report);
}

bool report_raised(const Value& output, const Value& e, std::string& report) {
  return make_report(kRaised, {output, e, new_str(format_exception(e))}, report);
}

// In the child: make the call, report, and leave without running any of the parent's exit work.
// An outcome that cannot cross is replaced by the error that says why (as CPython's worker sends
// back the pickling error); when even that fails the report is empty, which reads as a crash.
[[noreturn]] void child_main(int fd, const Value& fn, const Value& args, const Value& kwargs) {
  take_stdout();  // the parent's unwritten output: the parent writes it, not us
  capture_stdout();
  Value r = call(fn, SpreadArgs(args, kwargs).args());
  Value output = new_str(take_stdout());
  std::string report;
  bool ok = !r.is_raised() && make_report(kReturned, {output, r}, report);
  if (!ok) ok = report_raised(output, take_exception(), report) || report_raised(output, take_exception(), report);
  if (!ok) {
    take_exception();
    report.clear();
  }
  fflush(stderr);
  _exit(write_all(fd, report) ? EXIT_SUCCESS : EXIT_FAILURE);
}

// A class of concurrent.futures by name, or `fallback` when that module is not loaded.
Type* futures_class(const char* name, Type* fallback) {
  Value cls = lookup_global(kFuturesModule, name);
  if (cls.is_raised()) {
    take_exception();
    return fallback;
  }
  return isinstance(cls, types.type) ? as<Type>(cls) : fallback;
}

// Raises the child's exception with its traceback text attached as the cause, as CPython does.
Value raise_remote(const Value& e, const Value& traceback) {
  if (!is_exception(e) || !is_str(traceback)) return raise(exc.ValueError, kMalformed);
  if (Type* remote = futures_class("_RemoteTraceback", nullptr)) {
    Value cause = call(Value::borrow(remote), {new_str("\n\"\"\"\n" + str_of(traceback) + "\"\"\"")});
    if (cause.is_raised()) return cause;
    as<ExcObj>(e)->cause = cause;
    as<ExcObj>(e)->suppress_context = true;
  }
  return raise_value(e);
}

// The parent's side: wait (letting other threads run) for the report and the child's end, then
// write the child's output and return or raise its outcome.
Value collect_child(pid_t pid, int fd) {
  std::string report;
  int status = 0;
  {
    GilReleased others_run;
    read_all(fd, report);
    close(fd);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  bool clean_exit = WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SUCCESS;
  if (!clean_exit || report.empty() || (report[0] != kReturned && report[0] != kRaised))
    return raise(futures_class("BrokenProcessPool", exc.RuntimeError), kAbrupt);
  Value outcome = deserialize(std::string_view(report).substr(1));
  if (outcome.is_raised()) return outcome;
  size_t expected = report[0] == kReturned ? 2 : 3;
  if (!is_exact(outcome, types.tuple) || tuple_items(outcome).size() != expected || !is_str(tuple_items(outcome)[0]))
    return raise(exc.ValueError, kMalformed);
  const std::vector<Value>& parts = tuple_items(outcome);
  write_stdout(str_of(parts[0]));
  return report[0] == kReturned ? parts[1] : raise_remote(parts[1], parts[2]);
}

// run_forked(fn, args, kwargs): fn(*args, **kwargs) in a forked child; its return value, or
// its exception raised here.
Value run_forked(const Args& a) {
  if (!check_args(a, "run_forked", 3, 3) || !no_kwargs(a, "run_forked")) return Value::raised();
  if (!is_exact(a[1], types.tuple)) return raise(exc.TypeError, "run_forked() args must be a tuple");
  if (!a[2].is_none() && !is_exact(a[2], types.dict))
    return raise(exc.TypeError, "run_forked() kwargs must be a dict");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return raise_os_error(errno);
  fflush(stdout);  // C stdio buffers would be written twice, once by each process
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return raise_os_error(err);
  }
  if (pid == 0) {
    close(fds[0]);
    child_main(fds[1], a[0], a[1], a[2]);
  }
  close(fds[1]);
  return collect_child(pid, fds[0]);
}

}  // namespace

void init_process(const Value& module) { add_function(module, "run_forked", run_forked); }

}  // namespace aio
