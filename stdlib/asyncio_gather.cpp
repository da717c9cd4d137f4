// asyncio.gather: one future for many, filled in argument order once every child is done.
#include <unordered_map>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/asyncio.h"

namespace aio {

GatherObj::GatherObj(Value loop) : FutureObj(aio_types.gather, std::move(loop)) {}

namespace {

// A child's outcome as gather(return_exceptions=True) lists it.
Value child_outcome(FutureObj* c) {
  if (c->state == FutState::Cancelled) {
    // A task cancelled from inside keeps its CancelledError, not a message: CPython lists ''.
    Value msg = c->cancel_message;
    if (msg.is_none() || isinstance(msg, aio_types.CancelledError)) msg = new_str("");
    return make_exception(aio_types.CancelledError, {msg});
  }
  c->log_traceback = false;
  return c->result;
}

}  // namespace

void gather_child_done(GatherObj* g, const Value& child) {
  auto* c = as<FutureObj>(child);
  g->finished++;
  if (future_done(g)) {
    c->log_traceback = false;  // the outer future settled already: nothing left to report
    return;
  }
  if (!g->return_exceptions) {
    if (c->state == FutState::Cancelled) {
      future_set_exception(g, make_cancelled_error(c));
      return;
    }
    if (c->failed) {
      c->log_traceback = false;
      future_set_exception(g, c->result);
      return;
    }
  }
  if (g->finished < g->unique) return;
  std::vector<Value> results;
  results.reserve(g->children.size());
  for (const Value& ch : g->children) results.push_back(child_outcome(as<FutureObj>(ch)));
  if (g->cancel_requested) future_set_exception(g, make_cancelled_error(c));
  else future_set_result(g, new_list(std::move(results)));
}

namespace {

Value gather_fn(const Args& a) {
  const Value* rexc = arg_or_kw(a, 99, "return_exceptions");
  int return_exceptions = rexc ? truthy(*rexc) : 0;
  if (return_exceptions < 0) return Value::raised();
  if (a.npos == 0) {
    Value loop = get_event_loop();
    if (loop.is_raised()) return loop;
    Value outer = new_future(loop);
    future_set_result(as<FutureObj>(outer), new_list({}));
    return outer;
  }
  // Children first (each argument once), then the outer future that their callbacks fill.
  std::vector<Value> children;
  std::vector<Value> unique;                       // each distinct child once, in order
  std::unordered_map<const Object*, size_t> seen;  // argument (by identity) -> its child's index
  Value loop;
  for (size_t i = 0; i < a.npos; i++) {
    const Object* key = a[i].is_obj() ? a[i].obj() : nullptr;
    auto found = key ? seen.find(key) : seen.end();
    if (found != seen.end()) {
      children.push_back(children[found->second]);
      continue;
    }
    Value fut = ensure_future(a[i], loop);
    if (fut.is_raised()) return fut;
    if (loop.is_none()) loop = as<FutureObj>(fut)->loop;
    if (!fut.is(a[i]) && isinstance(fut, aio_types.task)) as<TaskObj>(fut)->log_destroy_pending = false;
    if (key) seen.emplace(key, children.size());
    unique.push_back(fut);
    children.push_back(std::move(fut));
  }
  auto* g = new GatherObj(loop);
  Value outer = Value::adopt(g);
  g->children = std::move(children);
  g->unique = unique.size();
  g->return_exceptions = return_exceptions;
  for (const Value& f : unique) future_add_callback(as<FutureObj>(f), outer);
  return outer;
}

Value gather_cancel(const Args& a) {
  auto* g = as<GatherObj>(a[0]);
  if (future_done(g)) return Value::boolean(false);
  const Value* msg = arg_or_kw(a, 1, "msg");
  bool any = false;
  for (const Value& c : g->children) {
    Value r = call_method(c, "cancel", {msg ? *msg : Value()});
    if (r.is_raised()) return r;
    if (truthy(r) > 0) any = true;
  }
  if (any) g->cancel_requested = true;
  return Value::boolean(any);
}

}  // namespace

void init_asyncio_gather(const Value& module) {
  add_method(aio_types.gather, "cancel", gather_cancel);
  add_function(module, "gather", gather_fn);
}

}  // namespace aio
