// Expression evaluation by walking the tree, and the assignment of values to targets.
#pragma once
#include "interp/ast.h"
#include "interp/function.h"

namespace aio {

Value eval(Expr* e, Frame* f);
// An if/while test's truth: 1, 0, or -1 when it raised (single comparisons make no bool Value).
int eval_condition(Expr* e, Frame* f);
// The operand of an await. When it is a direct call of a script coroutine function, `coroutine`
// gets the callee's bound frame (to run in place, see await_frame) and the result is None.
Value eval_awaited(Expr* e, Frame* f, Frame*& coroutine);
bool assign(Expr* target, const Value& v, Frame* f);
bool delete_target(Expr* target, Frame* f);
// A name's value: for Global scope, the module dict then builtins.
Value load_global(Frame* f, Name* n);
bool exec_augassign(AugAssign* a, Frame* f);
// A function object for compiled code: evaluates defaults, captures the closure.
Value make_closure(const std::shared_ptr<Code>& code, Arguments* args, Frame* f);
// The cell an enclosing frame holds for `name` (a free variable of code nested in it).
const Value& enclosing_cell(Frame* f, const Value& name);
// The value of a literal (made once by the compile pass).
Value constant_value(const Constant* c);

}  // namespace aio
