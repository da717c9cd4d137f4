// _traceback: the interpreter's own traceback text for the traceback module (traceback.aio).
#include <algorithm>
#include <climits>

#include "interp/exception.h"
#include "interp/function.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

bool exception_arg(const Args& a, const char* fname, size_t max_args) {
  if (!check_args(a, fname, 1, max_args)) return false;
  if (is_exception(a[0])) return true;
  raise(exc.TypeError, std::string(fname) + "() argument must be an exception, not '" + type_name(a[0]) + "'");
  return false;
}

// format(exc, chain=True, limit=None): the text CPython prints for an uncaught exc; limit keeps
// the outermost (>= 0) or innermost (< 0) frames of each traceback, as traceback's limit does.
Value traceback_format(const Args& a) {
  if (!exception_arg(a, "format", 3)) return Value::raised();
  bool chain = true;
  if (a.npos >= 2) {
    int t = truthy(a[1]);
    if (t < 0) return Value::raised();
    chain = t;
  }
  std::optional<int> limit;
  if (a.npos == 3 && !a[2].is_none()) {
    int64_t n;
    if (!index_of(a[2], n)) return Value::raised();
    limit = int(std::clamp<int64_t>(n, -INT_MAX, INT_MAX));
  }
  return new_str(format_exception(a[0], chain, limit));
}

// format_only(exc): its last line, "Type: message\n".
Value traceback_format_only(const Args& a) {
  if (!exception_arg(a, "format_only", 2)) return Value::raised();
  return new_str(exception_line(a[0]) + "\n");
}

// caller(level=1): (filename, line, function) of the level-th innermost frame outside library
// modules (the outermost one if there are fewer), or None; logging's records name the script
// line that logged.
Value traceback_caller(const Args& a) {
  if (!check_args(a, "caller", 0, 1)) return Value::raised();
  int64_t level = 1;
  if (a.npos == 1 && !index_of(a[0], level)) return Value::raised();
  Frame* found = nullptr;
  for (ActiveFrame* a = tstate->active; a && level > 0; a = a->back) {
    if (a->frame->code->is_library()) continue;
    found = a->frame;
    level--;
  }
  if (!found) return Value::none();
  return new_tuple({new_str(found->code->filename()), Value::integer(found->line()), new_str(found->code->name)});
}

}  // namespace

void init_traceback_native(const Value& module) {
  add_function(module, "format", traceback_format);
  add_function(module, "format_only", traceback_format_only);
  add_function(module, "caller", traceback_caller);
}

}  // namespace aio
