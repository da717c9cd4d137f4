// time: clocks, sleeping, and calendar conversions through the C library, with struct_time
// as a struct sequence.
#include <chrono>
#include <cmath>
#include <ctime>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/int.h"
#include "interp/interrupt.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "runtime/clock.h"
#include "stdlib/stdlib.h"
#include "stdlib/structseq.h"

namespace aio {

namespace {

constexpr int64_t kNanos = 1000000000;
constexpr int kTmYearBase = 1900;
constexpr size_t kStructTimeFields = 9;
constexpr size_t kFirstBuffer = 256;
constexpr size_t kMaxBuffer = 1 << 20;

Type* struct_time_type() {
  static Type* t = new_structseq_type(
      "struct_time", "time.struct_time",
      {"tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst"});
  return t;
}

int64_t clock_ns(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t(ts.tv_sec) * kNanos + ts.tv_nsec;
}

double clock_seconds(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Under virtual time the clocks a script reads include what the loops jumped over.
double skipped_seconds() { return rt::virtual_seconds_skipped(); }
int64_t skipped_ns() { return int64_t(rt::virtual_seconds_skipped() * kNanos); }

time_t now_seconds() { return static_cast<time_t>(std::floor(clock_seconds(CLOCK_REALTIME) + skipped_seconds())); }

Value time_time(const Args&) { return Value::real(clock_seconds(CLOCK_REALTIME) + skipped_seconds()); }
Value time_time_ns(const Args&) { return Value::integer(clock_ns(CLOCK_REALTIME) + skipped_ns()); }
Value time_monotonic(const Args&) { return Value::real(clock_seconds(CLOCK_MONOTONIC) + skipped_seconds()); }
Value time_monotonic_ns(const Args&) { return Value::integer(clock_ns(CLOCK_MONOTONIC) + skipped_ns()); }
Value time_process_time(const Args&) { return Value::real(clock_seconds(CLOCK_PROCESS_CPUTIME_ID)); }

bool seconds_arg(const Value& v, double& out) {
  if (!is_number(v) || v.is_bool()) {
    raise(exc.TypeError, "'" + type_name(v) + "' object cannot be interpreted as an integer");
    return false;
  }
  out = to_double_unchecked(v);
  return true;
}

// With the lock released. Ctrl-C cuts it short; if what Ctrl-C does raises nothing, the sleep
// goes on for the time left (PEP 475).
Value time_sleep(const Args& a) {
  double secs;
  if (!check_args(a, "sleep", 1, 1) || !seconds_arg(a[0], secs)) return Value::raised();
  if (std::isnan(secs)) return raise(exc.ValueError, "Invalid value NaN (not a number)");
  if (secs < 0) return raise(exc.ValueError, "sleep length must be non-negative");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(secs);
  for (;;) {
    WaitResult r;
    {
      GilReleased other_threads_run;
      r = interrupt_wait(-1, 0, secs);
    }
    if (r != WaitResult::Interrupted) return Value();
    if (!interrupt_check()) return Value::raised();
    secs = std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count();
    if (secs <= 0) return Value();
  }
}

// ---- struct_time <-> struct tm ----

Value from_tm(const tm& t) {
  auto i = [](int v) { return Value::integer(v); };
  return new_structseq(struct_time_type(),
                       {i(t.tm_year + kTmYearBase), i(t.tm_mon + 1), i(t.tm_mday), i(t.tm_hour), i(t.tm_min),
                        i(t.tm_sec), i((t.tm_wday + 6) % 7), i(t.tm_yday + 1), i(t.tm_isdst)});
}

bool to_tm(const Value& v, const char* fname, tm& out) {
  std::vector<Value> items;
  if (!isinstance(v, types.tuple)) {
    raise(exc.TypeError, std::string("Tuple or struct_time argument required"));
    return false;
  }
  items = tuple_items(v);
  if (items.size() != kStructTimeFields) {
    raise(exc.TypeError, std::string(fname) + "(): illegal time tuple argument");
    return false;
  }
  int64_t f[kStructTimeFields];
  for (size_t k = 0; k < kStructTimeFields; k++)
    if (!index_of(items[k], f[k])) return false;
  out = tm{};
  out.tm_year = int(f[0] - kTmYearBase);
  out.tm_mon = int(f[1] - 1);
  out.tm_mday = int(f[2]);
  out.tm_hour = int(f[3]);
  out.tm_min = int(f[4]);
  out.tm_sec = int(f[5]);
  out.tm_wday = int((f[6] + 1) % 7);
  out.tm_yday = int(f[7] - 1);
  out.tm_isdst = int(f[8]);
  return true;
}

// The seconds argument of gmtime/localtime/ctime: now when absent or None.
bool time_arg(const Args& a, time_t& out) {
  if (a.npos == 0 || a[0].is_none()) {
    out = now_seconds();
    return true;
  }
  double secs;
  if (!seconds_arg(a[0], secs)) return false;
  out = static_cast<time_t>(std::floor(secs));
  return true;
}

Value time_gmtime(const Args& a) {
  time_t t;
  tm out;
  if (!check_args(a, "gmtime", 0, 1) || !time_arg(a, t)) return Value::raised();
  if (!gmtime_r(&t, &out)) return raise(exc.OverflowError, "timestamp out of range for platform time_t");
  return from_tm(out);
}

Value time_localtime(const Args& a) {
  time_t t;
  tm out;
  if (!check_args(a, "localtime", 0, 1) || !time_arg(a, t)) return Value::raised();
  if (!localtime_r(&t, &out)) return raise(exc.OverflowError, "timestamp out of range for platform time_t");
  return from_tm(out);
}

// The struct tm of an optional struct_time argument at `index`: local time now when absent.
bool tm_arg(const Args& a, size_t index, const char* fname, tm& out) {
  if (a.npos > index && !a[index].is_none()) return to_tm(a[index], fname, out);
  time_t now = now_seconds();
  localtime_r(&now, &out);
  return true;
}

Value time_mktime(const Args& a) {
  tm t;
  if (!check_args(a, "mktime", 1, 1) || !to_tm(a[0], "mktime", t)) return Value::raised();
  time_t r = mktime(&t);
  if (r == time_t(-1)) return raise(exc.OverflowError, "mktime argument out of range");
  return Value::real(double(r));
}

Value time_strftime(const Args& a) {
  tm t;
  if (!check_args(a, "strftime", 1, 2)) return Value::raised();
  if (!is_str(a[0])) return raise(exc.TypeError, "strftime() argument 1 must be str, not " + type_name(a[0]));
  if (!tm_arg(a, 1, "strftime", t)) return Value::raised();
  const std::string& fmt = str_of(a[0]);
  if (fmt.empty()) return new_str(std::string());
  // strftime returns 0 both for "too small" and for an empty result: grow until a limit.
  for (size_t size = kFirstBuffer; size <= kMaxBuffer; size *= 2) {
    std::string buf(size, '\0');
    size_t n = strftime(buf.data(), size, fmt.c_str(), &t);
    if (n > 0) return new_str(buf.substr(0, n));
  }
  return new_str(std::string());
}

std::string asctime_text(const tm& t) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  snprintf(buf, sizeof buf, "%s %s%3d %.2d:%.2d:%.2d %d", days[(t.tm_wday % 7 + 7) % 7],
           months[(t.tm_mon % 12 + 12) % 12], t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
           t.tm_year + kTmYearBase);
  return buf;
}

Value time_asctime(const Args& a) {
  tm t;
  if (!check_args(a, "asctime", 0, 1) || !tm_arg(a, 0, "asctime", t)) return Value::raised();
  return new_str(asctime_text(t));
}

Value time_ctime(const Args& a) {
  time_t secs;
  tm t;
  if (!check_args(a, "ctime", 0, 1) || !time_arg(a, secs)) return Value::raised();
  localtime_r(&secs, &t);
  return new_str(asctime_text(t));
}

}  // namespace

void init_time(const Value& module) {
  struct Entry { const char* name; NativeFn fn; };
  static const Entry entries[] = {
      {"time", time_time},           {"time_ns", time_time_ns},
      {"monotonic", time_monotonic}, {"monotonic_ns", time_monotonic_ns},
      {"perf_counter", time_monotonic}, {"perf_counter_ns", time_monotonic_ns},
      {"process_time", time_process_time}, {"sleep", time_sleep},
      {"gmtime", time_gmtime},       {"localtime", time_localtime},
      {"mktime", time_mktime},       {"strftime", time_strftime},
      {"asctime", time_asctime},     {"ctime", time_ctime},
  };
  for (const Entry& e : entries) add_function(module, e.name, e.fn);
  dict_set_str(module_dict(module), intern("struct_time"), Value::borrow(struct_time_type()));
  tzset();
  dict_set_str(module_dict(module), intern("timezone"), Value::integer(timezone));
}

}  // namespace aio
