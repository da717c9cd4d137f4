// _datetime: what stdlib/lib/datetime.aio cannot do in aio itself: give its classes the dotted
// type names CPython's C types have (and read them back), and read the local zone's offset and name.
#include <ctime>

#include "interp/exception.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

// set_type_name(cls, "datetime.date"): the name messages show ('datetime.date' and 'int'),
// as CPython's tp_name; the class keeps its __qualname__, so its repr is unchanged.
Value dt_set_type_name(const Args& a) {
  if (!check_args(a, "set_type_name", 2, 2)) return Value::raised();
  if (!a[0].is_obj() || !isinstance(a[0], types.type) || !is_str(a[1]))
    return raise(exc.TypeError, "set_type_name() expects a class and a str");
  as<Type>(a[0])->name = str_of(a[1]);
  return Value();
}

// type_name(obj): the name of obj's type as messages show it ('datetime.date', 'int').
Value dt_type_name(const Args& a) {
  if (!check_args(a, "type_name", 1, 1)) return Value::raised();
  return new_str(type_name(a[0]));
}

// local_zone(seconds) -> (utc offset in seconds, zone name) of local time at that instant.
Value dt_local_zone(const Args& a) {
  if (!check_args(a, "local_zone", 1, 1)) return Value::raised();
  int64_t secs;
  if (!index_of(a[0], secs)) return Value::raised();
  time_t t = static_cast<time_t>(secs);
  tm local;
  if (!localtime_r(&t, &local)) return raise(exc.OverflowError, "timestamp out of range for platform time_t");
  return new_tuple({Value::integer(local.tm_gmtoff), new_str(local.tm_zone ? local.tm_zone : "")});
}

}  // namespace

void init_datetime_helpers(const Value& module) {
  add_function(module, "set_type_name", dt_set_type_name);
  add_function(module, "local_zone", dt_local_zone);
  add_function(module, "type_name", dt_type_name);
}

}  // namespace aio
