// The compile pass: resolves every name to a slot, cell or dictionary, and lowers statements
// into steps. Sub-expressions holding an await or yield are lifted into steps of their own,
// spilling earlier operands to temporaries so Python's left-to-right order holds.
#include <algorithm>
#include <map>

#include "interp/code.h"
#include "interp/exception.h"
#include "interp/object.h"
#include "interp/scope.h"
#include "interp/eval.h"
#include "interp/match.h"

namespace aio {
namespace {

constexpr const char* kStarHandlerExit = "'break', 'continue' and 'return' cannot appear in an except* block";

struct Loop {
  int continue_pc;
  std::vector<int> breaks;  // steps whose target is the loop's end
  int handling_depth;
  size_t fin_depth;
};

class Lowerer {
 public:
  Lowerer(SymbolTables& tables, SymTable* sym, Code& code, CompileMode mode)
      : tables_(tables), sym_(sym), code_(code), mode_(mode) {}

  // Lays out parameters, locals, cells and frees as the first slots.
  void layout(Arguments* args) {
    if (args) {
      auto add = [&](const std::string& n) { code_.params.names.push_back(intern(n)); named_slot(n); };
      for (auto& p : args->posonly) add(p.name);
      for (auto& p : args->args) add(p.name);
      for (auto& p : args->kwonly) add(p.name);
      code_.params.nposonly = (int)args->posonly.size();
      code_.params.nargs = (int)(args->posonly.size() + args->args.size());
      code_.params.nkwonly = (int)args->kwonly.size();
      if (args->vararg) { add(args->vararg->name); code_.params.has_varargs = true; }
      if (args->kwarg) { add(args->kwarg->name); code_.params.has_kwargs = true; }
    } else if (sym_->params.count(".0")) {
      code_.params.names.push_back(intern(".0"));
      named_slot(".0");
      code_.params.nargs = 1;
    }
    if (sym_->kind == SymTable::FunctionScope)
      for (auto& n : sym_->bound)
        if (sym_->is_local(n)) named_slot(n);
    for (auto& n : sym_->cells) {
      int s = slot_of_.at(n);
      if (sym_->params.count(n)) code_.param_cells.push_back(s);
      else code_.cell_slots.push_back(s);
    }
    for (auto& n : sym_->frees) {
      code_.free_slots.push_back(named_slot(n));
      code_.free_names.push_back(intern(n));
    }
    code_.has_cells = !code_.cell_slots.empty() || !code_.free_slots.empty() || !code_.param_cells.empty();
    base_slots_ = next_slot_;
  }

  void body(Body& b) {
    for (auto& s : b) stmt(s.get());
  }

  // Module and class bodies start by binding __doc__, and __annotations__ when they annotate.
  void prologue(Body& b) {
    if (sym_->kind == SymTable::FunctionScope) return;
    if (Constant* doc = docstring(b)) assign_name("__doc__", doc);
    if (sym_->has_annotations) assign_name("__annotations__", own(std::make_unique<Dict>()));
  }

  void finish(bool module_like) {
    Step s{Op::Return};
    s.line = last_line_;
    if (module_like && sym_->kind == SymTable::ClassScope) s.arg = 1;
    emit(s);
    code_.nslots = std::max(max_slot_, 1);
  }

  std::string error;
  int error_line = 0;

 private:
  SymbolTables& tables_;
  SymTable* sym_;
  Code& code_;
  CompileMode mode_;
  std::map<std::string, int> slot_of_;
  int next_slot_ = 0, max_slot_ = 0, base_slots_ = 0;
  int last_line_ = 0;
  int handling_depth_ = 0;
  std::vector<Loop> loops_;
  std::vector<size_t> star_loops_;  // loops_.size() where each enclosing except* handler began
  std::vector<int> fins_;  // indices into code_.fins, innermost last

  int named_slot(const std::string& n) {
    auto it = slot_of_.find(n);
    if (it != slot_of_.end()) return it->second;
    int s = next_slot_++;
    slot_of_[n] = s;
    code_.slot_names.resize(next_slot_);
    code_.slot_names[s] = intern(n);
    max_slot_ = std::max(max_slot_, next_slot_);
    return s;
  }

  int temp(int n = 1) {
    int s = next_slot_;
    next_slot_ += n;
    max_slot_ = std::max(max_slot_, next_slot_);
    return s;
  }

  int pc() const { return (int)code_.steps.size(); }
  int emit(Step s) {
    if (!s.line) s.line = last_line_;
    code_.steps.push_back(s);
    return pc() - 1;
  }
  // A plain local variable as the whole target: the step stores straight into its slot (-1: no).
  static int local_slot(Expr* t) {
    if (t->kind != ExprKind::Name) return -1;
    auto* n = static_cast<Name*>(t);
    return n->scope == Scope::Local ? n->slot : -1;
  }
  Step step(Op op, Expr* e = nullptr) {
    Step s{op};
    s.expr = e;
    s.line = last_line_;
    return s;
  }
  Expr* own(ExprP e) {
    code_.synthetic.push_back(std::move(e));
    return code_.synthetic.back().get();
  }
  ExprP temp_ref(int slot, const Pos& pos) {
    auto t = std::make_unique<TempRef>(slot);
    t->pos = pos;
    return t;
  }

  void fail(const std::string& msg, int line) {
    if (error.empty()) { error = msg; error_line = line; }
  }

  // ---- names and expressions ----

  void resolve_name(Name* n) {
    n->interned = intern(n->id);
    const std::string& id = n->id;
    switch (sym_->kind) {
      case SymTable::ModuleScope: n->scope = Scope::Global; return;
      case SymTable::ClassScope:
        if (sym_->bound.count(id) && !sym_->declared_nonlocal.count(id) && !sym_->declared_global.count(id)) {
          n->scope = Scope::ClassBody;
        } else if (sym_->is_free(id)) {
          n->scope = Scope::Cell;
          n->slot = slot_of_.at(id);
        } else {
          // CPython's LOAD_NAME: the namespace (a metaclass's __prepare__ may answer), then globals.
          n->scope = sym_->declared_global.count(id) ? Scope::Global : Scope::ClassBody;
        }
        return;
      case SymTable::FunctionScope:
        if (sym_->is_local(id) || sym_->is_free(id)) {
          n->slot = slot_of_.at(id);
          n->scope = (sym_->cells.count(id) || sym_->is_free(id)) ? Scope::Cell : Scope::Local;
        } else {
          n->scope = Scope::Global;
        }
        return;
    }
  }

  // Compiles a nested function body into its own Code.
  std::shared_ptr<Code> nested(const void* node, const std::string& name, Arguments* args,
                               Body* body, Expr* lambda_body, Comp* comp, int line) {
    SymTable* t = tables_.of.at(node);
    auto c = std::make_shared<Code>();
    c->name = name;
    c->qualname = qualname_prefix() + name;
    c->module = code_.module;
    c->firstline = line;
    if (t->kind == SymTable::ClassScope) c->flags |= kClassBody;
    if (t->is_generator) c->flags |= (t->is_async ? kAsyncGenerator : kGenerator);
    else if (t->is_async) c->flags |= kCoroutine;
    Lowerer inner(tables_, t, *c, CompileMode::File);
    inner.last_line_ = line;
    inner.qual_ = c->qualname + (t->kind == SymTable::ClassScope ? "." : ".<locals>.");
    inner.layout(args);
    if (body) {
      inner.prologue(*body);
      inner.body(*body);
    }
    if (lambda_body) {
      inner.lift_and_resolve(lambda_body);
      Step r = inner.step(Op::Return, lambda_body);
      inner.emit(r);
    }
    if (comp) inner.comprehension_body(comp);
    inner.finish(t->kind == SymTable::ClassScope);
    if (!inner.error.empty()) fail(inner.error, inner.error_line);
    return c;
  }

  std::string qual_;
  std::string qualname_prefix() const { return qual_; }

  // Resolves names inside e and compiles nested lambdas/comprehensions; returns has_suspend.
  bool resolve(Expr* e) {
    if (!e) return false;
    bool s = false;
    switch (e->kind) {
      case ExprKind::Constant: {
        auto* c = static_cast<Constant*>(e);
        c->value = constant_value(c);
        if (c->value.is_raised()) fail("invalid constant", e->pos.line);
        break;
      }
      case ExprKind::Temp:
      case ExprKind::MatchTest: break;
      case ExprKind::Name: resolve_name(static_cast<Name*>(e)); break;
      case ExprKind::JoinedStr:
        for (auto& p : static_cast<JoinedStr*>(e)->parts) s |= resolve(p.get());
        break;
      case ExprKind::FormattedValue: {
        auto* f = static_cast<FormattedValue*>(e);
        s |= resolve(f->value.get());
        s |= resolve(f->format_spec.get());
        break;
      }
      case ExprKind::BinOp: {
        auto* b = static_cast<BinOp*>(e);
        s |= resolve(b->left.get());
        s |= resolve(b->right.get());
        break;
      }
      case ExprKind::UnaryOp: s |= resolve(static_cast<UnaryOp*>(e)->operand.get()); break;
      case ExprKind::BoolOp:
        for (auto& v : static_cast<BoolOp*>(e)->values) s |= resolve(v.get());
        break;
      case ExprKind::Compare: {
        auto* c = static_cast<Compare*>(e);
        s |= resolve(c->left.get());
        for (auto& x : c->comparators) s |= resolve(x.get());
        break;
      }
      case ExprKind::Call: {
        auto* c = static_cast<Call*>(e);
        s |= resolve(c->func.get());
        for (auto& a : c->args) s |= resolve(a.get());
        c->kwnames.clear();
        for (auto& k : c->keywords) {
          s |= resolve(k.value.get());
          if (k.name.empty()) c->simple = false;
          else c->kwnames.push_back(intern(k.name));
        }
        for (auto& a : c->args)
          if (a->kind == ExprKind::Starred) c->simple = false;
        break;
      }
      case ExprKind::Attribute: {
        auto* a = static_cast<Attribute*>(e);
        a->interned = intern(a->attr);
        s |= resolve(a->value.get());
        break;
      }
      case ExprKind::Subscript: {
        auto* x = static_cast<Subscript*>(e);
        s |= resolve(x->value.get());
        s |= resolve(x->index.get());
        break;
      }
      case ExprKind::Slice: {
        auto* x = static_cast<Slice*>(e);
        s |= resolve(x->lower.get());
        s |= resolve(x->upper.get());
        s |= resolve(x->step.get());
        break;
      }
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set:
        for (auto& x : static_cast<Sequence*>(e)->elts) s |= resolve(x.get());
        break;
      case ExprKind::Dict: {
        auto* d = static_cast<Dict*>(e);
        for (size_t i = 0; i < d->keys.size(); i++) {
          s |= resolve(d->keys[i].get());
          s |= resolve(d->values[i].get());
        }
        break;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp:
      case ExprKind::GeneratorExp: {
        auto* c = static_cast<Comp*>(e);
        s |= resolve(c->generators[0].iter.get());
        auto fn = std::make_unique<FunctionDef>();
        fn->name = e->kind == ExprKind::ListComp   ? "<listcomp>"
                   : e->kind == ExprKind::SetComp  ? "<setcomp>"
                   : e->kind == ExprKind::DictComp ? "<dictcomp>"
                                                   : "<genexpr>";
        fn->pos = e->pos;
        fn->code = nested(c, fn->name, nullptr, nullptr, nullptr, c, e->pos.line);
        c->fn = fn.get();
        c->owned_fn = std::move(fn);
        // A list/set/dict comprehension with await inside is a coroutine that is awaited in place.
        if (c->fn->code->flags & kCoroutine) s = true;
        break;
      }
      case ExprKind::Lambda: {
        auto* l = static_cast<Lambda*>(e);
        for (auto& d : l->args.defaults) s |= resolve(d.get());
        for (auto& d : l->args.kw_defaults) s |= resolve(d.get());
        auto fn = std::make_unique<FunctionDef>();
        fn->name = "<lambda>";
        fn->pos = e->pos;
        fn->code = nested(l, "<lambda>", &l->args, nullptr, l->body.get(), nullptr, e->pos.line);
        l->fn = std::move(fn);
        break;
      }
      case ExprKind::IfExp: {
        auto* i = static_cast<IfExp*>(e);
        s |= resolve(i->test.get());
        s |= resolve(i->body.get());
        s |= resolve(i->orelse.get());
        break;
      }
      case ExprKind::NamedExpr: {
        auto* n = static_cast<NamedExpr*>(e);
        s |= resolve(n->value.get());
        resolve(n->target.get());
        break;
      }
      case ExprKind::Await:
      case ExprKind::Yield:
      case ExprKind::YieldFrom:
        resolve(static_cast<UnaryExpr*>(e)->value.get());
        s = true;
        break;
      case ExprKind::Starred: s |= resolve(static_cast<UnaryExpr*>(e)->value.get()); break;
    }
    e->has_suspend = s;
    return s;
  }

  // Resolves e; if it suspends, emits the steps that run its suspending parts first.
  void lift_and_resolve(Expr* e) {
    if (resolve(e)) lift_children(e);
  }

  // Lifts the slot `e` (which holds a suspending expression) into steps; afterwards e is a temp.
  void lift(ExprP& e) {
    if (!e || !e->has_suspend) return;
    Pos pos = e->pos;
    switch (e->kind) {
      case ExprKind::Await:
      case ExprKind::Yield:
      case ExprKind::YieldFrom: {
        auto* u = static_cast<UnaryExpr*>(e.get());
        lift(u->value);
        Step s = step(Op::Suspend, u->value.get());
        s.arg = (uint8_t)(e->kind == ExprKind::Await     ? SuspendKind::Await
                          : e->kind == ExprKind::Yield   ? SuspendKind::Yield
                                                         : SuspendKind::YieldFrom);
        s.slot = temp();
        emit(s);
        own(std::move(e));
        e = temp_ref(s.slot, pos);
        return;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp: {
        // An async comprehension: call it, then await the coroutine it returns.
        auto* c = static_cast<Comp*>(e.get());
        lift(c->generators[0].iter);
        int t = temp();
        Step a = step(Op::Assign, e.get());
        a.slot = t;
        emit(a);
        own(std::move(e));
        Step s = step(Op::Suspend, own(temp_ref(t, pos)));
        s.arg = (uint8_t)SuspendKind::Await;
        s.slot = temp();
        emit(s);
        e = temp_ref(s.slot, pos);
        return;
      }
      case ExprKind::BoolOp: {
        auto* b = static_cast<BoolOp*>(e.get());
        int t = temp();
        std::vector<int> exits;
        for (size_t i = 0; i < b->values.size(); i++) {
          lift(b->values[i]);
          Step a = step(Op::Assign, b->values[i].get());
          a.slot = t;
          emit(a);
          if (i + 1 < b->values.size()) {
            Step j = step(b->is_and ? Op::JumpIfFalse : Op::JumpIfTrue, own(temp_ref(t, pos)));
            exits.push_back(emit(j));
          }
        }
        for (int x : exits) code_.steps[x].target = pc();
        own(std::move(e));
        e = temp_ref(t, pos);
        return;
      }
      case ExprKind::IfExp: {
        auto* i = static_cast<IfExp*>(e.get());
        int t = temp();
        lift(i->test);
        int jf = emit(step(Op::JumpIfFalse, i->test.get()));
        lift(i->body);
        Step a = step(Op::Assign, i->body.get());
        a.slot = t;
        emit(a);
        int je = emit(step(Op::Jump));
        code_.steps[jf].target = pc();
        lift(i->orelse);
        Step b = step(Op::Assign, i->orelse.get());
        b.slot = t;
        emit(b);
        code_.steps[je].target = pc();
        own(std::move(e));
        e = temp_ref(t, pos);
        return;
      }
      default:
        lift_children(e.get());
        return;
    }
  }

  // Evaluation order of e's operands; the ones before the last suspending one are spilled.
  void children(Expr* e, std::vector<ExprP*>& out) {
    switch (e->kind) {
      case ExprKind::JoinedStr:
        for (auto& p : static_cast<JoinedStr*>(e)->parts) out.push_back(&p);
        break;
      case ExprKind::FormattedValue: {
        auto* f = static_cast<FormattedValue*>(e);
        out.push_back(&f->value);
        if (f->format_spec) out.push_back(&f->format_spec);
        break;
      }
      case ExprKind::BinOp:
        out.push_back(&static_cast<BinOp*>(e)->left);
        out.push_back(&static_cast<BinOp*>(e)->right);
        break;
      case ExprKind::UnaryOp: out.push_back(&static_cast<UnaryOp*>(e)->operand); break;
      case ExprKind::Compare: {
        auto* c = static_cast<Compare*>(e);
        out.push_back(&c->left);
        for (auto& x : c->comparators) out.push_back(&x);
        break;
      }
      case ExprKind::Call: {
        auto* c = static_cast<Call*>(e);
        out.push_back(&c->func);
        for (auto& a : c->args) out.push_back(&a);
        for (auto& k : c->keywords) out.push_back(&k.value);
        break;
      }
      case ExprKind::Attribute: out.push_back(&static_cast<Attribute*>(e)->value); break;
      case ExprKind::Subscript:
        out.push_back(&static_cast<Subscript*>(e)->value);
        out.push_back(&static_cast<Subscript*>(e)->index);
        break;
      case ExprKind::Slice: {
        auto* s = static_cast<Slice*>(e);
        for (auto* p : {&s->lower, &s->upper, &s->step})
          if (*p) out.push_back(p);
        break;
      }
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set:
        for (auto& x : static_cast<Sequence*>(e)->elts) out.push_back(&x);
        break;
      case ExprKind::Dict: {
        auto* d = static_cast<Dict*>(e);
        for (size_t i = 0; i < d->keys.size(); i++) {
          if (d->keys[i]) out.push_back(&d->keys[i]);
          out.push_back(&d->values[i]);
        }
        break;
      }
      case ExprKind::NamedExpr: out.push_back(&static_cast<NamedExpr*>(e)->value); break;
      case ExprKind::Starred: out.push_back(&static_cast<UnaryExpr*>(e)->value); break;
      default: break;
    }
  }

  void lift_children(Expr* e) {
    std::vector<ExprP*> kids;
    children(e, kids);
    int last = -1;
    for (int i = 0; i < (int)kids.size(); i++)
      if ((*kids[i])->has_suspend) last = i;
    for (int i = 0; i < last; i++) {
      ExprP& k = *kids[i];
      if (k->has_suspend) { lift(k); continue; }
      if (k->kind == ExprKind::Constant || k->kind == ExprKind::Temp) continue;
      if (k->kind == ExprKind::Starred) continue;  // spilled with its value below
      Pos pos = k->pos;
      Step a = step(Op::Assign, k.get());
      a.slot = temp();
      emit(a);
      own(std::move(k));
      k = temp_ref(a.slot, pos);
    }
    if (last >= 0) lift(*kids[last]);
    e->has_suspend = false;
  }

  // An expression that must be evaluated by a step: resolve it and lift its suspends.
  Expr* value(ExprP& e) {
    if (!e) return nullptr;
    if (resolve(e.get())) lift(e);
    return e.get();
  }

  void target(Expr* t) {
    resolve(t);  // targets never suspend (their subscripts may read names)
  }

  // ---- statements ----

  // name = v, for a synthetic name the body does not spell out; v never suspends.
  void assign_name(const char* id, Expr* v) {
    auto n = std::make_unique<Name>();
    n->id = id;
    n->pos = v->pos;
    Expr* t = own(std::move(n));
    target(t);
    resolve(v);
    Step st = step(Op::Assign, v);
    st.target_expr = t;
    emit(st);
  }

  // x: T in a module or class body: evaluates T, and records it in __annotations__ for a name.
  void annotate(AnnAssign* a) {
    Expr* ann = value(a->annotation);
    if (a->target->kind != ExprKind::Name) {
      emit(step(Op::Eval, ann));
      return;
    }
    auto ns = std::make_unique<Name>();
    ns->id = "__annotations__";
    auto key = std::make_unique<Constant>();
    key->ck = ConstKind::Str;
    key->s = static_cast<Name*>(a->target.get())->id;
    auto sub = std::make_unique<Subscript>();
    sub->pos = ns->pos = key->pos = a->pos;
    sub->value = std::move(ns);
    sub->index = std::move(key);
    Expr* t = own(std::move(sub));
    target(t);
    Step st = step(Op::Assign, ann);
    st.target_expr = t;
    emit(st);
  }

  void stmt(Stmt* s) {
    last_line_ = s->pos.line;
    int mark = next_slot_;
    switch (s->kind) {
      case StmtKind::Expr: {
        auto* e = static_cast<ExprStmt*>(s);
        Expr* v = value(e->value);
        bool top = sym_->kind == SymTable::ModuleScope;
        Step st = step(top && mode_ == CompileMode::Eval ? Op::Return : Op::Eval, v);
        if (top && mode_ == CompileMode::Interactive) st.arg = 1;  // print the value
        // `await x` as a statement: its Suspend step did the work; reading the result is a no-op.
        if (st.op == Op::Eval && st.arg == 0 && v->kind == ExprKind::Temp) break;
        emit(st);
        break;
      }
      case StmtKind::Assign: {
        auto* a = static_cast<Assign*>(s);
        Expr* v = value(a->value);
        for (auto& t : a->targets) target(t.get());
        Step st = step(Op::Assign, v);
        if (a->targets.size() == 1) {
          st.target_expr = a->targets[0].get();
          st.slot = local_slot(st.target_expr);
        } else {
          st.targets = &a->targets;
        }
        emit(st);
        break;
      }
      case StmtKind::AugAssign: {
        auto* a = static_cast<AugAssign*>(s);
        value(a->value);
        target(a->target.get());
        Step st = step(Op::AugAssign);
        st.stmt = s;
        emit(st);
        break;
      }
      case StmtKind::AnnAssign: {
        auto* a = static_cast<AnnAssign*>(s);
        if (a->value) {
          Expr* v = value(a->value);
          target(a->target.get());
          Step st = step(Op::Assign, v);
          st.target_expr = a->target.get();
          emit(st);
        }
        if (sym_->kind != SymTable::FunctionScope) annotate(a);
        break;
      }
      case StmtKind::If: if_stmt(static_cast<If*>(s)); break;
      case StmtKind::While: while_stmt(static_cast<While*>(s)); break;
      case StmtKind::For: for_stmt(static_cast<For*>(s)); break;
      case StmtKind::Break:
      case StmtKind::Continue:
        if (leaves_star_handler(s)) { fail(kStarHandlerExit, s->pos.line); break; }
        jump_out(s);
        break;
      case StmtKind::Pass: break;
      case StmtKind::Return: {
        auto* r = static_cast<Return*>(s);
        if (sym_->kind != SymTable::FunctionScope) { fail("'return' outside function", s->pos.line); break; }
        if (leaves_star_handler(s)) { fail(kStarHandlerExit, s->pos.line); break; }
        Expr* v = value(r->value);
        if (!fins_.empty()) {
          Step st = step(Op::SetPending, v);
          st.arg = (uint8_t)Pending::Return;
          st.aux = fins_.back();
          emit(st);
        } else {
          emit(step(Op::Return, v));
        }
        break;
      }
      case StmtKind::FunctionDef: {
        auto* f = static_cast<FunctionDef*>(s);
        for (auto& d : f->decorators) value(d);
        for (auto& d : f->args.defaults) value(d);
        for (auto& d : f->args.kw_defaults) value(d);
        for (auto* group : {&f->args.posonly, &f->args.args, &f->args.kwonly})
          for (Arg& p : *group) value(p.annotation);
        for (Arg* p : {f->args.vararg.get(), f->args.kwarg.get()})
          if (p) value(p->annotation);
        value(f->returns);
        f->code = nested(f, f->name, &f->args, &f->body, nullptr, nullptr, s->pos.line);
        last_line_ = s->pos.line;
        def_step(s, f->name);
        break;
      }
      case StmtKind::ClassDef: {
        auto* c = static_cast<ClassDef*>(s);
        for (auto& d : c->decorators) value(d);
        for (auto& b : c->bases) value(b);
        for (auto& k : c->keywords) value(k.value);
        c->code = nested(c, c->name, nullptr, &c->body, nullptr, nullptr, s->pos.line);
        last_line_ = s->pos.line;
        def_step(s, c->name);
        break;
      }
      case StmtKind::Global:
      case StmtKind::Nonlocal: break;
      case StmtKind::Delete: {
        auto* d = static_cast<Delete*>(s);
        for (auto& t : d->targets) target(t.get());
        Step st = step(Op::Delete);
        st.targets = &d->targets;
        emit(st);
        break;
      }
      case StmtKind::Assert: {
        auto* a = static_cast<Assert*>(s);
        Step st = step(Op::Assert, value(a->test));
        st.expr2 = value(a->msg);
        emit(st);
        break;
      }
      case StmtKind::Raise: {
        auto* r = static_cast<Raise*>(s);
        Step st = step(Op::Raise, value(r->exc));
        st.expr2 = value(r->cause);
        emit(st);
        break;
      }
      case StmtKind::Try: try_stmt(static_cast<Try*>(s)); break;
      case StmtKind::With: with_stmt(static_cast<With*>(s), 0); break;
      case StmtKind::Match: match_stmt(static_cast<Match*>(s)); break;
      case StmtKind::Import:
      case StmtKind::ImportFrom: {
        Step st = step(Op::Import);
        st.stmt = s;
        emit(st);
        break;
      }
    }
    next_slot_ = mark;  // temporaries die with their statement
  }

  // Binds a def/class: the target is a synthetic Name resolved in this scope.
  void def_step(Stmt* s, const std::string& name) {
    auto n = std::make_unique<Name>();
    n->id = name;
    n->pos = s->pos;
    resolve_name(n.get());
    Step st = step(Op::Def);
    st.stmt = s;
    st.target_expr = own(std::move(n));
    emit(st);
  }

  void if_stmt(If* s) {
    int jf = emit(step(Op::JumpIfFalse, value(s->test)));
    body(s->body);
    if (s->orelse.empty()) {
      code_.steps[jf].target = pc();
      return;
    }
    int je = emit(step(Op::Jump));
    code_.steps[jf].target = pc();
    body(s->orelse);
    code_.steps[je].target = pc();
  }

  // The subject goes to a temporary; each case is a MatchTest step (match.cpp tests the pattern
  // and binds its names), then its guard, then its body.
  void match_stmt(Match* s) {
    int subject = temp();
    Step st = step(Op::Assign, value(s->subject));
    st.slot = subject;
    emit(st);
    std::vector<int> exits;
    for (MatchCase& c : s->cases) {
      last_line_ = c.pos.line;
      for_each_pattern_expr(c.pattern.get(), [&](ExprP& e, bool binds) { binds ? target(e.get()) : (void)value(e); });
      c.test = std::make_unique<MatchTest>();
      c.test->subject = temp_ref(subject, c.pos);
      c.test->pattern = c.pattern.get();
      std::vector<int> fails{emit(step(Op::JumpIfFalse, c.test.get()))};
      if (c.guard) fails.push_back(emit(step(Op::JumpIfFalse, value(c.guard))));
      body(c.body);
      exits.push_back(emit(step(Op::Jump)));
      for (int j : fails) code_.steps[j].target = pc();
    }
    for (int j : exits) code_.steps[j].target = pc();
  }

  void loop_body(Body& b, int continue_pc, Body& orelse, int exit_step) {
    loops_.push_back(Loop{continue_pc, {}, handling_depth_, fins_.size()});
    body(b);
    Step back = step(Op::Jump);
    back.target = continue_pc;
    emit(back);
    Loop loop = std::move(loops_.back());
    loops_.pop_back();
    if (exit_step >= 0) code_.steps[exit_step].target = pc();
    body(orelse);
    for (int b : loop.breaks) code_.steps[b].target = pc();
  }

  void while_stmt(While* s) {
    int top = pc();
    int jf = emit(step(Op::JumpIfFalse, value(s->test)));
    loop_body(s->body, top, s->orelse, jf);
  }

  void for_stmt(For* s) {
    int it = temp();
    Step gi = step(Op::GetIter, value(s->iter));
    gi.slot = it;
    if (s->is_async) gi.arg = 1;
    emit(gi);
    target(s->target.get());
    if (!s->is_async) {
      int top = pc();
      Step fi = step(Op::ForIter);
      fi.slot = it;
      fi.target_expr = s->target.get();
      fi.slot2 = local_slot(fi.target_expr);
      int fs = emit(fi);
      loop_body(s->body, top, s->orelse, fs);
      return;
    }
    // async for: await __anext__() under a handler that turns StopAsyncIteration into the exit.
    int top = pc();
    int exc_slot = temp();
    Step nx = step(Op::Suspend);
    nx.arg = (uint8_t)SuspendKind::AsyncNext;
    nx.aux = it;
    nx.slot = temp();
    int start = emit(nx);
    code_.handlers.push_back(ExcEntry{start, start + 1, -1, exc_slot, handling_depth_});
    size_t entry = code_.handlers.size() - 1;
    Step as = step(Op::Assign, own(temp_ref(nx.slot, s->pos)));
    as.target_expr = s->target.get();
    emit(as);
    loops_.push_back(Loop{top, {}, handling_depth_, fins_.size()});
    body(s->body);
    Step back = step(Op::Jump);
    back.target = top;
    emit(back);
    Loop loop = std::move(loops_.back());
    loops_.pop_back();
    code_.handlers[entry].handler = pc();
    Step m = step(Op::ExceptMatch);
    m.arg = 1;
    m.slot = exc_slot;
    int ms = emit(m);
    int over = emit(step(Op::Jump));
    code_.steps[ms].target = pc();
    Step rr = step(Op::Reraise);
    rr.slot = exc_slot;
    emit(rr);
    code_.steps[over].target = pc();
    body(s->orelse);
    for (int b : loop.breaks) code_.steps[b].target = pc();
  }

  void jump_out(Stmt* s) {
    if (loops_.empty()) {
      fail(s->kind == StmtKind::Break ? "'break' outside loop" : "'continue' not properly in loop",
           s->pos.line);
      return;
    }
    Loop& loop = loops_.back();
    if (handling_depth_ > loop.handling_depth) {
      Step x = step(Op::ExitHandler);
      x.aux = loop.handling_depth;
      emit(x);
    }
    bool is_break = s->kind == StmtKind::Break;
    Step j = step(fins_.size() > loop.fin_depth ? Op::SetPending : Op::Jump);
    if (j.op == Op::SetPending) {
      j.arg = (uint8_t)Pending::Jump;
      j.aux = fins_.back();
    }
    if (is_break) {
      loop.breaks.push_back(emit(j));
    } else {
      j.target = loop.continue_pc;
      emit(j);
    }
  }

  // try/except/else, wrapped in a finally block when there is one.
  void try_stmt(Try* s) {
    if (s->finalbody.empty()) {
      try_except(s);
      return;
    }
    int fin = open_finally();
    if (s->handlers.empty()) {
      body(s->body);
      body(s->orelse);
    } else {
      try_except(s);
    }
    close_finally(fin, [&] { body(s->finalbody); });
  }

  int open_finally() {
    FinBlock f;
    f.pending_slot = temp(2);
    f.region_start = pc();
    f.outer = fins_.empty() ? -1 : fins_.back();
    code_.fins.push_back(f);
    int idx = (int)code_.fins.size() - 1;
    fins_.push_back(idx);
    return idx;
  }

  // Emits the normal exit, the exception entry and the finally body, then EndFinally.
  template <class F>
  void close_finally(int idx, F&& fin_body, int with_slot = -1, uint8_t with_async = 0) {
    fins_.pop_back();
    Step none = step(Op::SetPending);
    none.arg = (uint8_t)Pending::None;
    none.aux = idx;
    emit(none);
    int region_end = pc();
    code_.fins[idx].region_end = region_end;
    code_.handlers.push_back(ExcEntry{code_.fins[idx].region_start, region_end, region_end,
                                      code_.fins[idx].pending_slot + 1, handling_depth_});
    int after_jump = -1;
    if (with_slot >= 0) {
      // The manager sees the exception; a true result from __exit__ swallows it. Meanwhile the
      // exception is being handled, so whatever __exit__ raises chains to it.
      Step eh = step(Op::EnterHandler);
      eh.slot = code_.fins[idx].pending_slot + 1;
      emit(eh);
      handling_depth_++;
      Step we = step(Op::WithExcept);
      we.slot = with_slot;
      we.slot2 = temp();
      we.aux = idx;
      we.arg = with_async;
      emit(we);
      int result = we.slot2;
      if (with_async) result = await_slot(we.slot2);
      handling_depth_--;
      Step xh = step(Op::ExitHandler);
      xh.aux = handling_depth_;
      emit(xh);
      Step jt = step(Op::JumpIfTrue, own(temp_ref(result, Pos{last_line_, 0, 0})));
      after_jump = emit(jt);
      Step rr = step(Op::Reraise);
      rr.slot = code_.fins[idx].pending_slot + 1;
      emit(rr);
    } else {
      Step raise_pending = step(Op::SetPending);
      raise_pending.arg = (uint8_t)Pending::Raise;
      raise_pending.aux = idx;
      emit(raise_pending);
    }
    code_.fins[idx].body_pc = pc();
    code_.fins[idx].handling_depth = handling_depth_;
    Step enter = step(Op::EnterFinally);
    enter.aux = idx;
    emit(enter);
    handling_depth_++;
    fin_body();
    handling_depth_--;
    Step end = step(Op::EndFinally);
    end.aux = idx;
    emit(end);
    if (after_jump >= 0) code_.steps[after_jump].target = pc();
  }

  int await_slot(int slot) {
    Step s = step(Op::Suspend, own(temp_ref(slot, Pos{last_line_, 0, 0})));
    s.arg = (uint8_t)SuspendKind::Await;
    s.slot = temp();
    emit(s);
    return s.slot;
  }

  void try_except(Try* s) {
    if (!s->handlers.empty() && s->handlers[0].star) {
      try_star(s);
      return;
    }
    int exc_slot = temp();
    int start = pc();
    body(s->body);
    int end = pc();
    code_.handlers.push_back(ExcEntry{start, end, -1, exc_slot, handling_depth_});
    size_t entry = code_.handlers.size() - 1;
    body(s->orelse);
    std::vector<int> to_end{emit(step(Op::Jump))};
    code_.handlers[entry].handler = pc();
    Step enter = step(Op::EnterHandler);
    enter.slot = exc_slot;
    enter.line = s->handlers.empty() ? last_line_ : s->handlers[0].pos.line;
    emit(enter);
    handling_depth_++;
    int no_match = -1;
    for (auto& h : s->handlers) {
      last_line_ = h.pos.line;
      if (no_match >= 0) code_.steps[no_match].target = pc();
      no_match = -1;
      if (h.type) {
        Step m = step(Op::ExceptMatch, value(h.type));
        m.slot = exc_slot;
        no_match = emit(m);
      }
      if (!h.name.empty()) {
        auto n = std::make_unique<Name>();
        n->id = h.name;
        n->pos = h.pos;
        resolve_name(n.get());
        Step b = step(Op::Assign, own(temp_ref(exc_slot, h.pos)));
        b.target_expr = own(std::move(n));
        emit(b);
      }
      body(h.body);
      if (!h.name.empty()) unbind_handler_name(h);
      Step x = step(Op::ExitHandler);
      x.aux = handling_depth_ - 1;
      emit(x);
      to_end.push_back(emit(step(Op::Jump)));
    }
    if (no_match >= 0) code_.steps[no_match].target = pc();
    if (no_match >= 0 || s->handlers.empty()) {
      Step rr = step(Op::Reraise);
      rr.slot = exc_slot;
      emit(rr);
    }
    handling_depth_--;
    for (int j : to_end) code_.steps[j].target = pc();
  }

  // except*: each handler gets the part of the exception (group) its type matches, in turn;
  // what handlers raise and what none matched is raised after the last one. The bookkeeping
  // is except_star_natives()' (exception_group.cpp); this emits the control flow around it.
  void try_star(Try* s) {
    const ExceptStarNatives& star = except_star_natives();
    int exc_slot = temp(), state = temp(), type = temp(), match = temp(), raised = temp();
    int start = pc();
    body(s->body);
    code_.handlers.push_back(ExcEntry{start, pc(), -1, exc_slot, handling_depth_});
    size_t entry = code_.handlers.size() - 1;
    body(s->orelse);
    std::vector<int> to_end{emit(step(Op::Jump))};
    code_.handlers[entry].handler = pc();
    last_line_ = s->handlers[0].pos.line;
    Step enter = step(Op::EnterHandler);
    enter.slot = exc_slot;
    emit(enter);
    handling_depth_++;
    assign_temp(state, native_call(star.begin, {exc_slot}));
    for (auto& h : s->handlers) {
      last_line_ = h.pos.line;
      assign_temp(type, value(h.type));
      assign_temp(match, native_call(star.match, {state, type}));
      int no_match = emit(step(Op::JumpIfFalse, own(temp_ref(match, h.pos))));
      int inner_start = pc();
      Step eh = step(Op::EnterHandler);
      eh.slot = match;
      emit(eh);
      handling_depth_++;
      if (!h.name.empty()) assign_name(h.name.c_str(), own(temp_ref(match, h.pos)));
      star_loops_.push_back(loops_.size());
      body(h.body);
      star_loops_.pop_back();
      handling_depth_--;
      Step x = step(Op::ExitHandler);
      x.aux = handling_depth_;
      emit(x);
      int inner_end = pc();
      int past = emit(step(Op::Jump));
      code_.handlers.push_back(ExcEntry{inner_start, inner_end, pc(), raised, handling_depth_});
      emit(step(Op::Eval, native_call(star.raised, {state, raised})));
      code_.steps[past].target = pc();
      if (!h.name.empty()) unbind_handler_name(h);
      code_.steps[no_match].target = pc();
    }
    assign_temp(raised, native_call(star.finish, {state}));
    handling_depth_--;
    Step x = step(Op::ExitHandler);
    x.aux = handling_depth_;
    emit(x);
    to_end.push_back(emit(step(Op::JumpIfFalse, own(temp_ref(raised, s->pos)))));
    Step rr = step(Op::Reraise);  // as it is: no context, no new traceback entry
    rr.slot = raised;
    emit(rr);
    for (int j : to_end) code_.steps[j].target = pc();
  }

  // A call of a native with temporaries as its arguments, for code the compiler writes itself.
  Expr* native_call(const Value& fn, std::initializer_list<int> slots) {
    auto c = std::make_unique<Call>();
    auto f = std::make_unique<Constant>();
    f->value = fn;
    c->func = std::move(f);
    for (int slot : slots) c->args.push_back(temp_ref(slot, Pos{last_line_, 0, 0}));
    return own(std::move(c));
  }

  void assign_temp(int slot, Expr* e) {
    Step a = step(Op::Assign, e);
    a.target_expr = own(temp_ref(slot, Pos{last_line_, 0, 0}));
    emit(a);
  }

  // break/continue leaving an except* handler, or return inside one.
  bool leaves_star_handler(Stmt* s) const {
    if (star_loops_.empty()) return false;
    return s->kind == StmtKind::Return || loops_.size() <= star_loops_.back();
  }

  // `except E as name` unbinds name when the handler ends (name = None; del name, as CPython).
  void unbind_handler_name(ExceptHandler& h) {
    auto none = std::make_unique<Constant>();
    none->pos = h.pos;
    assign_name(h.name.c_str(), own(std::move(none)));
    auto n = std::make_unique<Name>();
    n->id = h.name;
    n->pos = h.pos;
    target(n.get());
    h.unbind.push_back(std::move(n));
    Step d = step(Op::Delete);
    d.targets = &h.unbind;
    emit(d);
  }

  void with_stmt(With* s, size_t item) {
    if (item == s->items.size()) {
      body(s->body);
      return;
    }
    WithItem& it = s->items[item];
    int mgr = temp(2);
    Step en = step(Op::WithEnter, value(it.context));
    en.slot = mgr;
    en.slot2 = temp();
    en.arg = s->is_async ? 1 : 0;
    emit(en);
    int entered = en.slot2;
    if (s->is_async) entered = await_slot(en.slot2);
    if (it.vars) {
      target(it.vars.get());
      Step as = step(Op::Assign, own(temp_ref(entered, s->pos)));
      as.target_expr = it.vars.get();
      emit(as);
    }
    int fin = open_finally();
    with_stmt(s, item + 1);
    last_line_ = s->pos.line;
    close_finally(
        fin,
        [&] {
          Step ex = step(Op::WithExit);
          ex.slot = mgr;
          ex.slot2 = temp();
          ex.arg = s->is_async ? 1 : 0;
          emit(ex);
          if (s->is_async) await_slot(ex.slot2);
        },
        mgr, s->is_async ? 1 : 0);
  }

 public:
  // The body of a comprehension's hidden function: nested loops around one append or yield.
  void comprehension_body(Comp* c) {
    int result = -1;
    if (c->kind != ExprKind::GeneratorExp) {
      result = temp();
      Step init = step(Op::CompInit);
      init.slot = result;
      init.arg = c->kind == ExprKind::ListComp ? 0 : c->kind == ExprKind::SetComp ? 1 : 2;
      emit(init);
    }
    comp_level(c, 0, result);
    Step r = step(Op::Return, result >= 0 ? own(temp_ref(result, c->pos)) : nullptr);
    emit(r);
  }

 private:
  void comp_level(Comp* c, size_t level, int result) {
    if (level == c->generators.size()) {
      if (c->kind == ExprKind::GeneratorExp) {
        auto y = std::make_unique<UnaryExpr>(ExprKind::Yield);
        y->pos = c->elt->pos;
        y->value = std::move(c->elt);
        ExprP yield = std::move(y);
        Expr* v = value(yield);
        emit(step(Op::Eval, v));
        c->elt = std::move(yield);
        return;
      }
      Step ap = step(Op::CompAppend);
      ap.slot = result;
      if (c->kind == ExprKind::DictComp) {
        ap.expr = value(c->key);
        ap.expr2 = value(c->value);
      } else {
        ap.expr = value(c->elt);
      }
      emit(ap);
      return;
    }
    Comprehension& g = c->generators[level];
    // The first iterable was evaluated by the caller and arrives as parameter ".0".
    auto src = std::make_unique<Name>();
    src->id = ".0";
    src->pos = c->pos;
    ExprP first = std::move(src);
    For loop;
    loop.pos = c->pos;
    loop.is_async = g.is_async;
    loop.iter = level == 0 ? std::move(first) : std::move(g.iter);
    loop.target = std::move(g.target);
    int it = temp();
    Step gi = step(Op::GetIter, value(loop.iter));
    gi.slot = it;
    gi.arg = g.is_async ? 1 : 0;
    emit(gi);
    target(loop.target.get());
    int top = pc();
    int exc_slot = -1, fs = -1;
    size_t entry = 0;
    if (!g.is_async) {
      Step fi = step(Op::ForIter);
      fi.slot = it;
      fi.target_expr = loop.target.get();
      fi.slot2 = local_slot(fi.target_expr);
      fs = emit(fi);
    } else {
      exc_slot = temp();
      Step nx = step(Op::Suspend);
      nx.arg = (uint8_t)SuspendKind::AsyncNext;
      nx.aux = it;
      nx.slot = temp();
      int start = emit(nx);
      code_.handlers.push_back(ExcEntry{start, start + 1, -1, exc_slot, handling_depth_});
      entry = code_.handlers.size() - 1;
      Step as = step(Op::Assign, own(temp_ref(nx.slot, c->pos)));
      as.target_expr = loop.target.get();
      emit(as);
    }
    std::vector<int> skips;
    for (auto& cond : g.ifs) skips.push_back(emit(step(Op::JumpIfFalse, value(cond))));
    comp_level(c, level + 1, result);
    for (int sk : skips) code_.steps[sk].target = top;
    Step back = step(Op::Jump);
    back.target = top;
    emit(back);
    if (!g.is_async) {
      code_.steps[fs].target = pc();
    } else {
      code_.handlers[entry].handler = pc();
      Step m = step(Op::ExceptMatch);
      m.arg = 1;
      m.slot = exc_slot;
      int ms = emit(m);
      int over = emit(step(Op::Jump));
      code_.steps[ms].target = pc();
      Step rr = step(Op::Reraise);
      rr.slot = exc_slot;
      emit(rr);
      code_.steps[over].target = pc();
    }
    // Keep the moved nodes alive with the code.
    own(std::move(loop.iter));
    own(std::move(loop.target));
  }
};

}  // namespace

std::shared_ptr<Code> compile_module(std::shared_ptr<Module> m, std::string& error, int& error_line,
                                     CompileMode mode) {
  SymbolTables tables = build_symbol_tables(*m);
  auto code = std::make_shared<Code>();
  code->name = "<module>";
  code->qualname = "<module>";
  code->module = m;
  code->flags = kModule;
  code->firstline = 1;
  Lowerer low(tables, tables.root.get(), *code, mode);
  low.layout(nullptr);
  low.prologue(m->body);
  low.body(m->body);
  low.finish(true);
  if (!tables.error.empty()) {
    error = tables.error;
    error_line = tables.error_line;
    return nullptr;
  }
  if (!low.error.empty()) {
    error = low.error;
    error_line = low.error_line;
    return nullptr;
  }
  // Top-level await (a notebook cell): the module body runs as the main coroutine.
  for (const Step& st : code->steps)
    if (st.op == Op::Suspend) code->flags |= kCoroutine;
  return code;
}

}  // namespace aio
