// Async generators: `async def` with `yield`. Their frames suspend for two reasons: a `yield v`
// (wrapped, so it ends the current __anext__/asend awaitable with v) or an await passing an
// event-loop request through. asend/athrow/aclose return awaitables that drive the frame.
#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/generator.h"
#include "interp/ops.h"
#include "interp/str.h"

namespace aio {

namespace {

Type* wrapped_type() {
  static Type* t = new Type("async_generator_wrapped_value", nullptr);
  return t;
}

struct WrappedObj : Object {
  Value value;
  explicit WrappedObj(Value v) : Object(wrapped_type()), value(std::move(v)) {}
};

// What an awaitable made by asend / athrow / aclose does on its first step.
enum class Start { Send, Throw, Close };

struct AwaitObj : Object {
  Value gen;
  Value arg;  // the value to send, or the exception to throw
  Start start;
  bool begun = false;
  bool done = false;
  AwaitObj(Type* t, Value g, Value a, Start s) : Object(t), gen(std::move(g)), arg(std::move(a)), start(s) {}
};

Type* asend_type() {
  static Type* t = new Type("async_generator_asend", nullptr);
  return t;
}

Type* athrow_type() {
  static Type* t = new Type("async_generator_athrow", nullptr);
  return t;
}

Value stop_with(Value v) {
  std::vector<Value> args;
  if (!v.is_none()) args.push_back(std::move(v));
  return raise_value(make_exception(exc.StopIteration, std::move(args)));
}

// Turns one step of the generator's frame into the awaitable's answer.
Value finish_step(AwaitObj* w, GenResult r, Value out) {
  bool closing = w->start == Start::Close;
  if (r == GenResult::Yielded) {
    if (!is_exact(out, wrapped_type())) return out;  // an await inside: passes to the event loop
    w->done = true;
    if (closing) return raise(exc.RuntimeError, "async generator ignored GeneratorExit");
    return stop_with(as<WrappedObj>(out)->value);
  }
  w->done = true;
  if (r == GenResult::Returned) {
    if (closing) return stop_with(Value());
    return raise_value(make_exception(exc.StopAsyncIteration, {}));
  }
  if (closing && (exception_matches(exc.StopAsyncIteration) || exception_matches(exc.GeneratorExit))) {
    take_exception();
    return stop_with(Value());
  }
  return Value::raised();
}

Value await_send(AwaitObj* w, Value v) {
  if (w->done) return raise(exc.RuntimeError, "cannot reuse already awaited __anext__()/asend()");
  GenObj* g = as<GenObj>(w->gen);
  Value out;
  GenResult r;
  if (!w->begun) {
    w->begun = true;
    if (w->start == Start::Send) {
      r = gen_send(g, v.is_none() ? w->arg : v, out);
    } else {
      if (!g->frame) {
        w->done = true;
        if (w->start == Start::Close) return stop_with(Value());
        return raise_value(w->arg);
      }
      r = gen_throw(g, w->arg, out);
    }
  } else {
    r = gen_send(g, std::move(v), out);
  }
  if (r == GenResult::Raised && !g->frame && w->start == Start::Send && exception_matches(exc.StopIteration)) {
    // An exhausted generator: gen_send raised StopIteration, which async iteration spells differently.
    take_exception();
    w->done = true;
    return raise_value(make_exception(exc.StopAsyncIteration, {}));
  }
  return finish_step(w, r, std::move(out));
}

AwaitObj* self_await(const Args& a) { return as<AwaitObj>(a[0]); }

Value aw_next(const Args& a) { return await_send(self_await(a), Value()); }

Value aw_send(const Args& a) {
  if (!check_args(a, "send", 2, 2)) return Value::raised();
  return await_send(self_await(a), a[1]);
}

Value aw_throw(const Args& a) {
  if (!check_args(a, "throw", 2, 4)) return Value::raised();
  AwaitObj* w = self_await(a);
  Value e = a[1];
  if (e.is_obj() && is_subtype(type_of(e), types.type)) e = make_exception(as<Type>(e), {});
  if (w->done) return raise_value(e);
  w->begun = true;
  Value out;
  GenResult r = gen_throw(as<GenObj>(w->gen), e, out);
  return finish_step(w, r, std::move(out));
}

Value aw_close(const Args& a) {
  self_await(a)->done = true;
  return Value();
}

Value aw_self(const Args& a) { return a[0]; }

Value make_await(const Value& gen, Value arg, Start s) {
  return Value::adopt(new AwaitObj(s == Start::Send ? asend_type() : athrow_type(), gen, std::move(arg), s));
}

Value agen_aiter(const Args& a) { return a[0]; }
Value agen_anext(const Args& a) { return make_await(a[0], Value(), Start::Send); }

Value agen_asend(const Args& a) {
  if (!check_args(a, "asend", 2, 2)) return Value::raised();
  return make_await(a[0], a[1], Start::Send);
}

Value agen_athrow(const Args& a) {
  if (!check_args(a, "athrow", 2, 4)) return Value::raised();
  Value e = a[1];
  if (e.is_obj() && is_subtype(type_of(e), types.type)) {
    std::vector<Value> args;
    if (a.npos > 2 && !a[2].is_none()) args.push_back(a[2]);
    e = make_exception(as<Type>(e), std::move(args));
  }
  if (!is_exception(e)) return raise(exc.TypeError, "exceptions must derive from BaseException");
  return make_await(a[0], e, Start::Throw);
}

Value agen_aclose(const Args& a) { return make_await(a[0], make_exception(exc.GeneratorExit, {}), Start::Close); }

Value agen_running(const Value& s) { return Value::boolean(as<GenObj>(s)->running); }

}  // namespace

Value wrap_async_yield(Value v) { return Value::adopt(new WrappedObj(std::move(v))); }

void init_async_generator_type() {
  Type* t = types.async_generator;
  add_method(t, "__aiter__", agen_aiter);
  add_method(t, "__anext__", agen_anext);
  add_method(t, "asend", agen_asend);
  add_method(t, "athrow", agen_athrow);
  add_method(t, "aclose", agen_aclose);
  add_getset(t, "ag_running", agen_running);
  for (Type* w : {asend_type(), athrow_type()}) {
    add_method(w, "__await__", aw_self);
    add_method(w, "__iter__", aw_self);
    add_method(w, "__next__", aw_next);
    add_method(w, "send", aw_send);
    add_method(w, "throw", aw_throw);
    add_method(w, "close", aw_close);
  }
}

}  // namespace aio
