// Functions: frames, argument binding with CPython's messages, and calls.
#include "interp/function.h"

#include <cstdlib>
#include <new>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/generator.h"
#include "interp/ops.h"
#include "interp/pool.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

constexpr int kRecursionLimitDefault = 1000;
int recursion_limit = kRecursionLimitDefault;

CellObj::CellObj() : Object(types.cell) {}

FunctionObj::FunctionObj(std::shared_ptr<Code> c, Value g)
    : Object(types.function), code(std::move(c)), globals(std::move(g)) {
  name = intern(code->name);
  qualname = new_str(code->qualname);
}

FunctionObj::~FunctionObj() {
  if (dict) decref(dict);
}

DictObj* FunctionObj::attr_dict() {
  if (!dict) dict = new DictObj();
  return dict;
}

MethodObj::MethodObj(Value f, Value s) : Object(types.method), func(std::move(f)), self(std::move(s)) {}

namespace {

// Frames up to kPooledSlots slots come from a slab and go back to a free list per slot count:
// a call then costs no malloc/free, and a suspended coroutine's frame no malloc header. Per
// thread, as frames never move between threads.
constexpr int kPooledSlots = 32;  // larger frames go straight to malloc
thread_local FreeList frame_pool[kPooledSlots + 1];
thread_local Slab frame_slab;
static_assert(alignof(Frame) <= Slab::kAlign);

size_t frame_bytes(int nslots) { return sizeof(Frame) + sizeof(Value) * (nslots > 0 ? nslots - 1 : 0); }

void* frame_alloc(int nslots) {
  if (nslots > kPooledSlots) return std::malloc(frame_bytes(nslots));
  if (void* f = frame_pool[nslots].take()) return f;
  return frame_slab.carve(frame_bytes(nslots));
}

void frame_free(void* mem, int nslots) {
  if (nslots > kPooledSlots) std::free(mem);
  else frame_pool[nslots].give(mem);
}

}  // namespace

Frame* Frame::create(Code* code, FunctionObj* fn) {
  int n = code->nslots;
  Frame* f = static_cast<Frame*>(frame_alloc(n));
  f->code = code;
  f->func = fn;
  if (fn) incref(fn);
  f->pc = 0;
  f->resuming = false;
  f->throwing = false;
  f->extras = nullptr;
  for (int i = 0; i < n; i++) new (&f->slots[i]) Value(Value::raised());
  return f;
}

Frame* Frame::create(const std::shared_ptr<Code>& code, const Value& globals) {
  Frame* f = create(code.get(), nullptr);
  f->extras = new FrameExtras{{}, code, as_dict(globals)};
  incref(f->extras->globals);
  return f;
}

void Frame::destroy(Frame* f) {
  int n = f->code->nslots;
  for (int i = 0; i < n; i++) f->slots[i].~Value();
  if (f->extras && f->extras->locals_dict) decref(f->extras->locals_dict);
  if (f->extras && f->extras->globals) decref(f->extras->globals);
  if (f->func) decref(f->func);
  delete f->extras;  // last: it may hold the code
  frame_free(f, n);
}

namespace {

std::string fn_name(FunctionObj* fn) { return str_of(fn->qualname); }

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); i++) {
    if (i) out += names.size() > 2 ? ", " : " ";
    if (i && i + 1 == names.size()) out += "and ";
    out += "'" + names[i] + "'";
  }
  return out;
}

bool missing_error(FunctionObj* fn, const std::vector<std::string>& names, const char* kind) {
  std::string msg = fn_name(fn) + "() missing " + std::to_string(names.size()) + " required " + kind +
                    " argument" + (names.size() == 1 ? "" : "s") + ": " + quoted_list(names);
  raise(exc.TypeError, msg);
  return false;
}

bool too_many_error(FunctionObj* fn, size_t given, size_t kwgiven) {
  const Params& p = fn->code->params;
  size_t ndef = fn->defaults.size();
  std::string takes;
  if (ndef && (int)ndef < p.nargs)
    takes = "from " + std::to_string(p.nargs - ndef) + " to " + std::to_string(p.nargs) + " positional arguments";
  else
    takes = std::to_string(p.nargs) + " positional argument" + (p.nargs == 1 ? "" : "s");
  std::string msg = fn_name(fn) + "() takes " + takes + " but " + std::to_string(given);
  if (kwgiven) msg += " positional argument" + std::string(given == 1 ? "" : "s") + " (and " +
                      std::to_string(kwgiven) + " keyword-only argument" + (kwgiven == 1 ? "" : "s") + ")";
  msg += given == 1 && !kwgiven ? " was given" : " were given";
  raise(exc.TypeError, msg);
  return false;
}

}  // namespace

bool bind_args(FunctionObj* fn, Frame* f, const Args& args) {
  const Params& p = fn->code->params;
  Value* slots = f->slots;
  size_t npos = args.npos;
  // The common call: exactly the positional parameters, nothing else to sort out.
  if (npos == (size_t)p.nargs && !args.nkw() && !p.has_varargs && !p.has_kwargs && !p.nkwonly) {
    for (size_t i = 0; i < npos; i++) slots[i] = args.pos[i];
    return true;
  }
  size_t nfixed = std::min<size_t>(npos, p.nargs);
  for (size_t i = 0; i < nfixed; i++) slots[i] = args.pos[i];
  int vararg_slot = p.nargs + p.nkwonly;
  int kwarg_slot = vararg_slot + (p.has_varargs ? 1 : 0);
  if (npos > (size_t)p.nargs) {
    if (!p.has_varargs) {
      size_t kwonly_given = 0;
      for (size_t k = 0; k < args.nkw(); k++)
        for (int j = p.nargs; j < p.nargs + p.nkwonly; j++)
          if (str_eq(as<StrObj>((*args.kwnames)[k]), as<StrObj>(p.names[j]))) kwonly_given++;
      return too_many_error(fn, npos, kwonly_given);
    }
    slots[vararg_slot] = new_tuple(std::vector<Value>(args.pos + p.nargs, args.pos + npos));
  } else if (p.has_varargs) {
    slots[vararg_slot] = empty_tuple();
  }
  DictObj* extra = nullptr;
  if (p.has_kwargs) {
    slots[kwarg_slot] = new_dict();
    extra = as_dict(slots[kwarg_slot]);
  }
  for (size_t k = 0; k < args.nkw(); k++) {
    const Value& name = (*args.kwnames)[k];
    int found = -1;
    for (int j = 0; j < p.nargs + p.nkwonly; j++) {
      if (p.names[j].is(name) || str_eq(as<StrObj>(p.names[j]), as<StrObj>(name))) { found = j; break; }
    }
    if (found >= 0 && found < p.nposonly) found = -2;
    if (found < 0) {
      if (extra) { dict_set(extra, name, args.kwvals[k]); continue; }
      if (found == -2) {
        raise(exc.TypeError, fn_name(fn) + "() got some positional-only arguments passed as keyword arguments: '" + str_of(name) + "'");
        return false;
      }
      raise(exc.TypeError, fn_name(fn) + "() got an unexpected keyword argument '" + str_of(name) + "'");
      return false;
    }
    if (!slots[found].is_raised()) {
      raise(exc.TypeError, fn_name(fn) + "() got multiple values for argument '" + str_of(name) + "'");
      return false;
    }
    slots[found] = args.kwvals[k];
  }
  // Defaults fill the trailing positional parameters that are still unbound.
  size_t ndef = fn->defaults.size();
  std::vector<std::string> missing;
  for (int j = 0; j < p.nargs; j++) {
    if (!slots[j].is_raised()) continue;
    int d = j - (p.nargs - (int)ndef);
    if (d >= 0) slots[j] = fn->defaults[d];
    else missing.push_back(str_of(p.names[j]));
  }
  if (!missing.empty()) return missing_error(fn, missing, "positional");
  for (int j = 0; j < p.nkwonly; j++) {
    Value& s = slots[p.nargs + j];
    if (!s.is_raised()) continue;
    if (j < (int)fn->kwrequired.size() && !fn->kwrequired[j]) s = fn->kwdefaults[j];
    else missing.push_back(str_of(p.names[p.nargs + j]));
  }
  if (!missing.empty()) return missing_error(fn, missing, "keyword-only");
  return true;
}

void bind_cells(FunctionObj* fn, Frame* f) {
  const Code& c = *f->code;
  if (!c.has_cells) return;
  for (int s : c.param_cells) {
    auto* cell = new CellObj();
    cell->value = std::move(f->slots[s]);
    cell->empty = false;
    f->slots[s] = Value::adopt(cell);
  }
  for (int s : c.cell_slots) f->slots[s] = Value::adopt(new CellObj());
  for (size_t i = 0; i < c.free_slots.size(); i++) f->slots[c.free_slots[i]] = fn->closure[i];
}

bool recursion_error(const char* what) {
  raise(exc.RecursionError, std::string("maximum recursion depth exceeded") + what);
  return false;
}

Value call_bound(FunctionObj* fn, Frame* f) {
  Code* code = f->code;
  if (code->flags & (kGenerator | kCoroutine | kAsyncGenerator)) return make_generator(fn, f);
  if (!enter_recursion()) {
    Frame::destroy(f);
    return Value::raised();
  }
  Value out;
  RunStatus st = run_frame(f, out);
  leave_recursion();
  Frame::destroy(f);
  if (st == RunStatus::Raised) return Value::raised();
  return out;
}

Value call_function(FunctionObj* fn, const Args& args) {
  Frame* f = Frame::create(fn->code.get(), fn);
  if (!bind_args(fn, f, args)) {
    Frame::destroy(f);
    return Value::raised();
  }
  bind_cells(fn, f);
  return call_bound(fn, f);
}

Value make_function(std::shared_ptr<Code> code, Value globals) {
  auto* fn = new FunctionObj(std::move(code), std::move(globals));
  return Value::adopt(fn);
}

}  // namespace aio
