// Functions, closures' cells, bound methods, and the frames that run them.
#pragma once
#include <memory>
#include <vector>

#include "interp/code.h"
#include "interp/dict.h"
#include "interp/object.h"

namespace aio {

struct DictObj;

// A variable shared between a function and the functions nested in it.
struct CellObj : Object {
  Value value;
  bool empty = true;
  CellObj();
};

struct FunctionObj : Object {
  std::shared_ptr<Code> code;
  Value globals;             // the module's dict
  std::vector<Value> defaults;     // for the last positional parameters
  std::vector<Value> kwdefaults;   // one per keyword-only parameter; raised() tag-free None means required
  std::vector<bool> kwrequired;
  std::vector<Value> closure;      // cells, in Code::free_slots order
  Value name, qualname, doc, module_name;
  Value annotations;               // a dict, or None until asked for
  DictObj* dict = nullptr;         // function attributes (__wrapped__, cache_info...)
  explicit FunctionObj(std::shared_ptr<Code> c, Value globals);
  ~FunctionObj() override;
  DictObj* attr_dict() override;  // made on first use: most functions never get attributes
};

struct MethodObj : Object {
  Value func, self;
  MethodObj(Value f, Value s);
};

// What few frames need, made on demand: handled exceptions parked while a generator is
// suspended, and the Code of a module or class body (a function's frame has its FunctionObj).
struct FrameExtras {
  std::vector<Value> saved_handling;
  std::shared_ptr<Code> code_owner;
  DictObj* globals = nullptr;      // module and class bodies: their module's dict (owned)
  DictObj* locals_dict = nullptr;  // class bodies: the namespace being built (owned)
};

// A running or suspended activation. One allocation: the slots follow the header.
struct Frame {
  Code* code;                 // kept alive by func, or by extras->code_owner
  FunctionObj* func;          // nullptr for module and class bodies
  int pc = 0;
  bool resuming = false;      // re-entering the Suspend step at pc after a yield
  bool throwing = false;      // the resumer throws the value it passes to run_frame
  FrameExtras* extras = nullptr;
  Value slots[1];             // really code->nslots of them

  // A function's frame (fn keeps code alive and has the globals).
  static Frame* create(Code* code, FunctionObj* fn);
  // A module or class body's frame: holds a reference to its code and to its globals.
  static Frame* create(const std::shared_ptr<Code>& code, const Value& globals);
  static void destroy(Frame* f);
  int line() const { return code->steps[pc].line; }
  DictObj* globals() const { return func ? static_cast<DictObj*>(func->globals.obj()) : extras->globals; }
  DictObj* locals_dict() const { return extras ? extras->locals_dict : nullptr; }
};

enum class RunStatus { Returned, Yielded, Raised };

// Runs a frame from its pc until it returns, yields or raises; `out` gets the value. On entry
// `out` holds what a resumer sends into a suspended frame (or throws, when f->throwing).
RunStatus run_frame(Frame* f, Value& out);
// Binds call arguments into a fresh frame's slots; false: raised TypeError.
bool bind_args(FunctionObj* fn, Frame* f, const Args& args);
Value call_function(FunctionObj* fn, const Args& args);
// After binding arguments: cells for captured locals and parameters, the closure's cells.
void bind_cells(FunctionObj* fn, Frame* f);
// Runs fn on a fresh frame whose parameters and cells are bound (or makes its generator);
// takes the frame.
Value call_bound(FunctionObj* fn, Frame* f);

// CPython's recursion guard, counting the module frame as level 1: false (RecursionError raised,
// `what` appended to its message) at the recursion limit or near the end of the native stack.
extern int recursion_limit;
bool recursion_error(const char* what);  // raises RecursionError; returns false
inline bool enter_recursion(const char* what = "") {
  ThreadState* ts = tstate;
  if (ts->depth + 1 >= recursion_limit || (ts->stack_limit && (char*)__builtin_frame_address(0) < ts->stack_limit))
    return recursion_error(what);
  ts->depth++;
  return true;
}
inline void leave_recursion() { tstate->depth--; }
Value make_function(std::shared_ptr<Code> code, Value globals);


}  // namespace aio
