// A syntax error as CPython reports it: the exception type, message and where it points.
#pragma once
#include <string>

namespace aio {

struct SyntaxErrorInfo {
  std::string type;  // "SyntaxError", "IndentationError" or "TabError"
  std::string msg;
  std::string filename;
  int line = 0;
  int col = 0;  // 1-based column of the caret, as CPython's SyntaxError.offset
  int end_col = 0;
  std::string text;  // the offending source line
};

}  // namespace aio
