// Running a program: parse, compile, execute as __main__; imports; reporting uncaught errors.
#include "interp/interp.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "interp/class.h"
#include "interp/code.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/generator.h"
#include "interp/gil.h"
#include "interp/int.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/parser.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "interp/types.h"

namespace aio {

namespace {

thread_local ThreadState main_state;
Interp* main_state_interp = nullptr;

constexpr std::string_view kNbsp = "\xC2\xA0";

// True when a line opens with a no-break space in its indentation or right after its first
// word: the file was pasted from a web page, where every space became U+00A0.
bool pasted_with_nbsp(const std::string& source) {
  size_t i = 0;
  while (i < source.size()) {
    size_t end = source.find('\n', i);
    if (end == std::string::npos) end = source.size();
    std::string_view line(source.data() + i, end - i);
    size_t j = 0;
    bool nbsp = false;
    for (;;) {
      if (j < line.size() && (line[j] == ' ' || line[j] == '\t')) j++;
      else if (line.substr(j, 2) == kNbsp) j += 2, nbsp = true;
      else break;
    }
    while (j < line.size() && (std::isalnum((unsigned char)line[j]) || line[j] == '_')) j++;
    if (nbsp || (j > 0 && line.substr(j, 2) == kNbsp)) return true;
    i = end + 1;
  }
  return false;
}

// Such a file means plain spaces everywhere, string literals included (the tutorial's intent).
std::string repair_pasted_nbsp(const std::string& source) {
  if (!pasted_with_nbsp(source)) return source;
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); i++) {
    if (source.compare(i, 2, kNbsp) == 0) {
      out += ' ';
      i++;
    } else {
      out += source[i];
    }
  }
  return out;
}

// eval's input: exactly one expression statement.
bool is_single_expression(const Module& m) { return m.body.size() == 1 && m.body[0]->kind == StmtKind::Expr; }

// eval's error for a statement: at the assignment's operator, else at the statement's start.
SyntaxErrorInfo not_an_expression(const Module& m, const std::string& filename) {
  SyntaxErrorInfo e{"SyntaxError", "invalid syntax", filename, 1, 1, 1, m.lines.empty() ? "" : m.lines[0]};
  if (m.body.empty()) return e;
  const Stmt* s = m.body[0].get();
  const Expr* target = s->kind == StmtKind::Assign      ? static_cast<const Assign*>(s)->targets[0].get()
                       : s->kind == StmtKind::AugAssign ? static_cast<const AugAssign*>(s)->target.get()
                       : s->kind == StmtKind::AnnAssign ? static_cast<const AnnAssign*>(s)->target.get()
                                                        : nullptr;
  e.line = s->pos.line;
  e.text = e.line >= 1 && e.line <= (int)m.lines.size() ? m.lines[e.line - 1] : "";
  size_t col = target ? e.text.find_first_not_of(" \t", target->pos.end_col) : s->pos.col;
  e.col = e.end_col = (col == std::string::npos ? (int)e.text.size() : (int)col) + 1;
  return e;
}

// Compiles a parsed module; on failure `error` says where and why, as the parser would.
std::shared_ptr<Code> compile_parsed(std::unique_ptr<Module> parsed, const std::string& filename, CompileMode mode,
                                     SyntaxErrorInfo& error) {
  std::shared_ptr<Module> mod(std::move(parsed));
  std::string msg;
  int line = 0;
  auto code = compile_module(mod, msg, line, mode);
  if (!code) {
    error.type = "SyntaxError";
    error.msg = msg;
    error.filename = filename;
    error.line = line;
    if (line >= 1 && line <= (int)mod->lines.size()) error.text = mod->lines[line - 1];
  }
  return code;
}

// Parses and compiles a file's (or exec's) text.
std::shared_ptr<Code> load_code(const std::string& raw_source, const std::string& filename, SyntaxErrorInfo& error,
                                CompileMode mode = CompileMode::File) {
  std::string source = repair_pasted_nbsp(raw_source);
  auto parsed = parse_module(source, filename);
  if (!parsed) {
    error = parsed.error();
    return nullptr;
  }
  if (mode == CompileMode::Eval && !is_single_expression(**parsed)) {
    error = not_an_expression(**parsed, filename);
    return nullptr;
  }
  return compile_parsed(std::move(*parsed), filename, mode, error);
}

// Runs module code in the module's dict; false when it raised.
bool exec_module_code(const std::shared_ptr<Code>& code, const Value& module) {
  Frame* f = Frame::create(code, Value::borrow(module_dict(module)));
  Value out;
  RunStatus st = run_frame(f, out);
  Frame::destroy(f);
  return st != RunStatus::Raised;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

Value load_source_module(const std::string& name, const std::string& path, const std::string& source) {
  Interp* in = tstate->interp;
  Value m = new_module(name);
  dict_set_str(module_dict(m), intern("__file__"), new_str(path));
  dict_set_str(module_dict(m), intern("__builtins__"), in->builtins_module);
  dict_set(as_dict(in->modules), new_str(name), m);
  SyntaxErrorInfo error;
  auto code = load_code(source, path, error);
  if (!code) {
    dict_del(as_dict(in->modules), new_str(name));
    return raise_syntax_error(error);
  }
  if (!exec_module_code(code, m)) {
    dict_del(as_dict(in->modules), new_str(name));
    return Value::raised();
  }
  return m;
}

}  // namespace

Interp* main_interp() { return main_state_interp; }

void interp_init(Interp& interp) {
  static thread_local bool holds_gil = false;  // set-up may run more than once (unit tests)
  if (!holds_gil) gil_acquire();
  holds_gil = true;
  main_state_interp = &interp;
  main_state.interp = &interp;
  tstate = &main_state;
  init_types();
  interp.builtins_module = new_module("builtins");
  interp.builtins = module_dict(interp.builtins_module);
  interp.modules = new_dict();
  dict_set(as_dict(interp.modules), new_str("builtins"), interp.builtins_module);
}

void interp_register_module(Interp& interp, const std::string& name, ModuleInit init) {
  interp.native_modules[name] = init;
}

void interp_register_library_module(Interp& interp, const std::string& name, const char* source) {
  interp.library_modules[name] = source;
}

void add_function(const Value& module, const char* name, NativeFn fn) {
  Value f = new_native(name, fn);
  as<NativeObj>(f)->self = module;
  dict_set_str(module_dict(module), intern(name), std::move(f));
}

namespace {

Value find_and_load(const std::string& name, bool quiet);

}  // namespace

// A submodule imports its package first and becomes the package's attribute (as CPython does).
Value import_module(const std::string& name, Frame*, bool quiet) {
  Interp* in = tstate->interp;
  Value key = new_str(name);
  Value m;
  Lookup r = dict_get(as_dict(in->modules), key, m);
  if (r == Lookup::Found) return m;
  if (r == Lookup::Error) return Value::raised();
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) return find_and_load(name, quiet);
  Value parent = import_module(name.substr(0, dot), nullptr, quiet);
  if (parent.is_raised()) return parent;
  m = find_and_load(name, quiet);
  if (m.is_raised()) return m;
  if (!setattr(parent, intern(name.substr(dot + 1)), m)) return Value::raised();
  return m;
}

namespace {

Value find_and_load(const std::string& name, bool quiet) {
  Interp* in = tstate->interp;
  Value key = new_str(name);
  Value m;
  auto native = in->native_modules.find(name);
  if (native != in->native_modules.end()) {
    m = new_module(name);
    dict_set(as_dict(in->modules), key, m);
    native->second(m);
    if (tstate->exc.is_obj()) return Value::raised();
    return m;
  }
  auto library = in->library_modules.find(name);
  if (library != in->library_modules.end())
    return load_source_module(name, kLibraryFilePrefix + name + ">", library->second);
  std::string rel = name;
  for (char& c : rel)
    if (c == '.') c = '/';
  std::string dir = in->script_dir.empty() ? "." : in->script_dir;
  for (const char* ext : {".aio", ".py"}) {
    std::string path = dir + "/" + rel + ext;
    std::string source;
    if (read_file(path, source)) return load_source_module(name, path, source);
  }
  Value e = make_exception(exc.ModuleNotFoundError, {new_str("No module named '" + name + "'")});
  dict_set_str(as<ExcObj>(e)->dict, intern("name"), new_str(name));
  (void)quiet;
  return raise_value(e);
}

}  // namespace

bool import_star(const Value& module, Frame* f) {
  DictObj* d = module_dict(module);
  Value all;
  if (Value* a = dict_find_str(d, intern("__all__"))) {
    std::vector<Value> names;
    if (!collect(*a, names)) return false;
    for (auto& n : names) {
      Value v = getattr(module, intern(str_of(n)));
      if (v.is_raised() || !store_name(f, intern(str_of(n)), v)) return false;
    }
    return true;
  }
  size_t pos = 0;
  const DictObj::Entry* e;
  std::vector<std::pair<Value, Value>> items;
  while (dict_next(d, pos, e))
    if (is_str(e->key) && !str_of(e->key).empty() && str_of(e->key)[0] != '_') items.emplace_back(e->key, e->value);
  for (auto& [k, v] : items)
    if (!store_name(f, intern(str_of(k)), v)) return false;
  return true;
}

std::string module_origin(const Value& module) {
  if (Value* fv = dict_find_str(module_dict(module), intern("__file__"))) return str_of(*fv);
  return "unknown location";
}

bool store_name(Frame* f, const Value& name, const Value& v) {
  const Code& c = *f->code;
  if (!(c.flags & (kModule | kClassBody))) {
    for (size_t i = 0; i < c.slot_names.size(); i++) {
      if (!c.slot_names[i].is(name)) continue;
      Value& s = f->slots[i];
      if (s.is_obj() && s.obj()->type == types.cell) {
        auto* cell = as<CellObj>(s);
        cell->value = v;
        cell->empty = false;
      } else {
        s = v;
      }
      return true;
    }
  }
  if (c.flags & kClassBody) return class_ns_store(f->extras->locals_dict, name, v);
  dict_set_str(f->globals(), name, v);
  return true;
}

bool display_value(const Value& v) {
  Value r = repr(v);
  if (r.is_raised()) return false;
  flush_script_output();
  fputs(str_of(r).c_str(), stdout);
  fputc('\n', stdout);
  dict_set_str(tstate->interp->builtins, intern("_"), v);
  return true;
}

void flush_script_output() {
  if (tstate && tstate->interp && tstate->interp->flush_output) tstate->interp->flush_output();
  fflush(stdout);
}

int report_uncaught(const Value& e) {
  flush_script_output();
  if (isinstance(e, exc.SystemExit)) {
    auto& args = tuple_items(as<ExcObj>(e)->args);
    if (args.empty() || args[0].is_none()) return 0;
    if (args[0].is_int()) return (int)args[0].as_int();
    std::string s;
    if (str_string(args[0], s)) fprintf(stderr, "%s\n", s.c_str());
    return 1;
  }
  fputs(format_exception(e).c_str(), stderr);
  fflush(stderr);
  if (isinstance(e, exc.KeyboardInterrupt)) tstate->interp->interrupted = true;
  return 1;
}

namespace {

// A script's path as CPython 3.9+ records it in __file__ and tracebacks: absolute, normalized
// but not resolved ("<string>" and other pseudo-names stay as they are).
std::string absolute_script_path(const std::string& name) {
  if (name.empty() || name[0] == '<') return name;
  std::error_code ec;
  auto p = std::filesystem::absolute(name, ec);
  return ec ? name : p.lexically_normal().string();
}

}  // namespace

Value main_module(Interp& interp, const std::string& filename) {
  if (interp.main_module.is_obj()) return interp.main_module;
  Value m = new_module("__main__");
  interp.main_module = m;
  if (filename[0] != '<') dict_set_str(module_dict(m), intern("__file__"), new_str(filename));
  dict_set_str(module_dict(m), intern("__builtins__"), interp.builtins_module);
  dict_set(as_dict(interp.modules), new_str("__main__"), m);
  return m;
}

int check_main(const std::string& source, const std::string& filename) {
  SyntaxErrorInfo error;
  if (load_code(source, absolute_script_path(filename), error)) return 0;
  fputs(format_syntax_error(error).c_str(), stderr);
  return 1;
}

std::shared_ptr<Code> compile_interactive(const std::string& source, const std::string& filename, bool& incomplete,
                                          std::string& error) {
  auto parsed = parse_interactive(repair_pasted_nbsp(source), filename, incomplete);
  // An error past the last line (a block still to come) only means the input is unfinished.
  int lines = (int)std::count(source.begin(), source.end(), '\n');
  if (!parsed && parsed.error().line > lines) {
    incomplete = true;
    return nullptr;
  }
  if (!parsed) {
    error = format_syntax_error(parsed.error());
    return nullptr;
  }
  if (incomplete) return nullptr;
  SyntaxErrorInfo info;
  auto code = compile_parsed(std::move(*parsed), filename, CompileMode::Interactive, info);
  if (!code) error = format_syntax_error(info);
  return code;
}

int run_main(Interp& interp, const std::string& source, const std::string& given_name) {
  std::string filename = absolute_script_path(given_name);
  SyntaxErrorInfo error;
  auto code = load_code(source, filename, error);
  if (!code) {
    flush_script_output();
    fputs(format_syntax_error(error).c_str(), stderr);
    return 1;
  }
  Value m = main_module(interp, filename);
  if (code->flags & kCoroutine) {
    Frame* f = Frame::create(code, Value::borrow(module_dict(m)));
    Value coro = make_module_coroutine(f);
    if (!interp.run_coroutine) {
      raise(exc.SyntaxError, "'await' outside function");
      return report_uncaught(take_exception());
    }
    Value r = interp.run_coroutine(coro);
    return r.is_raised() ? report_uncaught(take_exception()) : 0;
  }
  if (exec_module_code(code, m)) return 0;
  return report_uncaught(take_exception());
}

Value compile_source(const std::string& source, const std::string& filename, CompileMode mode) {
  SyntaxErrorInfo error;
  auto code = load_code(source, filename, error, mode);
  if (!code) return raise_syntax_error(error);
  auto* c = new CodeObj(std::move(code));
  c->eval = mode == CompileMode::Eval;
  return Value::adopt(c);
}

Value run_code_object(const Value& code, const Value& globals) {
  Frame* f = Frame::create(as<CodeObj>(code)->code, globals);
  Value out;
  RunStatus st = run_frame(f, out);
  Frame::destroy(f);
  if (st == RunStatus::Raised) return Value::raised();
  return as<CodeObj>(code)->eval ? out : Value();
}

CodeObj::CodeObj(std::shared_ptr<Code> c) : Object(types.code), code(std::move(c)) {}

}  // namespace aio
