// os's file-descriptor calls: open, close, read, write, dup, fdopen, pipe, get/set_blocking and the O_* flags:
// what tempfile.mkstemp, subprocess and low-level scripts use (os.kill is in mod_os.cpp).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/file.h"
#include "stdlib/native_args.h"
#include "stdlib/path_arg.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

constexpr int64_t kDefaultFileMode = 0777;

bool fd_arg(const Value& v, int& fd) {
  int64_t n;
  if (!index_of(v, n)) return false;
  fd = int(n);
  return true;
}

Value os_open(const Args& a) {
  std::string p;
  int64_t flags, mode = kDefaultFileMode;
  const Value* path = arg_or_kw(a, 0, "path");
  const Value* fl = arg_or_kw(a, 1, "flags");
  const Value* md = arg_or_kw(a, 2, "mode");
  if (!path) return raise(exc.TypeError, "open() missing required argument 'path' (pos 1)");
  if (!fl) return raise(exc.TypeError, "open() missing required argument 'flags' (pos 2)");
  if (!path_arg(*path, p) || !index_of(*fl, flags) || (md && !index_of(*md, mode))) return Value::raised();
  int fd = open(p.c_str(), int(flags) | O_CLOEXEC, mode_t(mode));
  if (fd < 0) return raise_os_error(errno, p);
  return Value::integer(fd);
}

Value os_close(const Args& a) {
  int fd;
  if (!check_args(a, "close", 1, 1) || !fd_arg(a[0], fd)) return Value::raised();
  if (close(fd) != 0) return raise_os_error(errno);
  return Value();
}

Value os_read(const Args& a) {
  int fd;
  int64_t n;
  if (!check_args(a, "read", 2, 2) || !fd_arg(a[0], fd) || !index_of(a[1], n)) return Value::raised();
  if (n < 0) return raise_os_error(EINVAL);
  std::string buf(size_t(n), '\0');
  ssize_t got;
  do got = read(fd, buf.data(), buf.size());
  while (got < 0 && errno == EINTR);
  if (got < 0) return raise_os_error(errno);
  buf.resize(size_t(got));
  return new_bytes(std::move(buf));
}

Value os_write(const Args& a) {
  int fd;
  if (!check_args(a, "write", 2, 2) || !fd_arg(a[0], fd)) return Value::raised();
  if (!is_byteslike(a[1])) return raise(exc.TypeError, "a bytes-like object is required, not '" + type_name(a[1]) + "'");
  const std::string& data = bytes_of(a[1]);
  ssize_t put;
  do put = write(fd, data.data(), data.size());
  while (put < 0 && errno == EINTR);
  if (put < 0) return raise_os_error(errno);
  return Value::integer(put);
}

Value os_dup(const Args& a) {
  int fd;
  if (!check_args(a, "dup", 1, 1) || !fd_arg(a[0], fd)) return Value::raised();
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return raise_os_error(errno);
  return Value::integer(copy);
}

Value os_pipe(const Args& a) {
  if (!check_args(a, "pipe", 0, 0)) return Value::raised();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return raise_os_error(errno);
  return new_tuple({Value::integer(fds[0]), Value::integer(fds[1])});
}

// fdopen(fd, *args, **kwargs) is open(fd, *args, **kwargs).
Value os_fdopen(const Args& a) {
  if (a.npos == 0) return raise(exc.TypeError, "fdopen() missing 1 required positional argument: 'fd'");
  if (!a[0].is_int()) return raise(exc.TypeError, "invalid fd type (<class '" + type_name(a[0]) + "'>, expected integer)");
  return builtin_open(a);
}

Value os_get_blocking(const Args& a) {
  int fd;
  if (!check_args(a, "get_blocking", 1, 1) || !fd_arg(a[0], fd)) return Value::raised();
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return raise_os_error(errno);
  return Value::boolean(!(flags & O_NONBLOCK));
}

// set_blocking(fd, blocking): what asyncio's pipe transports need for non-blocking reads.
Value os_set_blocking(const Args& a) {
  int fd;
  if (!check_args(a, "set_blocking", 2, 2) || !fd_arg(a[0], fd)) return Value::raised();
  int blocking = truthy(a[1]);
  if (blocking < 0) return Value::raised();
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return raise_os_error(errno);
  flags = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK;
  if (fcntl(fd, F_SETFL, flags) < 0) return raise_os_error(errno);
  return Value();
}

}  // namespace

void init_os_fd(const Value& module) {
  add_function(module, "open", os_open);
  add_function(module, "close", os_close);
  add_function(module, "read", os_read);
  add_function(module, "write", os_write);
  add_function(module, "dup", os_dup);
  add_function(module, "fdopen", os_fdopen);
  add_function(module, "pipe", os_pipe);
  add_function(module, "get_blocking", os_get_blocking);
  add_function(module, "set_blocking", os_set_blocking);
  struct Flag { const char* name; int value; };
  static const Flag flags[] = {
      {"O_RDONLY", O_RDONLY}, {"O_WRONLY", O_WRONLY}, {"O_RDWR", O_RDWR},       {"O_APPEND", O_APPEND},
      {"O_CREAT", O_CREAT},   {"O_EXCL", O_EXCL},     {"O_TRUNC", O_TRUNC},     {"O_NONBLOCK", O_NONBLOCK},
      {"O_CLOEXEC", O_CLOEXEC}, {"O_NOFOLLOW", O_NOFOLLOW}, {"O_DIRECTORY", O_DIRECTORY},
  };
  for (const Flag& f : flags) dict_set_str(module_dict(module), intern(f.name), Value::integer(f.value));
}

}  // namespace aio
