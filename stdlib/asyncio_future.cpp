// asyncio.Future: a result that arrives later, with callbacks run on the loop when it does.
#include <cstdio>
#include <utility>

#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/function.h"
#include "interp/generator.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/tuple.h"
#include "stdlib/asyncio.h"
#include "stdlib/asyncio_repr.h"

namespace aio {

size_t CallbackList::size() const {
  if (is_many()) return many()->size();
  return bits_ ? 1 : 0;
}

Value CallbackList::operator[](size_t i) const { return is_many() ? (*many())[i] : Value::borrow(one()); }

void CallbackList::push(Value fn) {
  if (!bits_ && fn.is_obj()) {
    bits_ = reinterpret_cast<uintptr_t>(fn.steal());
    return;
  }
  if (!is_many()) {
    auto* cbs = new std::vector<Value>;
    if (bits_) cbs->push_back(Value::adopt(one()));
    bits_ = reinterpret_cast<uintptr_t>(cbs) | kMany;
  }
  many()->push_back(std::move(fn));
}

void CallbackList::erase(size_t i) {
  if (is_many()) {
    std::vector<Value>* cbs = many();
    Value gone = std::move((*cbs)[i]);  // released after the vector is consistent again
    cbs->erase(cbs->begin() + static_cast<long>(i));
    return;
  }
  Value gone = Value::adopt(one());
  bits_ = 0;
}

void CallbackList::clear() {
  drain([](const Value&) {});
}

FutureObj::FutureObj(Type* t, Object* l) : Object(t) { loop.set(l); }

FutureObj::~FutureObj() { future_finalize(this); }

void future_finalize(FutureObj* f) {
  if (!f->log_traceback || !f->failed) return;
  f->log_traceback = false;
  LoopObj* l = loop_of(f->loop.get());
  if (!l) return;
  // Resurrected for the report: the references made meanwhile must not destroy it again.
  f->refcount++;
  std::string what = isinstance(Value::borrow(f), aio_types.task) ? "Task" : "Future";
  report_loop_error(l, what + " exception was never retrieved", f->result, "future", Value::borrow(f));
  f->refcount--;
}

namespace {

FutureObj* self_future(const Args& a) { return as<FutureObj>(a[0]); }

// Moves the callbacks onto the loop's ready queue, in the order they were added.
void schedule_callbacks(FutureObj* f) {
  LoopObj* l = loop_of(f->loop.get());
  Value self = Value::borrow(f);
  f->callbacks.drain([&](const Value& cb) { schedule_call(l, cb, self); });
}

Value invalid_state(const char* msg) { return raise(aio_types.InvalidStateError, msg); }

}  // namespace

bool future_done(const FutureObj* f) { return f->state != FutState::Pending; }

Value make_cancelled_error(FutureObj* f) {
  // A task cancelled from inside hands out its own CancelledError once, then plain ones.
  if (isinstance(f->result, aio_types.CancelledError)) return std::exchange(f->result, Value());
  std::vector<Value> args;
  if (!f->result.is_none()) args.push_back(f->result);
  return make_exception(aio_types.CancelledError, std::move(args));
}

bool future_set_result(FutureObj* f, Value v) {
  if (future_done(f)) {
    invalid_state("invalid state");
    return false;
  }
  f->result = std::move(v);
  f->state = FutState::Finished;
  schedule_callbacks(f);
  return true;
}

bool future_set_exception(FutureObj* f, Value e) {
  if (future_done(f)) {
    invalid_state("invalid state");
    return false;
  }
  if (e.is_obj() && is_subtype(type_of(e), types.type)) e = call(e, {});
  if (e.is_raised()) return false;
  if (!is_exception(e)) {
    raise(exc.TypeError, "invalid exception object");
    return false;
  }
  if (isinstance(e, exc.StopIteration)) {
    raise(exc.TypeError, "StopIteration interacts badly with generators and cannot be raised into a Future");
    return false;
  }
  f->result = std::move(e);
  f->failed = true;
  f->log_traceback = true;
  f->state = FutState::Finished;
  schedule_callbacks(f);
  return true;
}

bool future_cancel(FutureObj* f, const Value& msg) {
  f->log_traceback = false;
  if (future_done(f)) return false;
  f->state = FutState::Cancelled;
  f->result = msg;
  schedule_callbacks(f);
  return true;
}

Value future_result(FutureObj* f) {
  if (f->state == FutState::Cancelled) return raise_value(make_cancelled_error(f));
  if (f->state != FutState::Finished) return invalid_state("Result is not set.");
  f->log_traceback = false;
  if (f->failed) return raise_value(f->result);
  return f->result;
}

void future_add_callback(FutureObj* f, Value fn) {
  if (future_done(f)) schedule_call(loop_of(f->loop.get()), fn, Value::borrow(f));
  else f->callbacks.push(std::move(fn));
}

Value new_future(const Value& loop) { return Value::adopt(new FutureObj(aio_types.future, loop.obj())); }

namespace {

// ---- methods ----

Value fut_new(const Args& a) {
  const Value* loop = arg_or_kw(a, 99, "loop");
  Value l = loop && !loop->is_none() ? *loop : get_event_loop();
  if (l.is_raised()) return l;
  // CPython asks the loop for get_debug() first, which no immediate value has.
  if (!l.is_obj()) return raise(exc.AttributeError, "'" + type_name(l) + "' object has no attribute 'get_debug'");
  Type* cls = as<Type>(a[0]);
  if (!cls->is_native) return Value::adopt(new WithDict<FutureObj>(cls, cls, l.obj()));  // a script's subclass
  return Value::adopt(new FutureObj(cls, l.obj()));
}

Value fut_init(const Args&) { return Value(); }

Value fut_result(const Args& a) { return future_result(self_future(a)); }

Value fut_exception(const Args& a) {
  FutureObj* f = self_future(a);
  if (f->state == FutState::Cancelled) return raise_value(make_cancelled_error(f));
  if (f->state != FutState::Finished) return invalid_state("Exception is not set.");
  f->log_traceback = false;
  return f->failed ? f->result : Value();
}

Value fut_set_result(const Args& a) {
  if (!check_args(a, "set_result", 2, 2)) return Value::raised();
  return future_set_result(self_future(a), a[1]) ? Value() : Value::raised();
}

Value fut_set_exception(const Args& a) {
  if (!check_args(a, "set_exception", 2, 2)) return Value::raised();
  return future_set_exception(self_future(a), a[1]) ? Value() : Value::raised();
}

Value fut_cancel(const Args& a) {
  const Value* msg = arg_or_kw(a, 1, "msg");
  return Value::boolean(future_cancel(self_future(a), msg ? *msg : Value()));
}

Value fut_cancelled(const Args& a) { return Value::boolean(self_future(a)->state == FutState::Cancelled); }
Value fut_done(const Args& a) { return Value::boolean(future_done(self_future(a))); }
Value fut_get_loop(const Args& a) { return self_future(a)->loop_value(); }

Value fut_add_done_callback(const Args& a) {
  if (!check_args(a, "add_done_callback", 2, 2)) return Value::raised();
  future_add_callback(self_future(a), a[1]);
  return Value();
}

Value fut_remove_done_callback(const Args& a) {
  if (!check_args(a, "remove_done_callback", 2, 2)) return Value::raised();
  CallbackList& cbs = self_future(a)->callbacks;
  int64_t removed = 0;
  for (size_t i = 0; i < cbs.size();) {
    int eq = equals(cbs[i], a[1]);
    if (eq < 0) return Value::raised();
    if (eq) {
      cbs.erase(i);
      removed++;
    } else {
      i++;
    }
  }
  return Value::integer(removed);
}

Value fut_repr(const Args& a) {
  std::string out;
  if (!future_repr_info(self_future(a), out)) return Value::raised();
  return new_str("<" + type_of(a[0])->name + " " + out + ">");
}


Value get_blocking(const Value& s) { return Value::boolean(as<FutureObj>(s)->blocking); }
bool set_blocking(const Value& s, Value v) {
  int t = truthy(v);
  if (t < 0) return false;
  as<FutureObj>(s)->blocking = t;
  return true;
}
Value get_state(const Value& s) {
  static const char* names[] = {"PENDING", "CANCELLED", "FINISHED"};
  return new_str(names[(int)as<FutureObj>(s)->state]);
}
Value get_loop_attr(const Value& s) { return as<FutureObj>(s)->loop_value(); }
Value get_log_traceback(const Value& s) { return Value::boolean(as<FutureObj>(s)->log_traceback); }
bool set_log_traceback(const Value& s, Value v) {
  as<FutureObj>(s)->log_traceback = truthy(v) > 0;
  return true;
}

// `await future`: the future drives itself (a Task sees it yielded, blocking, and waits on it).
GenResult future_send(const Value& self, Value sent, bool throwing, Value& out) {
  if (throwing) {
    raise_value(std::move(sent));
    return GenResult::Raised;
  }
  auto* f = as<FutureObj>(self);
  if (!future_done(f)) {
    f->blocking = true;
    out = self;
    return GenResult::Yielded;
  }
  out = future_result(f);
  return out.is_raised() ? GenResult::Raised : GenResult::Returned;
}

// ---- the iterator fut.__await__() returns: yields the future until it is done ----

struct FutureIterObj : Object {
  Value future;
  FutureIterObj(Value f) : Object(aio_types.future_iter), future(std::move(f)) {}
};

Value fut_await(const Args& a) { return Value::adopt(new FutureIterObj(a[0])); }

Value iter_next(const Args& a) {
  auto* it = as<FutureIterObj>(a[0]);
  if (it->future.is_none()) return raise_value(make_exception(exc.StopIteration, {}));
  auto* f = as<FutureObj>(it->future);
  if (!future_done(f)) {
    f->blocking = true;
    return it->future;
  }
  Value fut = std::move(it->future);
  it->future = Value();
  Value r = future_result(f);
  if (r.is_raised()) return r;
  return raise_value(make_exception(exc.StopIteration, {r}));
}

Value iter_send(const Args& a) {
  if (!check_args(a, "send", 2, 2)) return Value::raised();
  return iter_next(a);
}

Value iter_throw(const Args& a) {
  if (!check_args(a, "throw", 2, 4)) return Value::raised();
  Value e = thrown_exception(a);
  if (e.is_raised()) return e;
  return raise_value(e);
}

Value iter_self(const Args& a) { return a[0]; }

}  // namespace

void init_asyncio_future_type() {
  Type* t = aio_types.future;
  for (Type* native : {aio_types.future, aio_types.task, aio_types.gather}) native->send = future_send;
  add_method(t, "__new__", fut_new);
  add_method(t, "__init__", fut_init);
  add_method(t, "result", fut_result);
  add_method(t, "exception", fut_exception);
  add_method(t, "set_result", fut_set_result);
  add_method(t, "set_exception", fut_set_exception);
  add_method(t, "cancel", fut_cancel);
  add_method(t, "cancelled", fut_cancelled);
  add_method(t, "done", fut_done);
  add_method(t, "get_loop", fut_get_loop);
  add_method(t, "add_done_callback", fut_add_done_callback);
  add_method(t, "remove_done_callback", fut_remove_done_callback);
  add_method(t, "__repr__", fut_repr);
  add_method(t, "__await__", fut_await);
  add_method(t, "__iter__", fut_await);
  add_getset(t, "_asyncio_future_blocking", get_blocking, set_blocking);
  add_getset(t, "_state", get_state);
  add_getset(t, "_loop", get_loop_attr);
  add_getset(t, "_log_traceback", get_log_traceback, set_log_traceback);
  Type* it = aio_types.future_iter;
  add_method(it, "__next__", iter_next);
  add_method(it, "send", iter_send);
  add_method(it, "throw", iter_throw);
  add_method(it, "__iter__", iter_self);
}

}  // namespace aio
