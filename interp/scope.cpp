// Symbol-table construction: one walk collects bindings and uses per scope, a second decides
// which locals become cells and which names each function takes from its enclosing ones.
#include "interp/scope.h"

#include <algorithm>

#include "interp/match.h"

namespace aio {

bool SymTable::is_free(const std::string& n) const {
  return std::find(frees.begin(), frees.end(), n) != frees.end();
}

namespace {

struct Collector {
  SymbolTables& out;
  SymTable* cur;

  SymTable* open(SymTable::Kind kind, const void* node, const std::string& name) {
    auto t = std::make_unique<SymTable>();
    t->kind = kind;
    t->parent = cur;
    t->name = name;
    SymTable* raw = t.get();
    cur->children.push_back(std::move(t));
    out.of[node] = raw;
    return raw;
  }

  void bind(const std::string& n) { cur->bound.insert(n); }

  void target(Expr* e) {
    switch (e->kind) {
      case ExprKind::Name: bind(static_cast<Name*>(e)->id); break;
      case ExprKind::Tuple:
      case ExprKind::List:
        for (auto& x : static_cast<Sequence*>(e)->elts) target(x.get());
        break;
      case ExprKind::Starred: target(static_cast<UnaryExpr*>(e)->value.get()); break;
      default: expr(e); break;  // attribute/subscript targets only read names
    }
  }

  void args(Arguments& a) {
    for (auto& d : a.defaults) expr(d.get());
    for (auto& d : a.kw_defaults) if (d) expr(d.get());
    for (auto* group : {&a.posonly, &a.args, &a.kwonly})
      for (auto& p : *group) expr(p.annotation.get());
    for (auto* p : {a.vararg.get(), a.kwarg.get()})
      if (p) expr(p->annotation.get());
  }

  void params(Arguments& a, SymTable* t) {
    auto add = [&](const std::string& n) { t->bound.insert(n); t->params.insert(n); };
    for (auto& p : a.posonly) add(p.name);
    for (auto& p : a.args) add(p.name);
    if (a.vararg) add(a.vararg->name);
    for (auto& p : a.kwonly) add(p.name);
    if (a.kwarg) add(a.kwarg->name);
  }

  void function(FunctionDef* f) {
    for (auto& d : f->decorators) expr(d.get());
    args(f->args);
    expr(f->returns.get());
    bind(f->name);
    SymTable* saved = cur;
    SymTable* t = open(SymTable::FunctionScope, f, f->name);
    t->is_async = f->is_async;
    params(f->args, t);
    cur = t;
    body(f->body);
    cur = saved;
  }

  void comprehension(Comp* c) {
    expr(c->generators[0].iter.get());
    SymTable* saved = cur;
    SymTable* t = open(SymTable::FunctionScope, c, "<comp>");
    t->bound.insert(".0");
    t->params.insert(".0");
    if (c->kind == ExprKind::GeneratorExp) t->is_generator = true;
    cur = t;
    for (size_t i = 0; i < c->generators.size(); i++) {
      auto& g = c->generators[i];
      if (i > 0) expr(g.iter.get());
      target(g.target.get());
      for (auto& cond : g.ifs) expr(cond.get());
      if (g.is_async) t->uses_await = true;
    }
    if (c->elt) expr(c->elt.get());
    if (c->key) expr(c->key.get());
    if (c->value) expr(c->value.get());
    // `async for` or `await` inside makes it an async comprehension (an async generator for a genexp).
    t->is_async = t->uses_await;
    cur = saved;
  }

  void expr(Expr* e) {
    if (!e) return;
    switch (e->kind) {
      case ExprKind::Name: cur->used.insert(static_cast<Name*>(e)->id); break;
      case ExprKind::Constant:
      case ExprKind::Temp:
      case ExprKind::MatchTest: break;
      case ExprKind::JoinedStr:
        for (auto& p : static_cast<JoinedStr*>(e)->parts) expr(p.get());
        break;
      case ExprKind::FormattedValue: {
        auto* f = static_cast<FormattedValue*>(e);
        expr(f->value.get());
        expr(f->format_spec.get());
        break;
      }
      case ExprKind::BinOp: {
        auto* b = static_cast<BinOp*>(e);
        expr(b->left.get());
        expr(b->right.get());
        break;
      }
      case ExprKind::UnaryOp: expr(static_cast<UnaryOp*>(e)->operand.get()); break;
      case ExprKind::BoolOp:
        for (auto& v : static_cast<BoolOp*>(e)->values) expr(v.get());
        break;
      case ExprKind::Compare: {
        auto* c = static_cast<Compare*>(e);
        expr(c->left.get());
        for (auto& x : c->comparators) expr(x.get());
        break;
      }
      case ExprKind::Call: {
        auto* c = static_cast<Call*>(e);
        expr(c->func.get());
        for (auto& a : c->args) expr(a.get());
        for (auto& k : c->keywords) expr(k.value.get());
        break;
      }
      case ExprKind::Attribute: expr(static_cast<Attribute*>(e)->value.get()); break;
      case ExprKind::Subscript: {
        auto* s = static_cast<Subscript*>(e);
        expr(s->value.get());
        expr(s->index.get());
        break;
      }
      case ExprKind::Slice: {
        auto* s = static_cast<Slice*>(e);
        expr(s->lower.get());
        expr(s->upper.get());
        expr(s->step.get());
        break;
      }
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set:
        for (auto& x : static_cast<Sequence*>(e)->elts) expr(x.get());
        break;
      case ExprKind::Dict: {
        auto* d = static_cast<Dict*>(e);
        for (auto& k : d->keys) expr(k.get());
        for (auto& v : d->values) expr(v.get());
        break;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp:
      case ExprKind::GeneratorExp: comprehension(static_cast<Comp*>(e)); break;
      case ExprKind::Lambda: {
        auto* l = static_cast<Lambda*>(e);
        args(l->args);
        SymTable* saved = cur;
        SymTable* t = open(SymTable::FunctionScope, l, "<lambda>");
        params(l->args, t);
        cur = t;
        expr(l->body.get());
        cur = saved;
        break;
      }
      case ExprKind::IfExp: {
        auto* i = static_cast<IfExp*>(e);
        expr(i->test.get());
        expr(i->body.get());
        expr(i->orelse.get());
        break;
      }
      case ExprKind::NamedExpr: {
        auto* n = static_cast<NamedExpr*>(e);
        expr(n->value.get());
        // A walrus inside a comprehension binds in the enclosing function.
        SymTable* t = cur;
        while (t->kind == SymTable::FunctionScope && t->name == "<comp>" && t->parent) t = t->parent;
        const std::string& id = static_cast<Name*>(n->target.get())->id;
        t->bound.insert(id);
        // The comprehensions in between reach it as a global (module level) or a free variable.
        for (SymTable* c = cur; c != t; c = c->parent)
          (t->kind == SymTable::ModuleScope ? c->declared_global : c->declared_nonlocal).insert(id);
        cur->used.insert(id);
        break;
      }
      case ExprKind::Await:
        cur->uses_await = true;
        expr(static_cast<UnaryExpr*>(e)->value.get());
        break;
      case ExprKind::Yield:
      case ExprKind::YieldFrom:
        cur->is_generator = true;
        expr(static_cast<UnaryExpr*>(e)->value.get());
        break;
      case ExprKind::Starred: expr(static_cast<UnaryExpr*>(e)->value.get()); break;
    }
  }

  void body(Body& b) {
    for (auto& s : b) stmt(s.get());
  }

  void stmt(Stmt* s) {
    switch (s->kind) {
      case StmtKind::Expr: expr(static_cast<ExprStmt*>(s)->value.get()); break;
      case StmtKind::Assign: {
        auto* a = static_cast<Assign*>(s);
        expr(a->value.get());
        for (auto& t : a->targets) target(t.get());
        break;
      }
      case StmtKind::AugAssign: {
        auto* a = static_cast<AugAssign*>(s);
        expr(a->value.get());
        target(a->target.get());
        expr(a->target.get());
        break;
      }
      case StmtKind::AnnAssign: {
        auto* a = static_cast<AnnAssign*>(s);
        if (a->value) expr(a->value.get());
        if (a->value || cur->kind != SymTable::ModuleScope) target(a->target.get());
        // Module and class bodies evaluate annotations and record simple names' ones.
        if (cur->kind == SymTable::FunctionScope) break;
        expr(a->annotation.get());
        if (a->target->kind == ExprKind::Name) {
          cur->has_annotations = true;
          bind("__annotations__");
        }
        break;
      }
      case StmtKind::If: {
        auto* i = static_cast<If*>(s);
        expr(i->test.get());
        body(i->body);
        body(i->orelse);
        break;
      }
      case StmtKind::While: {
        auto* w = static_cast<While*>(s);
        expr(w->test.get());
        body(w->body);
        body(w->orelse);
        break;
      }
      case StmtKind::For: {
        auto* f = static_cast<For*>(s);
        expr(f->iter.get());
        target(f->target.get());
        if (f->is_async) cur->uses_await = true;
        body(f->body);
        body(f->orelse);
        break;
      }
      case StmtKind::Return: expr(static_cast<Return*>(s)->value.get()); break;
      case StmtKind::FunctionDef: function(static_cast<FunctionDef*>(s)); break;
      case StmtKind::ClassDef: {
        auto* c = static_cast<ClassDef*>(s);
        for (auto& d : c->decorators) expr(d.get());
        for (auto& b : c->bases) expr(b.get());
        for (auto& k : c->keywords) expr(k.value.get());
        bind(c->name);
        SymTable* saved = cur;
        cur = open(SymTable::ClassScope, c, c->name);
        if (docstring(c->body)) bind("__doc__");
        body(c->body);
        cur = saved;
        break;
      }
      case StmtKind::Global:
        for (auto& n : static_cast<NamesStmt*>(s)->names) cur->declared_global.insert(n);
        break;
      case StmtKind::Nonlocal:
        for (auto& n : static_cast<NamesStmt*>(s)->names) {
          cur->declared_nonlocal.insert(n);
          cur->used.insert(n);
        }
        break;
      case StmtKind::Delete:
        for (auto& t : static_cast<Delete*>(s)->targets) target(t.get());
        break;
      case StmtKind::Assert: {
        auto* a = static_cast<Assert*>(s);
        expr(a->test.get());
        expr(a->msg.get());
        break;
      }
      case StmtKind::Raise: {
        auto* r = static_cast<Raise*>(s);
        expr(r->exc.get());
        expr(r->cause.get());
        break;
      }
      case StmtKind::Try: {
        auto* t = static_cast<Try*>(s);
        body(t->body);
        for (auto& h : t->handlers) {
          expr(h.type.get());
          if (!h.name.empty()) bind(h.name);
          body(h.body);
        }
        body(t->orelse);
        body(t->finalbody);
        break;
      }
      case StmtKind::With: {
        auto* w = static_cast<With*>(s);
        if (w->is_async) cur->uses_await = true;
        for (auto& item : w->items) {
          expr(item.context.get());
          if (item.vars) target(item.vars.get());
        }
        body(w->body);
        break;
      }
      case StmtKind::Import:
        for (auto& a : static_cast<Import*>(s)->names) {
          std::string n = a.asname.empty() ? a.name.substr(0, a.name.find('.')) : a.asname;
          bind(n);
        }
        break;
      case StmtKind::ImportFrom:
        for (auto& a : static_cast<ImportFrom*>(s)->names)
          if (a.name != "*") bind(a.asname.empty() ? a.name : a.asname);
        break;
      case StmtKind::Match: {
        auto* m = static_cast<Match*>(s);
        expr(m->subject.get());
        for (auto& c : m->cases) {
          for_each_pattern_expr(c.pattern.get(), [&](ExprP& e, bool binds) {
            if (binds) bind(static_cast<Name*>(e.get())->id);
            else expr(e.get());
          });
          expr(c.guard.get());
          body(c.body);
        }
        break;
      }
      case StmtKind::Break:
      case StmtKind::Continue:
      case StmtKind::Pass: break;
    }
  }
};

// Finds the nearest enclosing function that binds n locally (skipping class bodies).
SymTable* owner_of(SymTable* from, const std::string& n) {
  for (SymTable* t = from->parent; t; t = t->parent) {
    if (t->kind == SymTable::ClassScope) continue;
    if (t->kind == SymTable::ModuleScope) return nullptr;
    if (t->declared_global.count(n)) return nullptr;
    if (t->is_local(n)) return t;
  }
  return nullptr;
}

void add_free(SymTable* t, const std::string& n) {
  if (!t->is_free(n)) t->frees.push_back(n);
}

void resolve(SymTable* t, SymbolTables& out) {
  for (auto& c : t->children) resolve(c.get(), out);
  if (t->kind == SymTable::ModuleScope) return;
  std::set<std::string> wanted = t->used;
  for (auto& n : t->declared_nonlocal) wanted.insert(n);
  for (const auto& n : wanted) {
    if (t->kind == SymTable::FunctionScope && t->is_local(n)) continue;
    if (t->declared_global.count(n)) continue;
    if (t->kind == SymTable::ClassScope && t->bound.count(n) && !t->declared_nonlocal.count(n))
      continue;
    SymTable* owner = owner_of(t, n);
    if (!owner) {
      if (t->declared_nonlocal.count(n) && out.error.empty())
        out.error = "no binding for nonlocal '" + n + "' found";
      continue;
    }
    owner->cells.insert(n);
    for (SymTable* mid = t; mid != owner; mid = mid->parent) add_free(mid, n);
  }
}

}  // namespace

SymbolTables build_symbol_tables(Module& m) {
  SymbolTables out;
  out.root = std::make_unique<SymTable>();
  out.root->kind = SymTable::ModuleScope;
  out.root->name = "<module>";
  out.of[&m] = out.root.get();
  Collector c{out, out.root.get()};
  c.body(m.body);
  resolve(out.root.get(), out);
  return out;
}

}  // namespace aio
