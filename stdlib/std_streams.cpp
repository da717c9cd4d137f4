// The standard streams: the stdout buffer and the sys.stdout / sys.stderr objects.
#include "stdlib/std_streams.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/file.h"

namespace aio {

namespace {

constexpr size_t kFlushThreshold = 1 << 16;  // bytes buffered before a write(2)

struct StdoutBuffer {
  std::string data;
  bool tty = isatty(STDOUT_FILENO) != 0;  // a terminal sees each line as it is printed
  bool registered = false;
  bool captured = false;  // kept for take_stdout: never written here
  bool unbuffered = false;
  int failed = 0;  // errno of a write that failed, until stdout_written reports it
};

StdoutBuffer& out_buffer() {
  static StdoutBuffer b;
  return b;
}

DictObj* sys_dict = nullptr;  // borrowed: sys lives in sys.modules for the whole run

// sys.stdout and sys.stderr: write/flush/fileno over a file descriptor.
struct StreamObj : Object {
  int fd;
  const char* name;
  StreamObj(Type* t, int f, const char* n) : Object(t), fd(f), name(n) {}
};

Type* stream_type() {
  static Type* t = new Type("TextIOWrapper", types.object);
  return t;
}

void write_fd(int fd, std::string_view text) {
  if (fd == STDOUT_FILENO) write_stdout(text);
  else write_stderr(text);
}

Value stream_write(const Args& a) {
  if (!check_args(a, "write", 2, 2)) return Value::raised();
  if (!is_str(a[1]))
    return raise(exc.TypeError, "write() argument must be str, not " + type_name(a[1]));
  int fd = as<StreamObj>(a[0])->fd;
  write_fd(fd, str_of(a[1]));
  if (fd == STDOUT_FILENO && !stdout_written()) return Value::raised();
  return Value::integer(static_cast<int64_t>(as<StrObj>(a[1])->length));
}

Value stream_flush(const Args& a) {
  if (as<StreamObj>(a[0])->fd == STDOUT_FILENO) flush_stdout();
  if (!stdout_written()) return Value::raised();
  return Value();
}

Value stream_fileno(const Args& a) { return Value::integer(as<StreamObj>(a[0])->fd); }
Value stream_isatty(const Args& a) { return Value::boolean(isatty(as<StreamObj>(a[0])->fd) != 0); }
Value stream_true(const Args&) { return Value::boolean(true); }
Value stream_false(const Args&) { return Value::boolean(false); }

Value stream_repr(const Args& a) {
  return new_str(std::string("<_io.TextIOWrapper name='") + as<StreamObj>(a[0])->name +
                 "' mode='w' encoding='utf-8'>");
}

Value make_stream(int fd, const char* name) {
  static bool ready = false;
  Type* t = stream_type();
  if (!ready) {
    ready = true;
    t->module = "_io";
    add_method(t, "write", stream_write);
    add_method(t, "flush", stream_flush);
    add_method(t, "fileno", stream_fileno);
    add_method(t, "isatty", stream_isatty);
    add_method(t, "writable", stream_true);
    add_method(t, "readable", stream_false);
    add_method(t, "__repr__", stream_repr);
    add_attr(t, "encoding", intern("utf-8"));
  }
  return Value::adopt(new StreamObj(t, fd, name));
}

}  // namespace

void flush_stdout() {
  StdoutBuffer& b = out_buffer();
  if (b.data.empty() || b.captured) return;
  if (fwrite(b.data.data(), 1, b.data.size(), stdout) != b.data.size() || fflush(stdout) != 0) {
    b.failed = errno;
    clearerr(stdout);
  }
  b.data.clear();
}

bool stdout_written() {
  int err = std::exchange(out_buffer().failed, 0);
  if (!err) return true;
  raise_os_error(err);
  return false;
}

void capture_stdout() {
  StdoutBuffer& b = out_buffer();
  b.captured = !b.tty;
}

std::string take_stdout() { return std::exchange(out_buffer().data, {}); }

void write_stdout(std::string_view text) {
  StdoutBuffer& b = out_buffer();
  if (!b.registered) {
    b.registered = true;
    std::atexit(flush_stdout);
  }
  b.data.append(text);
  if (b.unbuffered || b.data.size() >= kFlushThreshold || (b.tty && text.find('\n') != std::string_view::npos))
    flush_stdout();
}

void set_stdout_unbuffered() { out_buffer().unbuffered = true; }

void write_stderr(std::string_view text) {
  flush_stdout();
  fwrite(text.data(), 1, text.size(), stderr);
  fflush(stderr);
}

Value stdout_object() {
  static Value v = make_stream(STDOUT_FILENO, "<stdout>");
  return v;
}

Value stderr_object() {
  static Value v = make_stream(STDERR_FILENO, "<stderr>");
  return v;
}

Value stdin_object() {
  static Value v = wrap_file(stdin, "<stdin>", "r", false);
  return v;
}

void set_sys_dict(DictObj* d) { sys_dict = d; }

Value redirected_stdout() {
  if (!sys_dict) return Value();
  Value* v = dict_find_str(sys_dict, intern("stdout"));
  if (!v || v->is(stdout_object())) return Value();
  return *v;
}

}  // namespace aio
