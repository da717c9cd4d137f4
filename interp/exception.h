// Exceptions: the standard hierarchy, exception objects, tracebacks and their printing.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interp/object.h"
#include "interp/syntax_error.h"

namespace aio {

struct Code;

// One traceback line: where a frame was when the exception passed through it.
struct TraceEntry {
  std::shared_ptr<Code> code;
  int line;
  const void* frame;  // identity only: one entry per frame the exception passes
};

struct ExcObj : Instance {
  Value args;  // a tuple
  Value cause, context;
  bool suppress_context = false;
  std::vector<TraceEntry> traceback;  // innermost first (appended while unwinding)
  explicit ExcObj(Type* t);
};

struct ExcTypes {
  Type *BaseException, *Exception, *SystemExit, *KeyboardInterrupt, *GeneratorExit,
      *StopIteration, *StopAsyncIteration, *ArithmeticError, *ZeroDivisionError, *OverflowError,
      *AssertionError, *AttributeError, *LookupError, *IndexError, *KeyError, *NameError,
      *UnboundLocalError, *TypeError, *ValueError, *UnicodeError, *UnicodeDecodeError,
      *UnicodeEncodeError, *RuntimeError, *RecursionError, *NotImplementedError, *ImportError,
      *ModuleNotFoundError, *OSError, *FileNotFoundError, *FileExistsError, *PermissionError,
      *IsADirectoryError, *NotADirectoryError, *TimeoutError, *ConnectionError,
      *BrokenPipeError, *ConnectionResetError, *ConnectionRefusedError, *ConnectionAbortedError,
      *InterruptedError, *EOFError, *MemoryError, *SyntaxError, *IndentationError, *TabError, *SystemError,
      *Warning, *UserWarning, *DeprecationWarning, *RuntimeWarning, *ResourceWarning,
      *BufferError, *FloatingPointError, *ChildProcessError, *ProcessLookupError,
      *BlockingIOError, *UnicodeTranslateError, *PendingDeprecationWarning, *SyntaxWarning,
      *FutureWarning, *ImportWarning, *UnicodeWarning, *BytesWarning, *EnvironmentError,
      *IOError, *ExceptionGroup, *BaseExceptionGroup;
};
extern ExcTypes exc;

inline bool is_exception(const Value& v) { return v.is_obj() && isinstance(v, exc.BaseException); }
// Makes an exception instance from a type or returns an instance as is (for `raise X`).
Value make_exception(Type* t, std::vector<Value>&& args);
// The OSError subclass CPython picks for errno (OSError itself for most).
Type* os_error_type(int err);
// Raises OSError (or the matching subclass) for errno, as CPython words it; filename2 is the
// second path of a two-path call (rename, link).
Value raise_os_error(int err, const std::string& filename = "", const std::string& filename2 = "");
// Takes the propagating exception out of the thread state.
Value take_exception();
// True when the propagating exception is an instance of t.
bool exception_matches(Type* t);
// isinstance(e, t) for an except clause: t is a type or a tuple; -1 (raised) when t is not one.
int exception_isinstance(const Value& e, const Value& t);
// A trace's "  File ..., line N, in f" lines with their source, outermost first (the entries are
// innermost first); frames of embedded library code are left out, and a run of frames at one place
// is cut as CPython cuts it ("[Previous line repeated N more times]"). limit: as traceback's.
std::string format_trace(const std::vector<TraceEntry>& trace, std::optional<int> limit = std::nullopt);
// Line `line` of code's source without its indentation, as tracebacks show it ("" if none).
std::string source_line(const Code& code, int line);
// The traceback as CPython prints it, ending with "Type: message\n"; chain: with the causes and
// contexts that led to it; limit: frames kept per traceback, the outermost (>= 0) or innermost (< 0).
std::string format_exception(const Value& e, bool chain = true, std::optional<int> limit = std::nullopt);
std::string exception_line(const Value& e);  // "Type: message"
// CPython's report of a syntax error: where (file and line), the source line with a caret
// under the fault, and "Type: msg".
std::string format_syntax_error(const SyntaxErrorInfo& e);
// Raises the SyntaxError (IndentationError, TabError) that e describes, with its attributes.
Value raise_syntax_error(const SyntaxErrorInfo& e);
std::string exception_message(const Value& e);  // str(e)

void init_exception_types();
void init_exception_group_types();

// The natives the compiler calls from the handler code of a `try` with `except*` clauses:
// begin(exc) -> state; match(state, type) -> the part that handler takes, or None;
// raised(state, exc) when a handler raised; finish(state) -> what to re-raise, or None.
struct ExceptStarNatives {
  Value begin, match, raised, finish;
};
const ExceptStarNatives& except_star_natives();

}  // namespace aio
