// The event loop's I/O methods: fd watchers (add_reader/add_writer) and signal watchers over the
// runtime loop, and the methods written in aio in asyncio.selector_events (sock_*, transports,
// servers, add_signal_handler), which the loop forwards to that module on first use.
#include <sys/wait.h>

#include <utility>
#include <vector>

#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/asyncio.h"

namespace aio {

namespace {

LoopObj* self_loop(const Args& a) { return as<LoopObj>(a[0]); }

// An fd, or an object with fileno(), as selectors' _fileobj_to_fd takes it; -1 when raised.
int fd_arg(const Value& v) {
  int64_t fd;
  if (v.is_int()) {
    fd = v.as_int();
  } else {
    Value n = call_method(v, "fileno", {});
    if (n.is_raised() || !index_of(n, fd)) {
      take_exception();
      std::string r;
      if (!repr_string(v, r)) return -1;
      raise(exc.ValueError, "Invalid file object: " + r);
      return -1;
    }
  }
  if (fd < 0) {
    raise(exc.ValueError, "Invalid file descriptor: " + std::to_string(fd));
    return -1;
  }
  return static_cast<int>(fd);
}

// A watcher's callback: runs the Handle for fn(*args) each time the fd or signal is ready.
rt::Callback handle_runner(const Value& handle) {
  return [handle] { run_handle(handle); };
}

using AddWatch = rt::Errno (rt::Loop::*)(int, rt::Callback);
using RemoveWatch = bool (rt::Loop::*)(int);

// add_reader(fd, callback, *args) / add_writer: replaces an earlier callback for that fd.
template <AddWatch Add>
Value add_fd_watch(const Args& a) {
  if (a.npos < 3) return raise(exc.TypeError, "missing callback argument");
  LoopObj* l = self_loop(a);
  if (l->closed) return raise(exc.RuntimeError, "Event loop is closed");
  int fd = fd_arg(a[1]);
  if (fd < 0) return Value::raised();
  Value handle = new_handle(a[0], a[2], std::vector<Value>(a.pos + 3, a.pos + a.npos));
  if (rt::Errno err = (l->loop.get()->*Add)(fd, handle_runner(handle))) return raise_os_error(err);
  return Value();
}

// remove_reader(fd) / remove_writer: True if a callback was registered.
template <RemoveWatch Remove>
Value remove_fd_watch(const Args& a) {
  if (!check_args(a, "remove_reader", 2, 2)) return Value::raised();
  LoopObj* l = self_loop(a);
  if (l->closed) return Value::boolean(false);
  int fd = fd_arg(a[1]);
  if (fd < 0) return Value::raised();
  return Value::boolean((l->loop.get()->*Remove)(fd));
}

// _add_signal_watch(sig, callback, *args): callback(*args) whenever sig arrives (the core of
// add_signal_handler, which asyncio.selector_events checks the arguments for).
Value add_signal_watch(const Args& a) {
  int64_t sig;
  if (a.npos < 3) return raise(exc.TypeError, "missing callback argument");
  if (!index_of(a[1], sig)) return Value::raised();
  Value handle = new_handle(a[0], a[2], std::vector<Value>(a.pos + 3, a.pos + a.npos));
  if (rt::Errno err = self_loop(a)->loop->add_signal_handler(static_cast<int>(sig), handle_runner(handle)))
    return raise_os_error(err);
  return Value();
}

Value remove_signal_watch(const Args& a) {
  int64_t sig;
  if (!check_args(a, "_remove_signal_watch", 2, 2) || !index_of(a[1], sig)) return Value::raised();
  return Value::boolean(self_loop(a)->loop->remove_signal_handler(static_cast<int>(sig)));
}

// A waitpid status as Popen.returncode reports it: the exit code, or -signum when killed.
int64_t returncode_of(int status) {
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WEXITSTATUS(status);
}

// _watch_child(pid, callback): callback(returncode) on the loop once pid exits (the loop reaps it).
Value watch_child(const Args& a) {
  int64_t pid;
  if (!check_args(a, "_watch_child", 3, 3) || !index_of(a[1], pid)) return Value::raised();
  LoopObj* l = self_loop(a);
  if (l->closed) return raise(exc.RuntimeError, "Event loop is closed");
  Value target = new_tuple({a[0], a[2]});  // (loop, callback): one captured word pair
  rt::Errno err = l->loop->watch_child(static_cast<pid_t>(pid), [target](int status) {
    const TupleObj* t = as<TupleObj>(target);
    run_handle(new_handle(t->items[0], t->items[1], {Value::integer(returncode_of(status))}));
  });
  if (err) return raise_os_error(err);
  return Value();
}

// loop.NAME(*args, **kwargs) is asyncio.selector_events.NAME(loop, *args, **kwargs).
template <const char* Name>
Value forward(const Args& a) {
  Value module = import_module("asyncio.selector_events", nullptr);
  if (module.is_raised()) return module;
  Value fn = getattr(module, Name);
  if (fn.is_raised()) return fn;
  return call(fn, a);
}

constexpr char kSockRecv[] = "sock_recv";
constexpr char kSockSendall[] = "sock_sendall";
constexpr char kSockConnect[] = "sock_connect";
constexpr char kSockAccept[] = "sock_accept";
constexpr char kGetaddrinfo[] = "getaddrinfo";
constexpr char kCreateConnection[] = "create_connection";
constexpr char kCreateServer[] = "create_server";
constexpr char kCreateUnixConnection[] = "create_unix_connection";
constexpr char kCreateUnixServer[] = "create_unix_server";
constexpr char kAddSignalHandler[] = "add_signal_handler";
constexpr char kRemoveSignalHandler[] = "remove_signal_handler";

struct Method {
  const char* name;
  NativeFn fn;
};

const Method kMethods[] = {
    {"add_reader", add_fd_watch<&rt::Loop::add_reader>},
    {"add_writer", add_fd_watch<&rt::Loop::add_writer>},
    {"remove_reader", remove_fd_watch<&rt::Loop::remove_reader>},
    {"remove_writer", remove_fd_watch<&rt::Loop::remove_writer>},
    {"_add_signal_watch", add_signal_watch},
    {"_remove_signal_watch", remove_signal_watch},
    {"_watch_child", watch_child},
    {kSockRecv, forward<kSockRecv>},
    {kSockSendall, forward<kSockSendall>},
    {kSockConnect, forward<kSockConnect>},
    {kSockAccept, forward<kSockAccept>},
    {kGetaddrinfo, forward<kGetaddrinfo>},
    {kCreateConnection, forward<kCreateConnection>},
    {kCreateServer, forward<kCreateServer>},
    {kCreateUnixConnection, forward<kCreateUnixConnection>},
    {kCreateUnixServer, forward<kCreateUnixServer>},
    {kAddSignalHandler, forward<kAddSignalHandler>},
    {kRemoveSignalHandler, forward<kRemoveSignalHandler>},
};

}  // namespace

void init_asyncio_io_methods() {
  for (const Method& m : kMethods) add_method(aio_types.loop, m.name, m.fn);
}

}  // namespace aio
