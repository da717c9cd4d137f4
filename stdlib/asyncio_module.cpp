// The native module `_asyncio`: the types and functions stdlib/lib/asyncio.aio builds on.
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/asyncio.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

Object* no_alloc(Type*) { return nullptr; }

Type* make_type(const char* name, Type* base, const char* module) {
  auto* t = new Type(name, base);
  t->module = module;
  return t;
}

Type* make_exception_type(const char* name, Type* base) {
  Type* t = make_type(name, base, "asyncio.exceptions");
  t->alloc = base->alloc;
  return t;
}

}  // namespace

void init_asyncio_types() {
  if (aio_types.loop) return;
  aio_types.loop = make_type("_UnixSelectorEventLoop", types.object, "asyncio.unix_events");
  aio_types.future = make_type("Future", types.object, "_asyncio");
  aio_types.task = make_type("Task", aio_types.future, "_asyncio");
  aio_types.gather = make_type("_GatheringFuture", aio_types.future, "asyncio.tasks");
  aio_types.handle = make_type("Handle", types.object, "asyncio.events");
  aio_types.timer_handle = make_type("TimerHandle", aio_types.handle, "asyncio.events");
  aio_types.future_iter = make_type("FutureIter", types.object, "_asyncio");
  aio_types.sleep = make_type("coroutine", types.object, "builtins");
  for (Type* t : {aio_types.handle, aio_types.future_iter, aio_types.sleep}) t->alloc = no_alloc;
  aio_types.CancelledError = make_exception_type("CancelledError", exc.BaseException);
  aio_types.InvalidStateError = make_exception_type("InvalidStateError", exc.Exception);
  init_asyncio_loop_type();
  init_asyncio_future_type();
  init_asyncio_task_type();
  init_asyncio_io_methods();
}

Value run_main_coroutine(const Value& coro) {
  Value asyncio = import_module("asyncio", nullptr);
  if (asyncio.is_raised()) return asyncio;
  return call_method(asyncio, "run", {coro});
}

void init_asyncio_core(const Value& module) {
  init_asyncio_types();
  DictObj* d = module_dict(module);
  auto put = [d](const char* name, Type* t) { dict_set_str(d, intern(name), Value::borrow(t)); };
  put("Future", aio_types.future);
  put("Task", aio_types.task);
  put("Handle", aio_types.handle);
  put("TimerHandle", aio_types.timer_handle);
  put("BaseEventLoop", aio_types.loop);
  put("CancelledError", aio_types.CancelledError);
  put("InvalidStateError", aio_types.InvalidStateError);
  add_loop_functions(module);
  add_task_functions(module);
  add_sigint_functions(module);
  init_asyncio_gather(module);
  init_asyncio_queue(module);
}

}  // namespace aio
