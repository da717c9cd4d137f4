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

// Turns one step of the generator's frame into the awaitable's step.
GenResult finish_step(AwaitObj* w, GenResult r, Value& out) {
  bool closing = w->start == Start::Close;
  if (r == GenResult::Yielded) {
    if (!is_exact(out, wrapped_type())) return r;  // an await inside: passes to the event loop
    w->done = true;
    if (closing) {
      out = raise(exc.RuntimeError, "async generator ignored GeneratorExit");
      return GenResult::Raised;
    }
    out = Value(as<WrappedObj>(out)->value);
    return GenResult::Returned;
  }
  w->done = true;
  if (r == GenResult::Returned) {
    out = Value();
    if (closing) return GenResult::Returned;
    raise_value(make_exception(exc.StopAsyncIteration, {}));
    return GenResult::Raised;
  }
  if (closing && (exception_matches(exc.StopAsyncIteration) || exception_matches(exc.GeneratorExit))) {
    take_exception();
    out = Value();
    return GenResult::Returned;
  }
  return GenResult::Raised;
}

// The awaitable's send slot: its first step sends, throws or closes; later ones pass through.
GenResult await_send(const Value& self, Value v, bool throwing, Value& out) {
  auto* w = as<AwaitObj>(self);
  if (throwing) {
    if (v.is_obj() && is_subtype(type_of(v), types.type)) v = make_exception(as<Type>(v), {});
    if (w->done) {
      raise_value(v);
      return GenResult::Raised;
    }
    w->begun = true;
    GenResult r = gen_throw(as<GenObj>(w->gen), v, out);
    return finish_step(w, r, out);
  }
  if (w->done) {
    raise(exc.RuntimeError, "cannot reuse already awaited __anext__()/asend()");
    return GenResult::Raised;
  }
  GenObj* g = as<GenObj>(w->gen);
  GenResult r;
  if (!w->begun) {
    w->begun = true;
    if (w->start == Start::Send) {
      r = gen_send(g, v.is_none() ? w->arg : v, out);
    } else {
      if (!g->frame) {
        w->done = true;
        out = Value();
        if (w->start == Start::Close) return GenResult::Returned;
        raise_value(w->arg);
        return GenResult::Raised;
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
    raise_value(make_exception(exc.StopAsyncIteration, {}));
    return GenResult::Raised;
  }
  return finish_step(w, r, out);
}

AwaitObj* self_await(const Args& a) { return as<AwaitObj>(a[0]); }

Value aw_close(const Args& a) {
  self_await(a)->done = true;
  return Value();
}

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
  Value e = thrown_exception(a);
  if (e.is_raised()) return e;
  return make_await(a[0], e, Start::Throw);
}

Value agen_aclose(const Args& a) { return make_await(a[0], make_exception(exc.GeneratorExit, {}), Start::Close); }

Value agen_running(const Value& s) { return Value::boolean(as<GenObj>(s)->running()); }

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
    w->send = await_send;
    add_send_methods(w);
    add_method(w, "close", aw_close);
  }
}

}  // namespace aio
