// asyncio.gather: one future for many, filled in argument order once every child is done.
#include <bit>
#include <cstdint>
#include <memory>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/asyncio.h"
#include "stdlib/native_args.h"

namespace aio {

GatherObj::GatherObj(Object* loop) : FutureObj(aio_types.gather, loop) {}

namespace {

// A child's outcome as gather(return_exceptions=True) lists it.
Value child_outcome(FutureObj* c) {
  if (c->state == FutState::Cancelled) {
    // A task cancelled from inside keeps its CancelledError, not a message: CPython lists ''.
    Value msg = c->result;
    if (msg.is_none() || isinstance(msg, aio_types.CancelledError)) msg = new_str("");
    return make_exception(aio_types.CancelledError, {msg});
  }
  c->log_traceback = false;
  return c->result;
}

}  // namespace

void gather_child_done(GatherObj* g, const Value& child) {
  auto* c = as<FutureObj>(child);
  c->in_gather = false;
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

// Each argument's child by identity, so that repeated arguments share one: an open-addressing
// table sized once for all the arguments (no allocation per argument).
class ChildIndex {
 public:
  explicit ChildIndex(size_t n) : slots_(std::bit_ceil(2 * n)), shift_(64 - std::countr_zero(slots_.size())) {}

  // The index recorded for key, or records `index` for it and returns that.
  size_t find_or_add(const Object* key, size_t index) {
    size_t mask = slots_.size() - 1;
    for (size_t i = hash(key);; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (!s.key) s = {key, index};
      if (s.key == key) return s.index;
    }
  }

 private:
  struct Slot {
    const Object* key = nullptr;
    size_t index = 0;
  };
  static constexpr uint64_t kFibonacci = 0x9E3779B97F4A7C15ull;  // 2^64 / golden ratio
  // Fibonacci hashing: the top bits of the product spread regularly spaced addresses evenly.
  size_t hash(const Object* p) const {
    return shift_ >= 64 ? 0 : static_cast<size_t>((reinterpret_cast<uintptr_t>(p) * kFibonacci) >> shift_);
  }
  std::vector<Slot> slots_;
  int shift_;
};

// Finds repeated arguments. Futures are told apart by a mark while nothing else has come up
// (gather(*tasks) needs no table); any other object, or a marked future (a repeat, or one still
// in an earlier gather), moves the scan to a table. A mark goes when the future reports done
// (gather_child_done), so clearing costs no second pass over the arguments.
class Repeats {
 public:
  explicit Repeats(const Args& a) : a_(a) {}

  // The first argument that is the same object as argument i (i itself when none is).
  size_t first(size_t i) {
    // A timed sleep is shared by whoever awaits that delay: each argument is its own awaitable.
    if (!a_[i].is_obj() || is_exact(a_[i], aio_types.sleep)) return i;
    if (!table_) {
      if (is_future(a_[i]) && !as<FutureObj>(a_[i])->in_gather) {
        as<FutureObj>(a_[i])->in_gather = true;
        return i;
      }
      table_ = std::make_unique<ChildIndex>(a_.npos);
      for (size_t j = 0; j < i; j++)
        if (a_[j].is_obj()) table_->find_or_add(a_[j].obj(), j);
    }
    return table_->find_or_add(a_[i].obj(), i);
  }

 private:
  const Args& a_;
  std::unique_ptr<ChildIndex> table_;
};

Value gather_fn(const Args& a) {
  if (!check_kwnames(a, "gather", {"return_exceptions", "loop"})) return Value::raised();
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
  // Each argument once: its child, whose completion callback is added at once (as CPython's
  // _done_callback is), so ready callbacks keep CPython's order.
  std::vector<Value> children;
  children.reserve(a.npos);
  Repeats repeats(a);
  GatherObj* g = nullptr;
  Value outer;
  for (size_t i = 0; i < a.npos; i++) {
    size_t first = repeats.first(i);
    if (first != i) {
      children.push_back(children[first]);
      continue;
    }
    Value fut = ensure_future(a[i], outer.is_none() ? Value() : g->loop_value());
    if (fut.is_raised()) {
      if (g) future_cancel(g, Value());  // the children made so far then report to nobody
      return fut;
    }
    auto* f = as<FutureObj>(fut);
    if (!g) {
      g = new GatherObj(f->loop.get());
      outer = Value::adopt(g);
      g->return_exceptions = return_exceptions;
    }
    if (!fut.is(a[i]) && isinstance(fut, aio_types.task)) as<TaskObj>(fut)->log_destroy_pending = false;
    g->unique++;
    future_add_callback(f, outer);
    children.push_back(std::move(fut));
  }
  g->children = std::move(children);
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
