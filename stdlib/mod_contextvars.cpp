// contextvars: ContextVar, Token and Context, as CPython's. Each OS thread has a current Context
// (made empty on first use); a Context maps ContextVars to values in a dict of its own, so a copy
// costs one dict copy and setting a variable touches only the current Context.
#include <cstdio>

#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/contextvars.h"
#include "stdlib/native_args.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

struct ContextObj : Object {
  Value vars = new_dict();  // ContextVar -> value
  bool entered = false;     // inside its own run(): entering it again is an error
  explicit ContextObj(Type* t) : Object(t) {}
};

struct ContextVarObj : Object {
  Value name;
  Value default_value;
  bool has_default = false;
  explicit ContextVarObj(Type* t) : Object(t) {}
};

struct TokenObj : Object {
  Value context;    // the Context that was current when the token was made
  Value var;
  Value old_value;  // the MISSING marker when the variable had no value
  bool used = false;
  explicit TokenObj(Type* t) : Object(t) {}
};

struct CvTypes {
  Type *context, *var, *token, *missing;
};

const CvTypes& cv_types() {
  static const CvTypes t = [] {
    auto make = [](const char* name, const char* module) {
      auto* type = new Type(name, types.object);
      type->module = module;
      return type;
    };
    return CvTypes{make("Context", "_contextvars"), make("ContextVar", "_contextvars"),
                   make("Token", "_contextvars"), make("Token.MISSING", "builtins")};
  }();
  return t;
}

// Token.MISSING: old_value of a token whose variable had no value before set().
const Value& missing() {
  static const Value m = Value::adopt(new Object(cv_types().missing));
  return m;
}

// Until a ContextVar exists no context can hold anything: tasks skip copying and switching.
bool vars_created = false;

// The current context of this thread: one owned reference, or nullptr before first use.
thread_local ContextObj* current = nullptr;

ContextObj* current_context() {
  if (!current) current = new ContextObj(cv_types().context);
  return current;
}

Value new_context(Value vars) {
  auto* c = new ContextObj(cv_types().context);
  c->vars = std::move(vars);
  return Value::adopt(c);
}

bool is_var(const Value& v) { return is_exact(v, cv_types().var); }

std::string address(const Object* o) {
  char buf[32];
  snprintf(buf, sizeof buf, "0x%012lx", static_cast<unsigned long>(reinterpret_cast<uintptr_t>(o)));
  return buf;
}

// ---- ContextVar ----

ContextVarObj* self_var(const Args& a) { return as<ContextVarObj>(a[0]); }

Value var_new(const Args& a) {
  if (a.npos != 2)
    return raise(exc.TypeError, a.npos < 2 ? "ContextVar() takes exactly 1 positional argument (0 given)"
                                           : "ContextVar() takes at most 1 positional argument (" +
                                                 std::to_string(a.npos - 1) + " given)");
  for (size_t k = 0; k < a.nkw(); k++)
    if (str_of((*a.kwnames)[k]) != "default")
      return raise(exc.TypeError, "'" + str_of((*a.kwnames)[k]) + "' is an invalid keyword argument for ContextVar()");
  if (!is_str(a[1])) return raise(exc.TypeError, "context variable name must be a str");
  vars_created = true;
  auto* v = new ContextVarObj(cv_types().var);
  v->name = a[1];
  if (const Value* d = kwarg(a, "default")) {
    v->default_value = *d;
    v->has_default = true;
  }
  return Value::adopt(v);
}

Value var_repr(const Args& a) {
  ContextVarObj* v = self_var(a);
  std::string out = "<ContextVar name=";
  if (!repr_string(v->name, out)) return Value::raised();
  if (v->has_default) {
    out += " default=";
    if (!repr_string(v->default_value, out)) return Value::raised();
  }
  return new_str(out + " at " + address(v) + ">");
}

Value var_get(const Args& a) {
  if (!check_args(a, "get", 1, 2)) return Value::raised();
  Value out;
  Lookup r = dict_get(as_dict(current_context()->vars), a[0], out);
  if (r == Lookup::Error) return Value::raised();
  if (r == Lookup::Found) return out;
  if (a.npos > 1) return a[1];
  ContextVarObj* v = self_var(a);
  if (v->has_default) return v->default_value;
  return raise_value(make_exception(exc.LookupError, {a[0]}));
}

Value var_set(const Args& a) {
  if (!check_args(a, "set", 2, 2)) return Value::raised();
  ContextObj* ctx = current_context();
  DictObj* vars = as_dict(ctx->vars);
  auto* tok = new TokenObj(cv_types().token);
  Value token = Value::adopt(tok);
  tok->context = Value::borrow(ctx);
  tok->var = a[0];
  Lookup r = dict_get(vars, a[0], tok->old_value);
  if (r == Lookup::Error) return Value::raised();
  if (r == Lookup::Missing) tok->old_value = missing();
  if (!dict_set(vars, a[0], a[1])) return Value::raised();
  return token;
}

Value var_reset(const Args& a) {
  if (!check_args(a, "reset", 2, 2)) return Value::raised();
  if (!is_exact(a[1], cv_types().token)) {
    std::string r;
    if (!repr_string(a[1], r)) return Value::raised();
    return raise(exc.TypeError, "expected an instance of Token, got " + r);
  }
  auto* tok = as<TokenObj>(a[1]);
  std::string tok_repr;
  if (!repr_string(a[1], tok_repr)) return Value::raised();
  if (tok->used) return raise(exc.RuntimeError, tok_repr + " has already been used once");
  if (!tok->var.is(a[0])) return raise(exc.ValueError, tok_repr + " was created by a different ContextVar");
  ContextObj* ctx = current_context();
  if (tok->context.obj() != ctx) return raise(exc.ValueError, tok_repr + " was created in a different Context");
  tok->used = true;
  if (!tok->old_value.is(missing())) {
    if (!dict_set(as_dict(ctx->vars), a[0], tok->old_value)) return Value::raised();
  } else if (dict_del(as_dict(ctx->vars), a[0]) == Lookup::Error) {
    return Value::raised();
  }
  return Value();
}

Value var_name(const Value& self) { return as<ContextVarObj>(self)->name; }

// ---- Token ----

Value token_new(const Args&) { return raise(exc.RuntimeError, "Tokens can only be created by ContextVars"); }

Value token_repr(const Args& a) {
  auto* tok = as<TokenObj>(a[0]);
  std::string out = tok->used ? "<Token used var=" : "<Token var=";
  if (!repr_string(tok->var, out)) return Value::raised();
  return new_str(out + " at " + address(tok) + ">");
}

Value token_var(const Value& self) { return as<TokenObj>(self)->var; }
Value token_old_value(const Value& self) { return as<TokenObj>(self)->old_value; }

Value missing_repr(const Args&) { return new_str("<Token.MISSING>"); }

// ---- Context ----

ContextObj* self_ctx(const Args& a) { return as<ContextObj>(a[0]); }
DictObj* vars_of(const Args& a) { return as_dict(self_ctx(a)->vars); }

Value context_new(const Args& a) {
  if (a.npos > 1 || a.nkw() > 0) return raise(exc.TypeError, "Context() does not accept any arguments");
  return new_context(new_dict());
}

// Checks a mapping key: Context keys are ContextVars only.
bool var_key(const Value& key) {
  if (is_var(key)) return true;
  std::string r;
  if (repr_string(key, r)) raise(exc.TypeError, "a ContextVar key was expected, got " + r);
  return false;
}

Value context_getitem(const Args& a) {
  if (!check_args(a, "__getitem__", 2, 2) || !var_key(a[1])) return Value::raised();
  return dict_getitem(vars_of(a), a[1]);
}

Value context_contains(const Args& a) {
  if (!check_args(a, "__contains__", 2, 2) || !var_key(a[1])) return Value::raised();
  Value out;
  Lookup r = dict_get(vars_of(a), a[1], out);
  if (r == Lookup::Error) return Value::raised();
  return Value::boolean(r == Lookup::Found);
}

Value context_get(const Args& a) {
  if (!check_args(a, "get", 2, 3) || !var_key(a[1])) return Value::raised();
  Value out;
  Lookup r = dict_get(vars_of(a), a[1], out);
  if (r == Lookup::Error) return Value::raised();
  if (r == Lookup::Found) return out;
  return a.npos > 2 ? a[2] : Value();
}

Value context_len(const Args& a) { return Value::integer(static_cast<int64_t>(dict_len(vars_of(a)))); }

// keys(), values() and items() as lists: a snapshot, like CPython's views of an immutable mapping.
enum class Part { Keys, Values, Items };

Value context_part(const Args& a, Part part) {
  std::vector<Value> out;
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(vars_of(a), pos, e)) {
    if (part == Part::Keys) out.push_back(e->key);
    else if (part == Part::Values) out.push_back(e->value);
    else out.push_back(new_tuple({e->key, e->value}));
  }
  return new_list(std::move(out));
}

Value context_keys(const Args& a) { return context_part(a, Part::Keys); }
Value context_values(const Args& a) { return context_part(a, Part::Values); }
Value context_items(const Args& a) { return context_part(a, Part::Items); }
Value context_iter(const Args& a) { return get_iter(context_part(a, Part::Keys)); }

Value context_copy_method(const Args& a) { return new_context(dict_copy(vars_of(a))); }

Value context_eq(const Args& a) {
  if (!check_args(a, "__eq__", 2, 2)) return Value::raised();
  if (!is_exact(a[1], cv_types().context)) return not_implemented();
  int r = equals(self_ctx(a)->vars, as<ContextObj>(a[1])->vars);
  return r < 0 ? Value::raised() : Value::boolean(r);
}

Value context_run(const Args& a) {
  if (a.npos < 2) return raise(exc.TypeError, "run() missing 1 required positional argument");
  ContextObj* ctx = self_ctx(a);
  if (ctx->entered) {
    std::string r;
    if (!repr_string(a[0], r)) return Value::raised();
    return raise(exc.RuntimeError, "cannot enter context: " + r + " is already entered");
  }
  Args inner = a;
  inner.pos = a.pos + 2;
  inner.npos = a.npos - 2;
  ctx->entered = true;
  Value outer = context_enter(a[0]);
  Value result = call(a[1], inner);
  context_enter(outer);
  ctx->entered = false;
  return result;
}

Value copy_context_fn(const Args& a) {
  if (!check_args(a, "copy_context", 0, 0)) return Value::raised();
  return context_copy();
}

void init_types() {
  static bool done = false;
  if (done) return;
  done = true;
  const CvTypes& t = cv_types();
  add_method(t.var, "__new__", var_new);
  add_method(t.var, "__repr__", var_repr);
  add_method(t.var, "get", var_get);
  add_method(t.var, "set", var_set);
  add_method(t.var, "reset", var_reset);
  add_getset(t.var, "name", var_name);
  add_method(t.token, "__new__", token_new);
  add_method(t.token, "__repr__", token_repr);
  add_getset(t.token, "var", token_var);
  add_getset(t.token, "old_value", token_old_value);
  add_attr(t.token, "MISSING", missing());
  add_method(t.missing, "__repr__", missing_repr);
  struct Method { const char* name; NativeFn fn; };
  static const Method context_methods[] = {
      {"__new__", context_new},   {"__getitem__", context_getitem}, {"__contains__", context_contains},
      {"__len__", context_len},   {"__iter__", context_iter},       {"__eq__", context_eq},
      {"get", context_get},       {"keys", context_keys},           {"values", context_values},
      {"items", context_items},   {"copy", context_copy_method},    {"run", context_run},
  };
  for (const Method& m : context_methods) add_method(t.context, m.name, m.fn);
}

}  // namespace

bool context_vars_exist() { return vars_created; }

Value context_new() { return new_context(new_dict()); }

Value context_copy() { return new_context(dict_copy(as_dict(current_context()->vars))); }

Value context_enter(const Value& ctx) {
  if (ctx.is_none()) return Value::borrow(current_context());
  Value previous = Value::adopt(current_context());
  current = as<ContextObj>(ctx);
  incref(current);
  return previous;
}

void init_contextvars(const Value& module) {
  init_types();
  DictObj* d = module_dict(module);
  const CvTypes& t = cv_types();
  dict_set_str(d, intern("ContextVar"), Value::borrow(t.var));
  dict_set_str(d, intern("Token"), Value::borrow(t.token));
  dict_set_str(d, intern("Context"), Value::borrow(t.context));
  add_function(module, "copy_context", copy_context_fn);
}

}  // namespace aio
