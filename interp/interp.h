// The interpreter: loaded modules, builtins, and running a file or a string.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "interp/function.h"
#include "interp/object.h"

namespace aio {

struct DictObj;

// A native module's initializer fills the module's dict.
using ModuleInit = void (*)(const Value& module);

struct Interp {
  DictObj* builtins = nullptr;           // the builtins module's dict
  Value builtins_module;
  Value modules;                         // sys.modules: a dict name -> module
  std::map<std::string, ModuleInit> native_modules;
  std::map<std::string, const char*> library_modules;  // modules written in aio: name -> source
  std::vector<std::string> argv;
  std::string script_dir;                // where `import x` looks for x.aio / x.py
  int exit_code = 0;
  bool interrupted = false;              // an uncaught KeyboardInterrupt ended the program
  Value main_module;
  // Runs a coroutine to completion on a fresh event loop (asyncio.run); installed by stdlib/
  // so that a script with top-level await can run its body as the main coroutine.
  Value (*run_coroutine)(const Value& coro) = nullptr;
  // Writes out what print() has buffered (installed by stdlib/), so that text the interpreter
  // writes itself (tracebacks, warnings, REPL values) lands after it.
  void (*flush_output)() = nullptr;
};

// Sets up types, builtins and native modules; makes `interp` current on this thread, which
// then holds the global interpreter lock.
void interp_init(Interp& interp);
// The interpreter set up by interp_init (what other threads running script code share).
Interp* main_interp();
void interp_register_module(Interp& interp, const std::string& name, ModuleInit init);
void interp_register_library_module(Interp& interp, const std::string& name, const char* source);
// Runs source as __main__; prints uncaught exceptions as CPython does; returns the exit status.
int run_main(Interp& interp, const std::string& source, const std::string& filename);

// Parses and compiles without running (--check); prints a SyntaxError as run_main does.
int check_main(const std::string& source, const std::string& filename);
// REPL: compiles one interactive input (expression statements print their value). Null with
// `incomplete` set when more lines are needed; null with `error` (CPython's report) on a SyntaxError.
std::shared_ptr<Code> compile_interactive(const std::string& source, const std::string& filename, bool& incomplete,
                                          std::string& error);
// The __main__ module: the one run_main made, else a new one (the REPL's namespace).
Value main_module(Interp& interp, const std::string& filename);

// Import machinery used by the executor.
Value import_module(const std::string& name, Frame* f, bool quiet = false);
bool import_star(const Value& module, Frame* f);
std::string module_origin(const Value& module);
bool store_name(Frame* f, const Value& name, const Value& v);
// REPL: prints a non-None expression value (and binds _).
bool display_value(const Value& v);
// Flushes buffered script output before the interpreter writes to stdout or stderr directly.
void flush_script_output();
// Prints an uncaught exception (traceback to stderr) and returns the exit status it implies.
int report_uncaught(const Value& e);
// A code object (compile()'s result): source compiled as a module of its own.
struct CodeObj : Object {
  std::shared_ptr<Code> code;
  bool eval = false;  // compiled in 'eval' mode: running it gives the expression's value
  explicit CodeObj(std::shared_ptr<Code> c);
};
// compile(): a CodeObj, or a raised SyntaxError.
Value compile_source(const std::string& source, const std::string& filename, CompileMode mode);
// exec()/eval() of a code object in a globals dict (holding __builtins__): eval's value, None for exec.
Value run_code_object(const Value& code, const Value& globals);

// Adds a native function to a module (or builtins) dict.
void add_function(const Value& module, const char* name, NativeFn fn);

}  // namespace aio
