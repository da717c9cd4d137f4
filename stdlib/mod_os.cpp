// os: the process and file-system calls scripts use, errors raised as OSError subclasses.
// os.environ is a dict snapshot of the environment; os.path is its own native module.
#include <dirent.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interrupt.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/native_args.h"
#include "stdlib/path_arg.h"
#include "stdlib/stdlib.h"

extern char** environ;

namespace aio {

namespace {

constexpr int64_t kDefaultDirMode = 0777;

Value environ_dict;  // os.environ, which getenv reads too

Value os_getcwd(const Args& a) {
  if (!check_args(a, "getcwd", 0, 0)) return Value::raised();
  char buf[PATH_MAX];
  if (!getcwd(buf, sizeof buf)) return raise_os_error(errno);
  return new_str(std::string_view(buf));
}

Value os_chdir(const Args& a) {
  std::string p;
  if (!check_args(a, "chdir", 1, 1) || !path_arg(a[0], p)) return Value::raised();
  if (chdir(p.c_str()) != 0) return raise_os_error(errno, p);
  return Value();
}

Value os_listdir(const Args& a) {
  std::string p = ".";
  if (!check_args(a, "listdir", 0, 1) || (a.npos == 1 && !path_arg(a[0], p))) return Value::raised();
  DIR* d = opendir(p.c_str());
  if (!d) return raise_os_error(errno, p);
  std::vector<Value> names;
  while (dirent* e = readdir(d)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") names.push_back(new_str(n));
  }
  closedir(d);
  return new_list(std::move(names));
}

// remove/unlink, rmdir: one path, one system call.
template <int (*Call)(const char*)>
Value path_call(const Args& a) {
  std::string p;
  if (!check_args(a, "remove", 1, 1) || !path_arg(a[0], p)) return Value::raised();
  if (Call(p.c_str()) != 0) return raise_os_error(errno, p);
  return Value();
}

bool dir_mode(const Args& a, int64_t& mode) {
  mode = kDefaultDirMode;
  const Value* m = arg_or_kw(a, 1, "mode");
  return !m || index_of(*m, mode);
}

Value os_mkdir(const Args& a) {
  std::string p;
  int64_t mode;
  const Value* path = arg_or_kw(a, 0, "path");
  if (!path) return raise(exc.TypeError, "mkdir() missing required argument 'path' (pos 1)");
  if (!path_arg(*path, p) || !dir_mode(a, mode)) return Value::raised();
  if (mkdir(p.c_str(), static_cast<mode_t>(mode)) != 0) return raise_os_error(errno, p);
  return Value();
}

Value os_makedirs(const Args& a) {
  std::string p;
  int64_t mode;
  const Value* name = arg_or_kw(a, 0, "name");
  const Value* exist_ok = arg_or_kw(a, 2, "exist_ok");
  if (!name) return raise(exc.TypeError, "makedirs() missing 1 required positional argument: 'name'");
  if (!path_arg(*name, p) || !dir_mode(a, mode)) return Value::raised();
  int ok = exist_ok ? truthy(*exist_ok) : 0;
  if (ok < 0) return Value::raised();
  // Each missing ancestor in turn, as os.makedirs does.
  for (size_t pos = p.find('/', 1); pos != std::string::npos; pos = p.find('/', pos + 1)) {
    std::string prefix = p.substr(0, pos);
    if (mkdir(prefix.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
      return raise_os_error(errno, prefix);
  }
  if (mkdir(p.c_str(), static_cast<mode_t>(mode)) == 0) return Value();
  struct stat st;
  if (errno == EEXIST && ok && stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Value();
  return raise_os_error(errno, p);
}

Value os_rename(const Args& a) {
  std::string from, to;
  if (!check_args(a, "rename", 2, 2) || !path_arg(a[0], from) || !path_arg(a[1], to)) return Value::raised();
  if (rename(from.c_str(), to.c_str()) != 0) return raise_os_error(errno, from, to);
  return Value();
}

Value os_getpid(const Args&) { return Value::integer(getpid()); }

// kill(pid, sig): a signal sent to this process is acted on before kill returns, as in CPython.
// The process's other threads could take it later, so it goes to this thread.
Value os_kill(const Args& a) {
  int64_t pid, sig;
  if (!check_args(a, "kill", 2, 2) || !index_of(a[0], pid) || !index_of(a[1], sig)) return Value::raised();
  if (pid == getpid()) {
    if (int err = pthread_kill(pthread_self(), static_cast<int>(sig))) return raise_os_error(err);
  } else if (kill(static_cast<pid_t>(pid), static_cast<int>(sig)) != 0) {
    return raise_os_error(errno);
  }
  return interrupt_check() ? Value() : Value::raised();
}

Value os_strerror(const Args& a) {
  int64_t code;
  if (!check_args(a, "strerror", 1, 1) || !index_of(a[0], code)) return Value::raised();
  return new_str(std::string(strerror(static_cast<int>(code))));
}

// os._exit(n): ends the process at once, with no cleanup and no flushing of buffered output.
Value os_exit(const Args& a) {
  int64_t status;
  if (!check_args(a, "_exit", 1, 1) || !index_of(a[0], status)) return Value::raised();
  _exit(int(status));
}

Value os_cpu_count(const Args&) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? Value::integer(n) : Value();
}

Value os_urandom(const Args& a) {
  int64_t n;
  if (!check_args(a, "urandom", 1, 1) || !index_of(a[0], n)) return Value::raised();
  if (n < 0) return raise(exc.ValueError, "negative argument not allowed");
  std::string buf(static_cast<size_t>(n), '\0');
  for (size_t got = 0; got < buf.size();) {
    ssize_t r = getrandom(buf.data() + got, buf.size() - got, 0);
    if (r < 0 && errno != EINTR) return raise_os_error(errno);
    if (r > 0) got += static_cast<size_t>(r);
  }
  return new_bytes(std::move(buf));
}

Value os_getenv(const Args& a) {
  const Value* key = arg_or_kw(a, 0, "key");
  const Value* dflt = arg_or_kw(a, 1, "default");
  if (!key) return raise(exc.TypeError, "getenv() missing 1 required positional argument: 'key'");
  if (!is_str(*key)) return raise(exc.TypeError, "str expected, not " + type_name(*key));
  Value out;
  Lookup r = dict_get(as_dict(environ_dict), *key, out);
  if (r == Lookup::Error) return Value::raised();
  if (r == Lookup::Found) return out;
  return dflt ? *dflt : Value();
}

Value environment_snapshot() {
  Value d = new_dict();
  for (char** e = environ; e && *e; e++) {
    std::string_view entry = *e;
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    if (!dict_set(as_dict(d), new_str(entry.substr(0, eq)), new_str(entry.substr(eq + 1)))) return Value::raised();
  }
  return d;
}

// os.path: the registered module, also reachable as sys.modules["os.path"].
Value os_path_module() {
  Value m = new_module("os.path");
  init_os_path(m);
  DictObj* modules = as_dict(tstate->interp->modules);
  dict_set(modules, intern("os.path"), m);
  return m;
}

}  // namespace

void init_os(const Value& module) {
  struct Entry { const char* name; NativeFn fn; };
  static const Entry entries[] = {
      {"getcwd", os_getcwd},     {"chdir", os_chdir},         {"listdir", os_listdir},
      {"remove", path_call<unlink>}, {"unlink", path_call<unlink>}, {"rmdir", path_call<rmdir>},
      {"mkdir", os_mkdir},       {"makedirs", os_makedirs},   {"rename", os_rename},
      {"replace", os_rename},    {"getpid", os_getpid},       {"cpu_count", os_cpu_count},
      {"urandom", os_urandom},   {"getenv", os_getenv},       {"_exit", os_exit},
      {"kill", os_kill},         {"strerror", os_strerror},
  };
  for (const Entry& e : entries) add_function(module, e.name, e.fn);
  init_os_stat(module);
  init_os_lib(module);
  init_os_fd(module);
  init_os_sys(module);
  DictObj* d = module_dict(module);
  if (environ_dict.is_none()) environ_dict = environment_snapshot();
  dict_set_str(d, intern("environ"), environ_dict);
  dict_set_str(d, intern("name"), intern("posix"));
  dict_set_str(d, intern("sep"), intern("/"));
  dict_set_str(d, intern("linesep"), intern("\n"));
  dict_set_str(d, intern("curdir"), intern("."));
  dict_set_str(d, intern("pardir"), intern(".."));
  dict_set_str(d, intern("pathsep"), intern(":"));
  dict_set_str(d, intern("extsep"), intern("."));
  dict_set_str(d, intern("altsep"), Value());
  dict_set_str(d, intern("defpath"), intern("/bin:/usr/bin"));
  dict_set_str(d, intern("devnull"), intern("/dev/null"));
  dict_set_str(d, intern("path"), os_path_module());
}

}  // namespace aio
