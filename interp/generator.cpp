// Generators and coroutines: resuming a suspended frame with send/throw/close.
#include "interp/generator.h"

#include <cstdio>
#include <string>
#include <unordered_map>

#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/function.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

GenObj::GenObj(Type* t, Frame* f, FunctionObj* fn) : Object(t), frame(f), func(fn) {
  if (fn) incref(fn);
}

namespace {

bool is_coroutine(const GenObj* g) { return g->type == types.coroutine; }

const char* kind_name(const GenObj* g) {
  return is_coroutine(g) ? "coroutine" : g->type == types.async_generator ? "async generator" : "generator";
}

void finish(GenObj* g) {
  if (g->frame) Frame::destroy(g->frame);
  g->frame = nullptr;
}

// A generator's body ended by raising: StopIteration escaping it becomes a RuntimeError.
GenResult raised_out_of(const char* kind) {
  if (exception_matches(exc.StopIteration)) {
    Value cause = take_exception();
    raise(exc.RuntimeError, std::string(kind) + " raised StopIteration");
    as<ExcObj>(tstate->exc)->cause = cause;
  }
  return GenResult::Raised;
}

// Runs the generator's frame with `out` holding what is sent or thrown in.
GenResult resume(GenObj* g, Value& out) {
  if (g->running()) {
    out = Value();
    raise(exc.ValueError, std::string(kind_name(g)) + " already executing");
    return GenResult::Raised;
  }
  if (!enter_recursion()) {
    out = Value();
    return GenResult::Raised;
  }
  g->set_started();
  g->set_running(true);
  RunStatus st = run_frame(g->frame, out);
  g->set_running(false);
  leave_recursion();
  if (st == RunStatus::Yielded) return GenResult::Yielded;
  finish(g);
  if (st == RunStatus::Returned) return GenResult::Returned;
  return raised_out_of(kind_name(g));
}

}  // namespace

namespace {

// Debug mode only: where each live coroutine was created, kept aside so that coroutines
// pay nothing for it otherwise.
bool track_origins = false;
std::unordered_map<const GenObj*, std::string> creation_sites;

void remember_creation_site(const GenObj* g) {
  std::vector<TraceEntry> trace;
  for (ActiveFrame* a = tstate->active; a; a = a->back) trace.push_back({a->frame->code->shared_from_this(), a->frame->line(), a->frame});
  creation_sites[g] = format_trace(trace);
}

std::string creation_site(const GenObj* g) {
  auto it = creation_sites.find(g);
  return it == creation_sites.end() ? "" : "Coroutine created at (most recent call last)\n" + it->second;
}

void forget_creation_site(const GenObj* g) {
  if (track_origins) creation_sites.erase(g);
}

}  // namespace

void warn_never_awaited(const std::string& qualname, const std::string& origin) {
  flush_script_output();
  std::string what = "RuntimeWarning: coroutine '" + qualname + "' was never awaited\n" + origin;
  Frame* f = tstate->frame();
  if (!f) {
    fputs(("sys:1: " + what).c_str(), stderr);
    return;
  }
  std::string src = source_line(*f->code, f->line());
  std::string out = f->code->filename() + ":" + std::to_string(f->line()) + ": " + what;
  if (!src.empty()) out += "  " + src + "\n";
  out += "RuntimeWarning: Enable tracemalloc to get the object allocation traceback\n";
  fputs(out.c_str(), stderr);
}

GenObj::~GenObj() {
  if (frame && !started() && type == types.coroutine) {
    warn_never_awaited(str_of(gen_qualname(this)), creation_site(this));
  }
  forget_creation_site(this);
  if (frame && started()) {
    // Close a suspended generator so its finally blocks run, keeping any in-flight exception.
    Value saved = std::move(tstate->exc);
    tstate->exc = Value();
    Value out;
    gen_throw(this, make_exception(exc.GeneratorExit, {}), out);
    tstate->exc = std::move(saved);
  }
  finish(this);
  if (func) decref(func);
}

GenResult gen_send(GenObj* g, Value v, Value& out) {
  if (!g->frame) {
    if (is_coroutine(g)) raise(exc.RuntimeError, "cannot reuse already awaited coroutine");
    else raise_value(make_exception(exc.StopIteration, {}));
    return GenResult::Raised;
  }
  if (!g->started() && !v.is_none()) {
    raise(exc.TypeError, std::string("can't send non-None value to a just-started ") + kind_name(g));
    return GenResult::Raised;
  }
  out = std::move(v);
  g->frame->throwing = false;
  return resume(g, out);
}

GenResult gen_throw(GenObj* g, Value e, Value& out) {
  if (!g->frame || !g->started()) {
    finish(g);
    g->set_started();
    raise_value(std::move(e));
    return GenResult::Raised;
  }
  if (!g->frame->resuming) {
    // Not parked at a yield (cannot happen once started), so raise where it stands.
    raise_value(std::move(e));
    return GenResult::Raised;
  }
  out = std::move(e);
  g->frame->throwing = true;
  return resume(g, out);
}

void set_coroutine_origin_tracking(bool on) { track_origins = on; }

Value make_generator(FunctionObj* fn, Frame* f) {
  uint8_t flags = f->code->flags;
  Type* t = (flags & kCoroutine) ? types.coroutine : (flags & kAsyncGenerator) ? types.async_generator : types.generator;
  auto* g = new GenObj(t, f, fn);
  if (track_origins && t == types.coroutine) remember_creation_site(g);
  return Value::adopt(g);
}

GenResult await_frame(Frame* callee, Value& delegate, Value& out) {
  auto* fn = callee->func;
  if (track_origins) {  // debug mode wants the coroutine object made where the call is
    delegate = make_generator(fn, callee);
    return gen_send(as<GenObj>(delegate), Value(), out);
  }
  if (!enter_recursion()) {
    Frame::destroy(callee);
    return GenResult::Raised;
  }
  RunStatus st = run_frame(callee, out);
  leave_recursion();
  if (st == RunStatus::Yielded) {
    auto* g = new GenObj(types.coroutine, callee, fn);
    g->set_started();
    delegate = Value::adopt(g);
    return GenResult::Yielded;
  }
  Frame::destroy(callee);
  if (st == RunStatus::Returned) return GenResult::Returned;
  return raised_out_of("coroutine");
}

GenResult resume_iterator(const Value& d, Value send, bool throwing, Value& out) {
  if (d.is_obj() && (d.obj()->type == types.generator || d.obj()->type == types.coroutine)) {
    GenObj* g = as<GenObj>(d);
    return throwing ? gen_throw(g, std::move(send), out) : gen_send(g, std::move(send), out);
  }
  if (d.is_obj() && d.obj()->type->send) return d.obj()->type->send(d, std::move(send), throwing, out);
  if (throwing) {
    Value t;
    int r = getattr_opt(d, intern("throw"), t);
    if (r < 0) return GenResult::Raised;
    if (r == 0) {
      raise_value(send);
      return GenResult::Raised;
    }
    out = call(t, {send});
  } else {
    // __next__ rather than next_item: the value StopIteration carries is the result.
    out = send.is_none() ? call_method(d, "__next__", {}) : call_method(d, "send", {send});
  }
  if (!out.is_raised()) return GenResult::Yielded;
  if (exception_matches(exc.StopIteration)) {
    out = stop_iteration_value(take_exception());
    return GenResult::Returned;
  }
  return GenResult::Raised;
}

Value make_module_coroutine(Frame* f) { return Value::adopt(new GenObj(types.coroutine, f)); }

Value gen_name(const GenObj* g) { return g->func ? g->func->name : intern("<module>"); }

Value gen_qualname(const GenObj* g) { return g->func ? g->func->qualname : intern("<module>"); }

Value thrown_exception(const Args& a) {
  Value e = a[1];
  if (e.is_obj() && is_subtype(type_of(e), types.type)) {
    std::vector<Value> args;
    if (a.npos > 2 && !a[2].is_none()) args.push_back(a[2]);
    e = make_exception(as<Type>(e), std::move(args));
  }
  if (!is_exception(e)) return raise(exc.TypeError, "exceptions must derive from BaseException");
  return e;
}

Value stop_iteration_value(const Value& e) {
  if (!is_exception(e)) return Value();
  auto& args = tuple_items(as<ExcObj>(e)->args);
  return args.empty() ? Value() : args[0];
}

Value get_awaitable(const Value& v) {
  if (is_exact(v, types.coroutine)) return v;
  if (v.is_obj() && v.obj()->type->send) return v;  // native awaitables drive themselves
  Value* aw = type_lookup(type_of(v), intern("__await__"));
  if (!aw) return raise(exc.TypeError, "object " + type_name(v) + " can't be used in 'await' expression");
  Value it = call(*aw, {v});
  if (it.is_raised()) return it;
  if (is_exact(it, types.coroutine)) return raise(exc.TypeError, "__await__() returned a coroutine");
  bool iterator = (it.is_obj() && (it.obj()->type->send || it.obj()->type->iternext)) ||
                  type_lookup(type_of(it), intern("__next__"));
  if (!iterator) return raise(exc.TypeError, "__await__() returned non-iterator of type '" + type_name(it) + "'");
  return it;
}

Value get_aiter(const Value& v) {
  Value* ai = type_lookup(type_of(v), intern("__aiter__"));
  if (!ai)
    return raise(exc.TypeError, "'async for' requires an object with __aiter__ method, got " + type_name(v));
  return call(*ai, {v});
}

namespace {

GenObj* self_gen(const Args& a) { return as<GenObj>(a[0]); }

}  // namespace

Value step_result(GenResult r, Value out) {
  if (r == GenResult::Yielded) return out;
  if (r == GenResult::Raised) return Value::raised();
  std::vector<Value> args;
  if (!out.is_none()) args.push_back(std::move(out));
  return raise_value(make_exception(exc.StopIteration, std::move(args)));
}

namespace {

Value gen_next(const Args& a) {
  Value out;
  GenResult r = gen_send(self_gen(a), Value(), out);
  return step_result(r, std::move(out));
}

Value gen_send_m(const Args& a) {
  if (!check_args(a, "send", 2, 2)) return Value::raised();
  Value out;
  GenResult r = gen_send(self_gen(a), a[1], out);
  return step_result(r, std::move(out));
}

Value gen_throw_m(const Args& a) {
  if (!check_args(a, "throw", 2, 4)) return Value::raised();
  Value e = thrown_exception(a);
  if (e.is_raised()) return e;
  Value out;
  GenResult r = gen_throw(self_gen(a), e, out);
  return step_result(r, std::move(out));
}

Value gen_close(const Args& a) {
  GenObj* g = self_gen(a);
  if (!g->frame) return Value();
  Value out;
  GenResult r = gen_throw(g, make_exception(exc.GeneratorExit, {}), out);
  if (r == GenResult::Yielded) return raise(exc.RuntimeError, std::string(kind_name(g)) + " ignored GeneratorExit");
  if (r == GenResult::Raised) {
    if (exception_matches(exc.GeneratorExit) || exception_matches(exc.StopIteration)) {
      take_exception();
      return Value();
    }
    return Value::raised();
  }
  return Value();
}

Value gen_iter(const Args& a) { return a[0]; }

Value gen_repr(const Args& a) {
  char buf[48];
  snprintf(buf, sizeof buf, " at 0x%012lx>", (unsigned long)(uintptr_t)a[0].obj());
  return new_str(std::string("<") + kind_name(self_gen(a)) + " object " + str_of(gen_qualname(self_gen(a))) + buf);
}

Value get_name(const Value& s) { return gen_name(as<GenObj>(s)); }
Value get_qualname(const Value& s) { return gen_qualname(as<GenObj>(s)); }
Value gen_running(const Value& s) { return Value::boolean(as<GenObj>(s)->running()); }

// What generators, coroutines and async generators all have.
void add_identity(Type* t) {
  add_method(t, "__repr__", gen_repr);
  add_getset(t, "__name__", get_name);
  add_getset(t, "__qualname__", get_qualname);
}

void add_common(Type* t) {
  add_method(t, "send", gen_send_m);
  add_method(t, "throw", gen_throw_m);
  add_method(t, "close", gen_close);
  add_identity(t);
}

}  // namespace

void init_generator_types() {
  add_common(types.generator);
  add_method(types.generator, "__iter__", gen_iter);
  add_method(types.generator, "__next__", gen_next);
  add_getset(types.generator, "gi_running", gen_running);
  add_common(types.coroutine);
  add_method(types.coroutine, "__await__", gen_iter);
  add_getset(types.coroutine, "cr_running", gen_running);
  add_identity(types.async_generator);
  init_async_generator_type();
}

namespace {

Value slot_step(const Value& self, Value v, bool throwing) {
  Value out;
  GenResult r = type_of(self)->send(self, std::move(v), throwing, out);
  return step_result(r, std::move(out));
}

Value slot_next(const Args& a) { return slot_step(a[0], Value(), false); }

Value slot_send(const Args& a) {
  if (!check_args(a, "send", 2, 2)) return Value::raised();
  return slot_step(a[0], a[1], false);
}

Value slot_throw(const Args& a) {
  if (!check_args(a, "throw", 2, 4)) return Value::raised();
  Value e = thrown_exception(a);
  if (e.is_raised()) return e;
  return slot_step(a[0], e, true);
}

Value slot_self(const Args& a) { return a[0]; }

}  // namespace

void add_send_methods(Type* t) {
  add_method(t, "__next__", slot_next);
  add_method(t, "send", slot_send);
  add_method(t, "throw", slot_throw);
  add_method(t, "__await__", slot_self);
  add_method(t, "__iter__", slot_self);
}

}  // namespace aio
