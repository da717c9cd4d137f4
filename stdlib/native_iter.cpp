// Helpers for native iterator types.
#include "stdlib/native_iter.h"

#include "interp/exception.h"
#include "interp/ops.h"

namespace aio {

Value stop_iteration() { return raise_value(make_exception(exc.StopIteration, {})); }

Value next_or_stop(const Value& it) {
  Value out;
  if (next_item(it, out)) return out;
  return out.is_raised() ? out : stop_iteration();
}

Value iter_self(const Args& a) { return a[0]; }

Type* new_iter_type(const char* name, NativeFn make, NativeFn next, const char* module) {
  Type* t = new Type(name, types.object);
  t->module = module;
  add_method(t, "__new__", make);
  add_method(t, "__iter__", iter_self);
  add_method(t, "__next__", next);
  return t;
}

}  // namespace aio
