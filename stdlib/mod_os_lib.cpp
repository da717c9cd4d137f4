// os and os.path functions written in aio (stdlib/lib/_os_helpers.aio): each native here
// imports that module on first use and calls its function of the same name.
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

constexpr char kHelpers[] = "_os_helpers";
constexpr char kWalk[] = "walk";
constexpr char kRelpath[] = "relpath";
constexpr char kCommonpath[] = "commonpath";
constexpr char kCommonprefix[] = "commonprefix";

template <const char* Name>
Value forward(const Args& a) {
  Value helpers = import_module(kHelpers, nullptr);
  if (helpers.is_raised()) return helpers;
  Value fn = getattr(helpers, Name);
  if (fn.is_raised()) return fn;
  return call(fn, a);
}

}  // namespace

void init_os_lib(const Value& os_module) { add_function(os_module, kWalk, forward<kWalk>); }

void init_os_path_lib(const Value& path_module) {
  add_function(path_module, kRelpath, forward<kRelpath>);
  add_function(path_module, kCommonpath, forward<kCommonpath>);
  add_function(path_module, kCommonprefix, forward<kCommonprefix>);
}

}  // namespace aio
