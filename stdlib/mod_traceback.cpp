// _traceback: the interpreter's own traceback text for the traceback module (traceback.aio).
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

bool exception_arg(const Args& a, const char* fname) {
  if (!check_args(a, fname, 1, 2)) return false;
  if (is_exception(a[0])) return true;
  raise(exc.TypeError, std::string(fname) + "() argument must be an exception, not '" + type_name(a[0]) + "'");
  return false;
}

// format(exc, chain=True): the text CPython prints for an uncaught exc.
Value traceback_format(const Args& a) {
  if (!exception_arg(a, "format")) return Value::raised();
  bool chain = true;
  if (a.npos == 2) {
    int t = truthy(a[1]);
    if (t < 0) return Value::raised();
    chain = t;
  }
  return new_str(format_exception(a[0], chain));
}

// format_only(exc): its last line, "Type: message\n".
Value traceback_format_only(const Args& a) {
  if (!exception_arg(a, "format_only")) return Value::raised();
  return new_str(exception_line(a[0]) + "\n");
}

}  // namespace

void init_traceback_native(const Value& module) {
  add_function(module, "format", traceback_format);
  add_function(module, "format_only", traceback_format_only);
}

}  // namespace aio
