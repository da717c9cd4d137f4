// The tokens the lexer hands the parser.
#pragma once
#include <cstdint>
#include <string>

namespace aio {

// Keywords are Name tokens; the parser tells them apart by text. Operators and
// brackets are Op tokens whose text is the operator itself.
enum class Tok : uint8_t { Name, Number, String, Op, Newline, Indent, Dedent, End };

struct Token {
  Tok kind = Tok::End;
  std::string text;  // source text; a String keeps its prefix and quotes
  int line = 0;      // 1-based
  int col = 0;       // 0-based byte offset in the line
  int end_line = 0;
  int end_col = 0;
};

}  // namespace aio
