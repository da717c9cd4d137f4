// Traceback objects: tb_lineno and tb_next over ExcObj::traceback (which is innermost first).
#include "interp/traceback.h"

#include "interp/descr.h"
#include "interp/exception.h"

namespace aio {

namespace {

struct TracebackObj : Object {
  Value next;
  int lineno;
  TracebackObj(Type* t, Value n, int line) : Object(t), next(std::move(n)), lineno(line) {}
};

Value tb_next(const Value& self) { return as<TracebackObj>(self)->next; }
Value tb_lineno(const Value& self) { return Value::integer(as<TracebackObj>(self)->lineno); }

Type* traceback_type() {
  static Type* t = [] {
    auto* t = new Type("traceback", types.object);
    add_getset(t, "tb_next", tb_next);
    add_getset(t, "tb_lineno", tb_lineno);
    return t;
  }();
  return t;
}

}  // namespace

Value traceback_of(const Value& e) {
  Value chain;
  for (const TraceEntry& entry : as<ExcObj>(e)->traceback)
    chain = Value::adopt(new TracebackObj(traceback_type(), std::move(chain), entry.line));
  return chain;
}

}  // namespace aio
