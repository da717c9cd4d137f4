// sys: the interpreter's state as the script sees it (argv, modules, path, streams, limits).
#include <unistd.h>

#include <climits>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/std_streams.h"
#include "stdlib/stdlib.h"
#include "stdlib/structseq.h"

namespace aio {

extern int recursion_limit;  // function.cpp: the depth at which calls raise RecursionError

namespace {

constexpr int kMajor = 3, kMinor = 11, kMicro = 7;

Value sys_exit(const Args& a) {
  if (!check_args(a, "exit", 0, 1)) return Value::raised();
  std::vector<Value> args(a.pos, a.pos + a.npos);
  return raise_value(make_exception(exc.SystemExit, std::move(args)));
}

Value sys_getrecursionlimit(const Args& a) {
  if (!check_args(a, "getrecursionlimit", 0, 0)) return Value::raised();
  return Value::integer(recursion_limit);
}

Value sys_setrecursionlimit(const Args& a) {
  int64_t n;
  if (!check_args(a, "setrecursionlimit", 1, 1)) return Value::raised();
  if (a[0].is_float()) return raise(exc.TypeError, "'float' object cannot be interpreted as an integer");
  if (!index_of(a[0], n)) return Value::raised();
  if (n < 1) return raise(exc.ValueError, "recursion limit must be greater or equal than 1");
  recursion_limit = static_cast<int>(std::min<int64_t>(n, INT_MAX));
  return Value();
}

// (type, value, traceback) of the exception being handled; Nones outside except blocks.
Value sys_exc_info(const Args& a) {
  if (!check_args(a, "exc_info", 0, 0)) return Value::raised();
  if (tstate->handling.empty() || tstate->handling.back().is_none())
    return new_tuple({Value(), Value(), Value()});
  const Value& e = tstate->handling.back();
  return new_tuple({Value::borrow(type_of(e)), e, Value()});
}

Value sys_exception(const Args& a) {
  if (!check_args(a, "exception", 0, 0)) return Value::raised();
  return tstate->handling.empty() ? Value() : tstate->handling.back();
}

Value version_info() {
  static Type* t = new_structseq_type("version_info", "sys.version_info",
                                      {"major", "minor", "micro", "releaselevel", "serial"});
  return new_structseq(t, {Value::integer(kMajor), Value::integer(kMinor), Value::integer(kMicro),
                           new_str(std::string_view("final")), Value::integer(0)});
}

std::string executable_path() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, n) : std::string();
}

Value str_list(const std::vector<std::string>& items) {
  std::vector<Value> out;
  for (const std::string& s : items) out.push_back(new_str(s));
  return new_list(std::move(out));
}

}  // namespace

void init_sys(const Value& module) {
  Interp* in = tstate->interp;
  DictObj* d = module_dict(module);
  auto set = [d](const char* name, Value v) { dict_set_str(d, intern(name), std::move(v)); };
  set("argv", str_list(in->argv));
  set("path", str_list({in->script_dir.empty() ? std::string(".") : in->script_dir}));
  set("modules", in->modules);
  set("stdout", stdout_object());
  set("stderr", stderr_object());
  set("stdin", stdin_object());
  set("__stdout__", stdout_object());
  set("__stderr__", stderr_object());
  set("__stdin__", stdin_object());
  std::string version = std::to_string(kMajor) + "." + std::to_string(kMinor) + "." +
                        std::to_string(kMicro) + " (aio)";
  set("version", new_str(version));
  set("version_info", version_info());
  set("hexversion", Value::integer(kMajor << 24 | kMinor << 16 | kMicro << 8 | 0xf0));
  set("platform", new_str(std::string_view("linux")));
  set("byteorder", new_str(std::string_view("little")));
  set("maxsize", Value::integer(INT64_MAX));
  set("executable", new_str(executable_path()));
  add_function(module, "exit", sys_exit);
  add_function(module, "getrecursionlimit", sys_getrecursionlimit);
  add_function(module, "setrecursionlimit", sys_setrecursionlimit);
  add_function(module, "exc_info", sys_exc_info);
  add_function(module, "exception", sys_exception);
  set_sys_dict(d);
}

}  // namespace aio
