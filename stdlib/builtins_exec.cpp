// compile(), exec() and eval(): source compiled as a module of its own and run in a namespace.
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "stdlib/builtins.h"

namespace aio {

namespace {

// compile()'s mode argument.
bool compile_mode(const Value& mode, CompileMode& out) {
  if (!is_str(mode)) {
    raise(exc.TypeError, "compile() mode must be str, not " + type_name(mode));
    return false;
  }
  const std::string& m = str_of(mode);
  if (m == "exec" || m == "single") out = m == "exec" ? CompileMode::File : CompileMode::Interactive;
  else if (m == "eval") out = CompileMode::Eval;
  else return raise(exc.ValueError, "compile() mode must be 'exec', 'eval' or 'single'"), false;
  return true;
}

Value builtin_compile(const Args& a) {
  const Value* source = arg_or_kw(a, 0, "source");
  const Value* filename = arg_or_kw(a, 1, "filename");
  const Value* mode = arg_or_kw(a, 2, "mode");
  if (!source || !filename || !mode) return raise(exc.TypeError, "compile() missing required argument 'source' (pos 1)");
  if (is_exact(*source, types.code)) return *source;
  if (!is_str(*source)) return raise(exc.TypeError, "compile() arg 1 must be a string, bytes or AST object");
  CompileMode m;
  if (!compile_mode(*mode, m)) return Value::raised();
  std::string name;
  if (!str_string(*filename, name)) return Value::raised();
  return compile_source(str_of(*source), name, m);
}

// exec/eval's code argument: a code object, or source compiled in `mode` as "<string>".
Value code_arg(const Value& v, const char* fname, CompileMode mode) {
  if (is_exact(v, types.code)) return v;
  if (!is_str(v))
    return raise(exc.TypeError, std::string(fname) + "() arg 1 must be a string, bytes or code object");
  std::string source = str_of(v);
  if (mode == CompileMode::Eval) {  // eval ignores leading spaces and tabs
    size_t lead = source.find_first_not_of(" \t");
    source.erase(0, lead == std::string::npos ? source.size() : lead);
  }
  return compile_source(source, "<string>", mode);
}

bool namespace_arg(const Value* v, const char* fname, const char* what, Value& out) {
  if (!v || v->is_none()) return true;
  if (!isinstance(*v, types.dict)) {
    raise(exc.TypeError, std::string(fname) + "() " + what + " must be a dict, not " + type_name(*v));
    return false;
  }
  out = *v;
  return true;
}

// Runs code with the namespaces exec/eval were given (the caller's when none). Separate locals
// are served by running in a copy of globals that holds them, then keeping what was bound.
Value run_in(const Args& a, const char* fname, CompileMode mode) {
  if (!check_args(a, fname, 1, 3)) return Value::raised();
  Value code = code_arg(a[0], fname, mode);
  if (code.is_raised()) return code;
  Value globals, locals;
  if (!namespace_arg(arg_or_kw(a, 1, "globals"), fname, "globals", globals)) return Value::raised();
  const Value* given_locals = arg_or_kw(a, 2, "locals");
  if (given_locals && !given_locals->is_none()) locals = *given_locals;
  Frame* caller = tstate->frame();
  if (globals.is_none()) {
    globals = caller ? Value::borrow(caller->globals()) : new_dict();
    if (locals.is_none()) locals = current_locals();
  }
  DictObj* g = as_dict(globals);
  if (!dict_find_str(g, intern("__builtins__"))) dict_set_str(g, intern("__builtins__"), tstate->interp->builtins_module);
  if (locals.is_none() || locals.is(globals)) return run_code_object(code, globals);
  Value scope = dict_copy(as_dict(globals));
  if (!dict_update(as_dict(scope), locals)) return Value::raised();
  Value r = run_code_object(code, scope);
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(as_dict(scope), pos, e)) {
    Value was;
    Lookup found = dict_get(as_dict(globals), e->key, was);
    if (found == Lookup::Error) return Value::raised();
    if ((found == Lookup::Missing || !was.is(e->value)) && !dict_set(as_dict(locals), e->key, e->value))
      return Value::raised();
  }
  return r;
}

Value builtin_exec(const Args& a) {
  Value r = run_in(a, "exec", CompileMode::File);
  return r.is_raised() ? r : Value();
}

Value builtin_eval(const Args& a) { return run_in(a, "eval", CompileMode::Eval); }

}  // namespace

void init_exec_builtins(const Value& module) {
  add_function(module, "compile", builtin_compile);
  add_function(module, "exec", builtin_exec);
  add_function(module, "eval", builtin_eval);
}

}  // namespace aio
