// The step executor: runs a frame's steps from its pc until it returns, yields or raises.
// Exceptions unwind through the code's handler table; finally blocks carry a pending action.
#include <algorithm>

#include "interp/class.h"
#include "interp/dict.h"
#include "interp/eval.h"
#include "interp/exception.h"
#include "interp/generator.h"
#include "interp/gil.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/set.h"
#include "interp/str.h"
#include "interp/traceback.h"
#include "interp/tuple.h"

namespace aio {

namespace {

// The innermost handler covering pc, or nullptr.
const ExcEntry* find_handler(const Code& c, int pc) {
  const ExcEntry* best = nullptr;
  for (const ExcEntry& e : c.handlers)
    if (e.start <= pc && pc < e.end && e.handler >= 0 && (!best || e.end - e.start < best->end - best->start))
      best = &e;
  return best;
}

void add_trace(Frame* f) {
  ExcObj* e = as<ExcObj>(tstate->exc);
  if (!e->traceback.empty() && e->traceback.back().frame == f) return;
  e->traceback.push_back(TraceEntry{f->code->shared_from_this(), f->line(), f});
}

// A def's parameter and return annotations, evaluated where the def runs (none: no dict).
bool eval_annotations(FunctionDef* d, Frame* f, FunctionObj* fn) {
  std::vector<const Arg*> annotated;  // in CPython's order: positional, *args, keyword-only, **kwargs
  auto add = [&](const Arg* p) { if (p && p->annotation) annotated.push_back(p); };
  for (auto* group : {&d->args.posonly, &d->args.args})
    for (const Arg& p : *group) add(&p);
  add(d->args.vararg.get());
  for (const Arg& p : d->args.kwonly) add(&p);
  add(d->args.kwarg.get());
  if (annotated.empty() && !d->returns) return true;
  Value dict = new_dict();
  for (const Arg* p : annotated) {
    Value v = eval(p->annotation.get(), f);
    if (v.is_raised() || !dict_set(as_dict(dict), intern(p->name), v)) return false;
  }
  if (d->returns) {
    Value v = eval(d->returns.get(), f);
    if (v.is_raised() || !dict_set(as_dict(dict), intern("return"), v)) return false;
  }
  fn->annotations = std::move(dict);
  return true;
}

// Builds a function object for a def, with its docstring.
Value make_def(FunctionDef* d, Frame* f) {
  Value fnv = make_closure(d->code, &d->args, f);
  if (fnv.is_raised()) return fnv;
  if (Constant* doc = docstring(d->body)) as<FunctionObj>(fnv)->doc = new_str(std::string(doc->s));
  if (!eval_annotations(d, f, as<FunctionObj>(fnv))) return Value::raised();
  return fnv;
}

Value apply_decorators(std::vector<ExprP>& decorators, Value v, Frame* f) {
  for (auto it = decorators.rbegin(); it != decorators.rend(); ++it) {
    Value d = eval(it->get(), f);
    if (d.is_raised()) return d;
    v = call(d, {v});
    if (v.is_raised()) return v;
  }
  return v;
}

bool exec_def(const Step& s, Frame* f) {
  Value v;
  if (s.stmt->kind == StmtKind::FunctionDef) {
    auto* d = static_cast<FunctionDef*>(s.stmt);
    v = make_def(d, f);
    if (v.is_raised()) return false;
    v = apply_decorators(d->decorators, std::move(v), f);
  } else {
    auto* c = static_cast<ClassDef*>(s.stmt);
    v = build_class(c, f);
    if (v.is_raised()) return false;
    v = apply_decorators(c->decorators, std::move(v), f);
  }
  if (v.is_raised()) return false;
  return assign(s.target_expr, v, f);
}

// Enters a with-block: remembers the manager and its __exit__, calls __enter__.
bool exec_with_enter(const Step& s, Frame* f) {
  Value mgr = eval(s.expr, f);
  if (mgr.is_raised()) return false;
  bool async = s.arg == 1;
  Value* enter = type_lookup(type_of(mgr), intern(async ? "__aenter__" : "__enter__"));
  Value* exit = type_lookup(type_of(mgr), intern(async ? "__aexit__" : "__exit__"));
  if (!enter || !exit) {
    std::string what = async ? "asynchronous context manager protocol" : "context manager protocol";
    std::string missing = !enter ? (async ? "__aenter__" : "__enter__") : (async ? "__aexit__" : "__exit__");
    raise(exc.TypeError, "'" + type_name(mgr) + "' object does not support the " + what);
    return false;
  }
  f->slots[s.slot] = mgr;
  f->slots[s.slot + 1] = *exit;
  Value r = call(*enter, {mgr});
  if (r.is_raised()) return false;
  f->slots[s.slot2] = std::move(r);
  return true;
}

bool exec_import(const Step& s, Frame* f) {
  if (s.stmt->kind == StmtKind::Import) {
    for (auto& a : static_cast<Import*>(s.stmt)->names) {
      Value m = import_module(a.name, f);
      if (m.is_raised()) return false;
      std::string bind = a.asname;
      if (bind.empty()) {
        bind = a.name.substr(0, a.name.find('.'));
        if (bind != a.name) m = import_module(bind, f);
      } else if (a.name.find('.') != std::string::npos) {
        // import a.b as c binds the submodule itself.
      }
      if (m.is_raised()) return false;
      if (!store_name(f, intern(bind), m)) return false;
    }
    return true;
  }
  auto* im = static_cast<ImportFrom*>(s.stmt);
  Value m = import_module(im->module, f);
  if (m.is_raised()) return false;
  for (auto& a : im->names) {
    if (a.name == "*") {
      if (!import_star(m, f)) return false;
      continue;
    }
    Value name = intern(a.name);
    Value v;
    int r = getattr_opt(m, name, v);
    if (r < 0) return false;
    if (r == 0) {
      Value sub = import_module(im->module + "." + a.name, f, true);
      if (sub.is_raised()) {
        take_exception();
        Value e = make_exception(exc.ImportError, {new_str("cannot import name '" + a.name + "' from '" +
                                                           im->module + "' (" + module_origin(m) + ")")});
        dict_set_str(as<ExcObj>(e)->dict, intern("name"), new_str(im->module));
        raise_value(std::move(e));
        return false;
      }
      v = sub;
    }
    if (!store_name(f, intern(a.asname.empty() ? a.name : a.asname), v)) return false;
  }
  return true;
}

bool exec_raise(const Step& s, Frame* f) {
  if (!s.expr) {
    auto& h = tstate->handling;
    if (h.empty() || h.back().is_none()) {  // None: a finally block entered without one
      raise(exc.RuntimeError, "No active exception to reraise");
      return false;
    }
    tstate->exc = h.back();
    return false;
  }
  Value e = eval(s.expr, f);
  if (e.is_raised()) return false;
  Value inst;
  if (e.is_obj() && is_subtype(type_of(e), types.type) && is_subtype(as<Type>(e), exc.BaseException)) {
    inst = call(e, {});
    if (inst.is_raised()) return false;
  } else if (is_exception(e)) {
    inst = e;
  } else {
    raise(exc.TypeError, "exceptions must derive from BaseException");
    return false;
  }
  if (s.expr2) {
    Value cause = eval(s.expr2, f);
    if (cause.is_raised()) return false;
    if (cause.is_obj() && is_subtype(type_of(cause), types.type)) {
      cause = call(cause, {});
      if (cause.is_raised()) return false;
    }
    ExcObj* x = as<ExcObj>(inst);
    x->cause = cause;
    x->suppress_context = true;
  }
  raise_value(inst);
  return false;
}

// Routes a pending return/jump to the enclosing finally block when it must run first.
int route_pending(Frame* f, const FinBlock& fin, Pending kind, Value value) {
  const Code& c = *f->code;
  if (fin.outer >= 0) {
    const FinBlock& outer = c.fins[fin.outer];
    bool leaves_outer = kind == Pending::Return ||
                        (value.as_int() < outer.region_start || value.as_int() >= outer.region_end);
    if (leaves_outer) {
      f->slots[outer.pending_slot] = Value::integer((int)kind);
      f->slots[outer.pending_slot + 1] = std::move(value);
      return outer.body_pc;
    }
  }
  return -1;
}

// Drives a delegate (yield from / await) one step; Yielded leaves the frame suspended.
GenResult drive_delegate(Frame* f, const Value& delegate, Value send, Value& out) {
  bool throwing = f->throwing;
  f->throwing = false;
  return resume_iterator(delegate, std::move(send), throwing, out);
}

// First arrival at an await / yield from: turn the operand into the iterator to drive, or (a
// direct call of a script coroutine function) leave its bound frame in `coroutine`. While the
// frame is suspended there, the delegate waits in the step's result slot.
bool start_delegate(const Step& s, Frame* f, Frame*& coroutine) {
  Value v;
  auto kind = (SuspendKind)s.arg;
  coroutine = nullptr;
  if (kind == SuspendKind::AsyncNext) {
    v = call_method(f->slots[s.aux], "__anext__", {});
  } else if (kind == SuspendKind::Await) {
    v = eval_awaited(s.expr, f, coroutine);
    if (coroutine) return true;
  } else {
    v = eval(s.expr, f);
  }
  if (v.is_raised()) return false;
  Value it = kind == SuspendKind::YieldFrom ? get_iter(v) : get_awaitable(v);
  if (it.is_raised()) return false;
  f->slots[s.slot] = std::move(it);
  f->throwing = false;
  return true;
}

// A generator suspended inside an except or finally block keeps its handled exceptions aside.
void park_handling(Frame* f, uint32_t handling_base) {
  auto& h = tstate->handling;
  if (h.size() == handling_base) return;
  if (!f->extras) f->extras = new FrameExtras();
  f->extras->saved_handling.assign(std::make_move_iterator(h.begin() + handling_base), std::make_move_iterator(h.end()));
  h.resize(handling_base);
}

void unpark_handling(Frame* f) {
  if (!f->extras || f->extras->saved_handling.empty()) return;
  for (auto& v : f->extras->saved_handling) tstate->handling.push_back(std::move(v));
  f->extras->saved_handling.clear();
}

}  // namespace

RunStatus run_frame(Frame* f, Value& out) {
  ThreadState* ts = tstate;
  ActiveFrame active{f, ts->active, (uint32_t)ts->handling.size()};
  const uint32_t handling_base = active.handling_base;
  ts->active = &active;
  unpark_handling(f);
  Value sent = std::move(out);
  const Code& code = *f->code;
  const Step* steps = code.steps.data();
  Value* slots = f->slots;
  RunStatus status;
  // Ctrl-C when a call starts (CPython's RESUME). A resumed frame leaves it for its next
  // back-edge or call, where its own try blocks see it.
  if (!gil_check(!f->resuming)) {
    add_trace(f);
    status = RunStatus::Raised;
    goto done;
  }
  for (;;) {
    const Step& s = steps[f->pc];
    switch (s.op) {
      case Op::Eval: {
        Value v = eval(s.expr, f);
        if (v.is_raised()) goto error;
        if (s.arg == 1 && !v.is_none() && !display_value(v)) goto error;
        v = Value();  // dropped before pc moves on: a finalizer's warning names this statement
        f->pc++;
        break;
      }
      case Op::Assign: {
        Value v = eval(s.expr, f);
        if (v.is_raised()) goto error;
        if (s.slot >= 0) {
          slots[s.slot] = std::move(v);
        } else if (s.target_expr) {
          if (!assign(s.target_expr, v, f)) goto error;
        } else {
          for (auto& t : *s.targets)
            if (!assign(t.get(), v, f)) goto error;
        }
        f->pc++;
        break;
      }
      case Op::AugAssign:
        if (!exec_augassign(static_cast<AugAssign*>(s.stmt), f)) goto error;
        f->pc++;
        break;
      case Op::Jump:
        if (s.target <= f->pc && !gil_check()) goto error;  // a loop's back-edge: let waiting threads in
        f->pc = s.target;
        break;
      case Op::JumpIfFalse:
      case Op::JumpIfTrue: {
        int t = eval_condition(s.expr, f);
        if (t < 0) goto error;
        f->pc = (t == (s.op == Op::JumpIfTrue)) ? s.target : f->pc + 1;
        break;
      }
      case Op::GetIter: {
        Value v = eval(s.expr, f);
        if (v.is_raised()) goto error;
        Value it = s.arg == 1 ? get_aiter(v) : get_iter(v);
        if (it.is_raised()) goto error;
        slots[s.slot] = std::move(it);
        f->pc++;
        break;
      }
      case Op::ForIter: {
        Value x;
        if (next_item(slots[s.slot], x)) {
          if (s.slot2 >= 0) slots[s.slot2] = std::move(x);
          else if (!assign(s.target_expr, x, f)) goto error;
          f->pc++;
        } else {
          if (x.is_raised()) goto error;
          slots[s.slot] = Value();
          f->pc = s.target;
        }
        break;
      }
      case Op::Return: {
        if (s.arg == 1) out = Value::borrow(f->extras->locals_dict);
        else if (s.expr) {
          out = eval(s.expr, f);
          if (out.is_raised()) goto error;
        } else {
          out = Value();
        }
        status = RunStatus::Returned;
        goto done;
      }
      case Op::Raise:
        exec_raise(s, f);
        goto error;
      case Op::Reraise:
        ts->exc = slots[s.slot];
        goto error;
      case Op::Suspend: {
        auto kind = (SuspendKind)s.arg;
        if (kind == SuspendKind::Yield) {
          if (!f->resuming) {
            if (s.expr) {
              out = eval(s.expr, f);
              if (out.is_raised()) goto error;
            } else {
              out = Value();
            }
            // An async generator's own yields are told apart from the awaits passing through it.
            if (f->code->flags & kAsyncGenerator) out = wrap_async_yield(std::move(out));
            f->resuming = true;
            status = RunStatus::Yielded;
            goto suspended;
          }
          f->resuming = false;
          if (f->throwing) {
            f->throwing = false;
            ts->exc = std::move(sent);
            goto error;
          }
          slots[s.slot] = std::move(sent);
          f->pc++;
          break;
        }
        Value r;
        GenResult g;
        Frame* coroutine = nullptr;
        if (!f->resuming && !start_delegate(s, f, coroutine)) goto error;
        f->resuming = false;
        if (coroutine) g = await_frame(coroutine, slots[s.slot], r);
        else g = drive_delegate(f, slots[s.slot], std::move(sent), r);
        if (g == GenResult::Yielded) {
          out = std::move(r);
          f->resuming = true;
          status = RunStatus::Yielded;
          goto suspended;
        }
        slots[s.slot] = g == GenResult::Raised ? Value() : std::move(r);
        if (g == GenResult::Raised) goto error;
        f->pc++;
        break;
      }
      case Op::Def:
        if (!exec_def(s, f)) goto error;
        f->pc++;
        break;
      case Op::Delete:
        for (auto& t : *s.targets)
          if (!delete_target(t.get(), f)) goto error;
        f->pc++;
        break;
      case Op::Import:
        if (!exec_import(s, f)) goto error;
        f->pc++;
        break;
      case Op::Assert: {
        Value v = eval(s.expr, f);
        if (v.is_raised()) goto error;
        int t = truthy(v);
        if (t < 0) goto error;
        if (!t) {
          std::vector<Value> args;
          if (s.expr2) {
            Value m = eval(s.expr2, f);
            if (m.is_raised()) goto error;
            args.push_back(std::move(m));
          }
          raise_value(make_exception(exc.AssertionError, std::move(args)));
          goto error;
        }
        f->pc++;
        break;
      }
      case Op::ExceptMatch: {
        const Value& e = slots[s.slot];
        bool match;
        if (s.arg == 1) {
          match = isinstance(e, exc.StopAsyncIteration);
        } else {
          Value t = eval(s.expr, f);
          if (t.is_raised()) goto error;
          int m = exception_isinstance(e, t);
          if (m < 0) goto error;
          match = m;
        }
        f->pc = match ? f->pc + 1 : s.target;
        break;
      }
      case Op::EnterHandler:
        ts->handling.push_back(slots[s.slot]);
        f->pc++;
        break;
      case Op::ExitHandler:
        ts->handling.resize(handling_base + s.aux);
        f->pc++;
        break;
      case Op::SetPending: {
        const FinBlock& fin = code.fins[s.aux];
        auto kind = (Pending)s.arg;
        if (kind == Pending::Return) {
          Value v = s.expr ? eval(s.expr, f) : Value();
          if (v.is_raised()) goto error;
          slots[fin.pending_slot + 1] = std::move(v);
        } else if (kind == Pending::Jump) {
          slots[fin.pending_slot + 1] = Value::integer(s.target);
        }
        slots[fin.pending_slot] = Value::integer((int)kind);
        f->pc = fin.body_pc;
        break;
      }
      case Op::EnterFinally: {
        const FinBlock& fin = code.fins[s.aux];
        bool raising = (Pending)slots[fin.pending_slot].as_int() == Pending::Raise;
        Value current = ts->handling.empty() ? Value() : ts->handling.back();
        ts->handling.push_back(raising ? slots[fin.pending_slot + 1] : std::move(current));
        f->pc++;
        break;
      }
      case Op::EndFinally: {
        const FinBlock& fin = code.fins[s.aux];
        ts->handling.resize(handling_base + fin.handling_depth);
        auto kind = (Pending)slots[fin.pending_slot].as_int();
        Value value = slots[fin.pending_slot + 1];
        if (kind == Pending::None) {
          f->pc++;
          break;
        }
        if (kind == Pending::Raise) {
          ts->exc = std::move(value);
          goto error;
        }
        int next = route_pending(f, fin, kind, value);
        if (next >= 0) {
          f->pc = next;
          break;
        }
        if (kind == Pending::Return) {
          out = std::move(value);
          status = RunStatus::Returned;
          goto done;
        }
        f->pc = (int)value.as_int();
        break;
      }
      case Op::WithEnter:
        if (!exec_with_enter(s, f)) goto error;
        f->pc++;
        break;
      case Op::WithExit: {
        Value r = call(slots[s.slot + 1], {slots[s.slot], Value(), Value(), Value()});
        if (r.is_raised()) goto error;
        slots[s.slot2] = std::move(r);
        f->pc++;
        break;
      }
      case Op::WithExcept: {
        const Value& e = slots[code.fins[s.aux].pending_slot + 1];
        Value r = call(slots[s.slot + 1], {slots[s.slot], Value::borrow(type_of(e)), e, traceback_of(e)});
        if (r.is_raised()) goto error;
        slots[s.slot2] = std::move(r);
        f->pc++;
        break;
      }
      case Op::CompInit:
        slots[s.slot] = s.arg == 0 ? new_list({}) : s.arg == 1 ? new_set() : new_dict();
        f->pc++;
        break;
      case Op::CompAppend: {
        Value v = eval(s.expr, f);
        if (v.is_raised()) goto error;
        Value& c = slots[s.slot];
        if (is_exact(c, types.list)) {
          list_items(c).push_back(std::move(v));
        } else if (is_exact(c, types.dict)) {
          Value w = eval(s.expr2, f);
          if (w.is_raised() || !dict_set(as_dict(c), v, std::move(w))) goto error;
        } else if (!set_add(as<SetObj>(c), v)) {
          goto error;
        }
        f->pc++;
        break;
      }
      case Op::Nop: f->pc++; break;
    }
    continue;
  error:
    if (ts->exc.is_none()) raise(exc.SystemError, "error return without exception set");
    f->resuming = false;
    add_trace(f);
    if (const ExcEntry* h = find_handler(code, f->pc)) {
      ts->handling.resize(handling_base + h->handling_depth);
      slots[h->slot] = take_exception();
      f->pc = h->handler;
      continue;
    }
    status = RunStatus::Raised;
    goto done;
  }
suspended:
  park_handling(f, handling_base);
  ts->active = active.back;
  return status;
done:
  if (ts->handling.size() != handling_base) ts->handling.resize(handling_base);
  ts->active = active.back;
  return status;
}

}  // namespace aio
