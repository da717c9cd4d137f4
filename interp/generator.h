// Generators, coroutines and async generators: a suspended frame plus the protocol to resume it.
#pragma once
#include <string>
#include "interp/function.h"
#include "interp/pool.h"

namespace aio {


struct GenObj : Object, Pooled<GenObj> {
  Frame* frame;          // nullptr once finished
  FunctionObj* func;     // owned: the function whose call made it (nullptr for a module body)
  GenObj(Type* t, Frame* f, FunctionObj* fn = nullptr);
  // Its flags live in the header's spare word (Object::bits).
  bool running() const { return bits & kRunning; }
  bool started() const { return bits & kStarted; }
  void set_running(bool on) { bits = on ? bits | kRunning : bits & ~kRunning; }
  void set_started() { bits |= kStarted; }

 private:
  static constexpr uint32_t kRunning = 1, kStarted = 2;
  ~GenObj() override;
};

// CPython's RuntimeWarning for a coroutine destroyed before it ran, placed where the running
// frame is (sys:1 when none is); `origin`: where it was made (debug mode), printed inside it.
void warn_never_awaited(const std::string& qualname, const std::string& origin = "");

// Its __name__ / __qualname__: the function's (a module body's is "<module>").
Value gen_name(const GenObj* g);
Value gen_qualname(const GenObj* g);

// Resumes with a value (send) or an exception (throw); `out` is the yielded or returned value.
GenResult gen_send(GenObj* g, Value v, Value& out);
GenResult gen_throw(GenObj* g, Value exc, Value& out);
// One step of any iterator driven as `yield from` / `await` drive theirs (and Tasks their
// coroutines): send a value or throw an exception in; Returned carries StopIteration's value.
GenResult resume_iterator(const Value& it, Value sent, bool throwing, Value& out);
// Gives a native awaitable with a Type::send slot its Python-level protocol: __next__, send,
// throw, __await__ and __iter__ (close and __repr__ stay the type's own).
void add_send_methods(Type* t);
// Turns a step into what __next__/send return: the value, or raises StopIteration(value).
Value step_result(GenResult r, Value out);
// `await f(...)` of a script coroutine function: runs the callee's bound frame in place, making
// the coroutine object (into `delegate`, to drive from then on) only if it suspends.
GenResult await_frame(Frame* callee, Value& delegate, Value& out);
// Makes the generator/coroutine object for a call of a generator function.
Value make_generator(FunctionObj* fn, Frame* f);
// The coroutine object of a module body that awaits at top level (owns the frame).
Value make_module_coroutine(Frame* f);
// The exception a throw(typ[, val[, tb]]) / athrow call means: an instance, or typ(val) made
// from a class; raised TypeError when it is neither.
Value thrown_exception(const Args& a);
// The value a StopIteration carries (None when absent).
Value stop_iteration_value(const Value& e);
// The iterator an `await` drives, and the async iterator of `async for`.
Value get_awaitable(const Value& v);
Value get_aiter(const Value& v);

// Async generators (async_gen.cpp): what `yield v` in one produces, told apart from awaits.
Value wrap_async_yield(Value v);
void init_async_generator_type();

// asyncio debug mode (--debug): coroutines remember where they were created, and the
// never-awaited warning shows it.
void set_coroutine_origin_tracking(bool on);

void init_generator_types();

}  // namespace aio
