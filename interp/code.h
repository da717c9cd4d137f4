// Code: a function body lowered to a flat list of steps with explicit jumps.
// Expressions inside steps stay trees; any await/yield has been lifted into a step of its own,
// so a frame only ever suspends between steps and resuming is "continue at pc".
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "interp/ast.h"

namespace aio {

enum class Op : uint8_t {
  Eval,         // evaluate expr, discard
  Assign,       // target(s) = expr (slot: the one target is this local's slot, or -1)
  AugAssign,    // stmt is an AugAssign
  Jump,         // goto target
  JumpIfFalse,  // if not expr: goto target
  JumpIfTrue,   // if expr: goto target
  GetIter,      // slot = iter(expr) (arg 1: aiter)
  ForIter,      // target_expr (slot2: a local's slot, or -1) = next(slot), or goto target when exhausted
  Return,       // return expr (or None)
  Raise,        // raise expr from expr2
  Reraise,      // re-raise the exception held in slot
  Suspend,      // slot = yield expr / await expr / yield from expr (see SuspendKind)
  Def,          // stmt is a FunctionDef/ClassDef: build and bind it
  Delete,       // del targets
  Import,       // stmt is Import/ImportFrom
  Assert,       // assert expr, expr2
  ExceptMatch,  // if exception in slot does not match expr (arg 1: StopAsyncIteration): goto target
  EnterHandler, // push the exception in slot as "being handled"
  ExitHandler,  // truncate the handled exceptions to depth aux
  EnterFinally, // start fins[aux]'s body: the exception it runs for (or the current one) is being handled
  EndFinally,   // finish a finally block: act on the pending action in slot
  SetPending,   // slot = pending action (kind in arg, value from expr) then goto target
  WithEnter,    // slot = mgr, slot+1 = bound __exit__; slot2 = mgr.__enter__() (arg 1: __aenter__)
  WithExit,     // slot2 = __exit__(None, None, None) of the manager in slot (arg 1: __aexit__)
  WithExcept,   // slot2 = __exit__(type, exc, tb) of the manager in slot, for fins[aux]'s exception
  CompInit,     // slot = an empty list/set/dict (arg 0/1/2) for a comprehension
  CompAppend,   // add expr (dict: expr: expr2) to the collection in slot
  Nop,
};

// AsyncNext awaits slots[aux].__anext__().
enum class SuspendKind : uint8_t { Yield, YieldFrom, Await, AsyncNext };

// What a finally block resumes with once it ends (EndFinally).
enum class Pending : uint8_t { None, Raise, Return, Jump };

struct Step {
  Op op;
  uint8_t arg = 0;          // SuspendKind or Pending
  int line = 0;
  int target = -1;          // jump target pc
  int slot = -1;            // frame slot used by the step
  int slot2 = -1;           // a second slot (With results)
  Expr* expr = nullptr;
  Expr* expr2 = nullptr;
  Expr* target_expr = nullptr;  // assignment target
  Stmt* stmt = nullptr;
  std::vector<ExprP>* targets = nullptr;  // Assign/Delete targets
  int aux = -1;                 // EndFinally/SetPending: index into Code::fins; ExitHandler: depth
};

// A finally block: where its pending action lives, where its body starts, what it protects,
// and the finally around it (so return/break leaving both run both).
struct FinBlock {
  int pending_slot;  // kind in pending_slot, value in pending_slot + 1
  int body_pc = -1;
  int region_start = 0, region_end = 0;
  int outer = -1;
  int handling_depth = 0;  // handled exceptions live around the block (its body has one more)
};

// A protected range: an exception raised by a step in [start, end) jumps to handler with the
// exception stored in slot. Entries are ordered innermost first.
struct ExcEntry {
  int start, end, handler, slot;
  int handling_depth;  // how many "being handled" exceptions are live at the handler
};

// How call arguments bind to parameters.
struct Params {
  std::vector<Value> names;  // interned: posonly, args, kwonly, then *args, **kwargs
  int nposonly = 0, nargs = 0, nkwonly = 0;  // nargs counts posonly too
  bool has_varargs = false, has_kwargs = false;
  // Positional parameters only: a call with exactly nargs positional arguments binds them in order.
  bool positional_only_shape() const { return !has_varargs && !has_kwargs && !nkwonly; }
};

enum CodeFlags : uint8_t {
  kGenerator = 1, kCoroutine = 2, kAsyncGenerator = 4, kClassBody = 8, kModule = 16,
};

// Filenames of embedded library modules start with this ("<aio:collections>").
inline constexpr const char* kLibraryFilePrefix = "<aio:";

// Shared by the def that made it and its functions; a traceback entry takes a reference.
struct Code : std::enable_shared_from_this<Code> {
  std::string name, qualname;
  std::shared_ptr<Module> module;  // keeps the AST (and source lines) alive
  int firstline = 0;
  uint8_t flags = 0;
  Params params;
  int nslots = 0;                   // locals, then cells, then temporaries
  std::vector<Value> slot_names;    // interned names of named slots (nullptr-free prefix)
  std::vector<int> cell_slots;      // local slots captured by inner functions (hold a Cell)
  std::vector<int> free_slots;      // slots filled from the closure, in closure order
  std::vector<Value> free_names;    // names of those free variables (interned)
  std::vector<int> param_cells;     // parameters that are also cells (moved into a Cell on entry)
  bool has_cells = false;           // any of cell_slots, free_slots, param_cells: set up on entry
  std::vector<Step> steps;
  std::vector<ExcEntry> handlers;
  std::vector<FinBlock> fins;
  std::vector<ExprP> synthetic;     // nodes made by lowering (temps, lifted wrappers)
  const std::string& filename() const { return module->filename; }
  // Code of a module embedded in the binary: tracebacks show only the script's frames.
  bool is_library() const { return filename().rfind(kLibraryFilePrefix, 0) == 0; }
};

struct CompileError {
  std::string msg;
  int line;
};

// What a module's top-level expression statements do: nothing (a file, exec), print their
// value (the REPL), or return it (eval: the module is one expression statement).
enum class CompileMode { File, Interactive, Eval };

// Resolves names and lowers a parsed module into its top-level Code (inner functions' Codes
// hang off their FunctionDef nodes).
std::shared_ptr<Code> compile_module(std::shared_ptr<Module> m, std::string& error, int& error_line,
                                     CompileMode mode = CompileMode::File);

}  // namespace aio
