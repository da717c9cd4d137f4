// os's questions about the system and the process's identity: uname, confstr, getuid and
// friends, getppid; what platform and getpass build on.
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "interp/exception.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/native_args.h"
#include "stdlib/stdlib.h"
#include "stdlib/structseq.h"

namespace aio {

namespace {

Value os_uname(const Args& a) {
  static Type* t = new_structseq_type("uname_result", "posix.uname_result",
                                      {"sysname", "nodename", "release", "version", "machine"});
  if (!check_args(a, "uname", 0, 0)) return Value::raised();
  utsname u;
  if (uname(&u) != 0) return raise_os_error(errno);
  return new_structseq(t, {new_str(std::string(u.sysname)), new_str(std::string(u.nodename)),
                           new_str(std::string(u.release)), new_str(std::string(u.version)),
                           new_str(std::string(u.machine))});
}

// confstr(name): the names CPython knows on Linux that scripts ask for.
Value os_confstr(const Args& a) {
  struct Name { const char* name; int code; };
  static const Name names[] = {{"CS_PATH", _CS_PATH},
                               {"CS_GNU_LIBC_VERSION", _CS_GNU_LIBC_VERSION},
                               {"CS_GNU_LIBPTHREAD_VERSION", _CS_GNU_LIBPTHREAD_VERSION}};
  if (!check_args(a, "confstr", 1, 1)) return Value::raised();
  int code = -1;
  if (is_str(a[0])) {
    for (const Name& n : names)
      if (str_of(a[0]) == n.name) code = n.code;
    if (code < 0) return raise(exc.ValueError, "unrecognized configuration name");
  } else {
    int64_t c;
    if (!index_of(a[0], c)) return Value::raised();
    code = int(c);
  }
  size_t n = confstr(code, nullptr, 0);
  if (n == 0) return errno ? raise_os_error(errno) : Value();
  std::string buf(n, '\0');
  confstr(code, buf.data(), n);
  buf.resize(n - 1);
  return new_str(buf);
}

template <auto Call>
Value id_call(const Args& a) {
  if (!check_args(a, "getuid", 0, 0)) return Value::raised();
  return Value::integer(int64_t(Call()));
}

}  // namespace

void init_os_sys(const Value& module) {
  add_function(module, "uname", os_uname);
  add_function(module, "confstr", os_confstr);
  add_function(module, "getuid", id_call<getuid>);
  add_function(module, "geteuid", id_call<geteuid>);
  add_function(module, "getgid", id_call<getgid>);
  add_function(module, "getegid", id_call<getegid>);
  add_function(module, "getppid", id_call<getppid>);
}

}  // namespace aio
