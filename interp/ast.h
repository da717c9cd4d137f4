// The abstract syntax tree the parser builds and the compile pass annotates in place.
// Expressions stay trees (the evaluator walks them); statements are lowered to steps.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "interp/value.h"

namespace aio {

struct Expr;
struct Stmt;
using ExprP = std::unique_ptr<Expr>;
using StmtP = std::unique_ptr<Stmt>;
using Body = std::vector<StmtP>;

struct Pos {
  int line = 0;  // 1-based
  int col = 0;   // 0-based byte offset in the line
  int end_col = 0;
};

// ---- expressions ----

enum class ExprKind : uint8_t {
  Constant, Name, JoinedStr, FormattedValue, BinOp, UnaryOp, BoolOp, Compare, Call, Attribute,
  Subscript, Slice, List, Tuple, Set, Dict, ListComp, SetComp, DictComp, GeneratorExp, Lambda,
  IfExp, NamedExpr, Await, Yield, YieldFrom, Starred,
  Temp,      // made by the compile pass: reads a frame slot holding a lifted result
  MatchTest  // made by the compile pass: does a case's pattern match (binding its names)?
};

enum class BinOpKind : uint8_t {
  Add, Sub, Mult, MatMult, Div, FloorDiv, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd
};
enum class UnaryOpKind : uint8_t { Not, Neg, Pos, Invert };
enum class CmpOp : uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };

// Where a name lives, decided by the compile pass (the parser leaves Unresolved).
enum class Scope : uint8_t { Unresolved, Local, Cell, Free, Global, ClassBody, Builtin };

struct Expr {
  ExprKind kind;
  Pos pos;
  bool has_suspend = false;  // set by the compile pass: contains await/yield
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
};

enum class ConstKind : uint8_t { None, True, False, Ellipsis, Int, BigInt, Float, Imag, Str, Bytes };

struct Constant : Expr {
  ConstKind ck = ConstKind::None;
  int64_t i = 0;      // Int
  double f = 0;       // Float, Imag
  std::string s;      // Str, Bytes (raw bytes), BigInt (decimal digits)
  Value value;        // filled by the compile pass
  Constant() : Expr(ExprKind::Constant) {}
};

struct Name : Expr {
  std::string id;
  Scope scope = Scope::Unresolved;  // compile pass
  int slot = -1;                    // compile pass: local/cell slot index
  Value interned;                   // compile pass: the interned name string
  // load_global's inline cache: the entry last found, valid while the module dict and the
  // builtins keep the versions they had then (a value rebinding keeps the entry in place).
  Value* cached = nullptr;
  uint64_t globals_version = 0, builtins_version = 0;
  Name() : Expr(ExprKind::Name) {}
};

// f"...": parts are Constant (Str) and FormattedValue.
struct JoinedStr : Expr {
  std::vector<ExprP> parts;
  JoinedStr() : Expr(ExprKind::JoinedStr) {}
};

struct FormattedValue : Expr {
  ExprP value;
  char conversion = 0;  // 0, 'r', 's', 'a'
  ExprP format_spec;    // JoinedStr or nullptr
  FormattedValue() : Expr(ExprKind::FormattedValue) {}
};

struct BinOp : Expr {
  BinOpKind op;
  ExprP left, right;
  BinOp() : Expr(ExprKind::BinOp) {}
};

struct UnaryOp : Expr {
  UnaryOpKind op;
  ExprP operand;
  UnaryOp() : Expr(ExprKind::UnaryOp) {}
};

struct BoolOp : Expr {
  bool is_and = true;
  std::vector<ExprP> values;
  BoolOp() : Expr(ExprKind::BoolOp) {}
};

struct Compare : Expr {
  ExprP left;
  std::vector<CmpOp> ops;
  std::vector<ExprP> comparators;
  Compare() : Expr(ExprKind::Compare) {}
};

struct Keyword {
  std::string name;  // empty for **mapping
  ExprP value;
  Pos pos;
};

struct Call : Expr {
  ExprP func;
  std::vector<ExprP> args;  // may contain Starred
  std::vector<Keyword> keywords;
  std::vector<Value> kwnames;  // compile pass: interned keyword names (when no ** is present)
  bool simple = true;          // compile pass: no *args / **kwargs in the call
  Call() : Expr(ExprKind::Call) {}
};

struct Attribute : Expr {
  ExprP value;
  std::string attr;
  Value interned;  // compile pass
  // The evaluator's cache for instances whose dict alone decides this name: the type seen last
  // (valid while type_epoch is unchanged) and the entry of the instance dict holding the name.
  struct Type* cache_type = nullptr;
  uint64_t cache_epoch = 0;
  uint32_t cache_entry = 0;
  Attribute() : Expr(ExprKind::Attribute) {}
};

struct Subscript : Expr {
  ExprP value;
  ExprP index;  // a Slice node for a[i:j:k]; a Tuple for a[i, j]
  Subscript() : Expr(ExprKind::Subscript) {}
};

struct Slice : Expr {
  ExprP lower, upper, step;  // each may be nullptr
  Slice() : Expr(ExprKind::Slice) {}
};

// List, Tuple, Set: elements may contain Starred.
struct Sequence : Expr {
  std::vector<ExprP> elts;
  explicit Sequence(ExprKind k) : Expr(k) {}
};

struct Dict : Expr {
  std::vector<ExprP> keys;  // nullptr key: values[i] is a **mapping
  std::vector<ExprP> values;
  Dict() : Expr(ExprKind::Dict) {}
};

struct Comprehension {
  ExprP target;
  ExprP iter;
  std::vector<ExprP> ifs;
  bool is_async = false;
};

struct FunctionDef;

// ListComp, SetComp, GeneratorExp use elt; DictComp uses key and value.
// The compile pass turns each into a hidden function (`fn`) called on the first iterable.
struct Comp : Expr {
  ExprP elt, key, value;
  std::vector<Comprehension> generators;
  FunctionDef* fn = nullptr;  // compile pass (owned by `owned_fn`)
  std::unique_ptr<Stmt> owned_fn;
  explicit Comp(ExprKind k) : Expr(k) {}
};

struct Arg {
  std::string name;
  ExprP annotation;
  Pos pos;
};

struct Arguments {
  std::vector<Arg> posonly;     // before '/'
  std::vector<Arg> args;        // positional-or-keyword
  std::vector<ExprP> defaults;  // for the last len(defaults) of posonly+args
  std::unique_ptr<Arg> vararg;  // *args
  std::vector<Arg> kwonly;
  std::vector<ExprP> kw_defaults;  // one per kwonly; nullptr where required
  std::unique_ptr<Arg> kwarg;      // **kwargs
};

struct Lambda : Expr {
  Arguments args;
  ExprP body;
  std::unique_ptr<Stmt> fn;  // compile pass: the equivalent FunctionDef
  Lambda() : Expr(ExprKind::Lambda) {}
};

struct IfExp : Expr {
  ExprP test, body, orelse;
  IfExp() : Expr(ExprKind::IfExp) {}
};

struct NamedExpr : Expr {
  ExprP target;  // a Name
  ExprP value;
  NamedExpr() : Expr(ExprKind::NamedExpr) {}
};

// Await, Yield (value may be nullptr), YieldFrom, Starred.
struct UnaryExpr : Expr {
  ExprP value;
  explicit UnaryExpr(ExprKind k) : Expr(k) {}
};

// A lifted sub-expression's result, parked in a frame slot by an earlier step.
struct TempRef : Expr {
  int slot;
  explicit TempRef(int s) : Expr(ExprKind::Temp), slot(s) {}
};

// ---- match patterns ----

enum class PatternKind : uint8_t {
  Value,     // a literal or dotted name, compared with ==
  Singleton, // None, True, False: compared with `is`
  Capture,   // a name (or `_`, which binds nothing)
  Star,      // *name in a sequence pattern
  Sequence, Mapping, Class, Or, As
};

struct Pattern;
using PatternP = std::unique_ptr<Pattern>;

struct Pattern {
  PatternKind kind;
  Pos pos;
  ExprP value;                   // Value/Singleton: the constant or dotted name; Class: the class
  ExprP target;                  // Capture/Star/As, Mapping's **rest: the Name bound (none for `_`)
  std::vector<PatternP> items;   // Sequence elements, Or alternatives, Class positionals,
                                 // Mapping values, As: the pattern before `as`
  std::vector<ExprP> keys;       // Mapping keys
  std::vector<std::string> attrs;        // Class keyword names
  std::vector<PatternP> kwd_patterns;    // Class keyword patterns
  explicit Pattern(PatternKind k) : kind(k) {}
};

// The compile pass's test for one case: the subject (a TempRef) against the pattern.
struct MatchTest : Expr {
  ExprP subject;
  Pattern* pattern = nullptr;
  MatchTest() : Expr(ExprKind::MatchTest) {}
};

// ---- statements ----

enum class StmtKind : uint8_t {
  Expr, Assign, AugAssign, AnnAssign, If, While, For, Break, Continue, Pass, Return, FunctionDef,
  ClassDef, Global, Nonlocal, Delete, Assert, Raise, Try, With, Import, ImportFrom, Match
};

struct Stmt {
  StmtKind kind;
  Pos pos;
  explicit Stmt(StmtKind k) : kind(k) {}
  virtual ~Stmt() = default;
};

struct ExprStmt : Stmt {
  ExprP value;
  ExprStmt() : Stmt(StmtKind::Expr) {}
};

struct Assign : Stmt {
  std::vector<ExprP> targets;  // a = b = value: two targets
  ExprP value;
  Assign() : Stmt(StmtKind::Assign) {}
};

struct AugAssign : Stmt {
  ExprP target;
  BinOpKind op;
  ExprP value;
  AugAssign() : Stmt(StmtKind::AugAssign) {}
};

struct AnnAssign : Stmt {
  ExprP target, annotation, value;  // value may be nullptr
  AnnAssign() : Stmt(StmtKind::AnnAssign) {}
};

struct If : Stmt {
  ExprP test;
  Body body, orelse;
  If() : Stmt(StmtKind::If) {}
};

struct While : Stmt {
  ExprP test;
  Body body, orelse;
  While() : Stmt(StmtKind::While) {}
};

struct For : Stmt {
  ExprP target, iter;
  Body body, orelse;
  bool is_async = false;
  For() : Stmt(StmtKind::For) {}
};

// Break, Continue, Pass.
struct SimpleStmt : Stmt {
  explicit SimpleStmt(StmtKind k) : Stmt(k) {}
};

struct Return : Stmt {
  ExprP value;  // may be nullptr
  Return() : Stmt(StmtKind::Return) {}
};

struct Code;  // the compiled body (compile.h)

struct FunctionDef : Stmt {
  std::string name;
  Arguments args;
  Body body;
  std::vector<ExprP> decorators;
  ExprP returns;
  bool is_async = false;
  std::shared_ptr<Code> code;  // compile pass
  FunctionDef() : Stmt(StmtKind::FunctionDef) {}
};

struct ClassDef : Stmt {
  std::string name;
  std::vector<ExprP> bases;
  std::vector<Keyword> keywords;
  Body body;
  std::vector<ExprP> decorators;
  std::shared_ptr<Code> code;  // compile pass
  ClassDef() : Stmt(StmtKind::ClassDef) {}
};

// Global, Nonlocal.
struct NamesStmt : Stmt {
  std::vector<std::string> names;
  explicit NamesStmt(StmtKind k) : Stmt(k) {}
};

struct Delete : Stmt {
  std::vector<ExprP> targets;
  Delete() : Stmt(StmtKind::Delete) {}
};

struct Assert : Stmt {
  ExprP test, msg;
  Assert() : Stmt(StmtKind::Assert) {}
};

struct Raise : Stmt {
  ExprP exc, cause;  // both may be nullptr
  Raise() : Stmt(StmtKind::Raise) {}
};

struct ExceptHandler {
  ExprP type;        // nullptr for a bare except
  std::string name;  // empty when there is no `as`
  bool star = false; // except*: the handler takes the matching part of an exception group
  Body body;
  Pos pos;
  std::vector<ExprP> unbind;  // compile pass: the `as` name, deleted when the handler ends
};

struct Try : Stmt {
  Body body;
  std::vector<ExceptHandler> handlers;
  Body orelse, finalbody;
  Try() : Stmt(StmtKind::Try) {}
};

struct WithItem {
  ExprP context;
  ExprP vars;  // may be nullptr
};

struct With : Stmt {
  std::vector<WithItem> items;
  Body body;
  bool is_async = false;
  With() : Stmt(StmtKind::With) {}
};

struct Alias {
  std::string name;    // dotted for import; a plain name (or "*") for from-import
  std::string asname;  // empty when absent
  Pos pos;
};

struct Import : Stmt {
  std::vector<Alias> names;
  Import() : Stmt(StmtKind::Import) {}
};

struct ImportFrom : Stmt {
  std::string module;  // may be empty for `from . import x`
  std::vector<Alias> names;
  int level = 0;
  ImportFrom() : Stmt(StmtKind::ImportFrom) {}
};

struct MatchCase {
  PatternP pattern;
  ExprP guard;  // may be nullptr
  Body body;
  Pos pos;
  std::unique_ptr<MatchTest> test;  // compile pass
};

struct Match : Stmt {
  ExprP subject;
  std::vector<MatchCase> cases;
  Match() : Stmt(StmtKind::Match) {}
};

// A parsed file: its statements, and the source kept for tracebacks.
struct Module {
  std::string filename;
  std::vector<std::string> lines;  // source lines without newlines, for tracebacks
  Body body;
};

// The docstring of a module, class or function body: its first statement when that is a string.
inline Constant* docstring(const Body& b) {
  if (b.empty() || b[0]->kind != StmtKind::Expr) return nullptr;
  Expr* e = static_cast<ExprStmt*>(b[0].get())->value.get();
  if (e->kind != ExprKind::Constant || static_cast<Constant*>(e)->ck != ConstKind::Str) return nullptr;
  return static_cast<Constant*>(e);
}

}  // namespace aio
