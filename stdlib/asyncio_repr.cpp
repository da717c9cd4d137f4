// Reprs of asyncio objects, in CPython's words (base_futures._future_repr_info and friends).
#include "stdlib/asyncio_repr.h"

#include "interp/function.h"
#include "interp/generator.h"
#include "interp/ops.h"
#include "interp/str.h"

namespace aio {

namespace {

// Futures list at most this many callbacks by name, eliding the middle (as CPython does).
constexpr size_t kMaxListedCallbacks = 2;

std::string where_defined(const Code& c) { return " at " + c.filename() + ":" + std::to_string(c.firstline); }

bool args_repr(const std::vector<Value>& args, std::string& out) {
  out += "(";
  for (size_t i = 0; i < args.size(); i++) {
    if (i) out += ", ";
    if (!repr_string(args[i], out)) return false;
  }
  out += ")";
  return true;
}

}  // namespace

bool callback_repr(const Value& fn, const std::vector<Value>& args, std::string& out) {
  if (fn.is_obj() && isinstance(fn, aio_types.task)) {
    out += "Task.task_wakeup()";
    return true;
  }
  if (is_exact(fn, aio_types.gather)) {
    out += "gather.<locals>._done_callback()";
    return true;
  }
  if (is_exact(fn, types.function)) {
    auto* f = as<FunctionObj>(fn);
    out += str_of(f->qualname);
    if (!args_repr(args, out)) return false;
    out += where_defined(*f->code);
    return true;
  }
  if (is_exact(fn, types.method)) {
    auto* m = as<MethodObj>(fn);
    if (is_exact(m->func, types.function)) {
      auto* f = as<FunctionObj>(m->func);
      out += str_of(f->qualname);
      if (!args_repr(args, out)) return false;
      out += where_defined(*f->code);
      return true;
    }
  }
  if (is_exact(fn, types.native)) {
    out += as<NativeObj>(fn)->name;
    return args_repr(args, out);
  }
  if (!repr_string(fn, out)) return false;
  return args_repr(args, out);
}

std::string coroutine_repr(const Value& coro) {
  if (!is_exact(coro, types.coroutine) && !is_exact(coro, types.generator)) {
    std::string out;
    if (!repr_string(coro, out)) take_exception();
    return out;
  }
  auto* g = as<GenObj>(coro);
  std::string name = str_of(gen_qualname(g)) + "()";
  if (g->frame) {
    const Code& c = *g->frame->code;
    int line = g->started() ? g->frame->line() : c.firstline;
    return name + " running at " + c.filename() + ":" + std::to_string(line);
  }
  if (g->func) return name + " done, defined" + where_defined(*g->func->code);
  return name + " done";
}

bool future_repr_info(FutureObj* f, std::string& out) {
  static const char* states[] = {"pending", "cancelled", "finished"};
  out += states[(int)f->state];
  if (f->state == FutState::Finished) {
    out += f->failed ? " exception=" : " result=";
    if (!repr_string(f->result, out)) return false;
  }
  size_t n = f->callbacks.size();
  if (n == 0) return true;
  out += " cb=[";
  for (size_t i = 0; i < n; i++) {
    if (n > kMaxListedCallbacks + 1 && i == 1) {
      out += "<" + std::to_string(n - kMaxListedCallbacks) + " more>, ";
      i = n - 1;
    }
    if (!callback_repr(f->callbacks[i], {}, out)) return false;
    if (i + 1 < n) out += ", ";
  }
  out += "]";
  return true;
}

}  // namespace aio
