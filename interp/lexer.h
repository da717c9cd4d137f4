// The lexer: source text to tokens, with Python's INDENT/DEDENT rules and CPython's errors.
#pragma once
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "interp/syntax_error.h"
#include "interp/token.h"

namespace aio {

// Why tokenizing stopped early; the REPL treats the EOF cases as "needs more input".
enum class LexFail : uint8_t { None, Error, EofInBracket, EofInString, EofAfterBackslash };

struct LexResult {
  std::vector<Token> tokens;  // up to the first error; ends with End when there is none
  LexFail fail = LexFail::None;
  SyntaxErrorInfo error;      // set when fail != None
};

// Drops a UTF-8 BOM and turns \r\n and lone \r into \n.
std::string normalize_source(std::string_view src);
// The lines of normalized source, without their newlines.
std::vector<std::string> split_lines(std::string_view src);

// Tokenizes normalized source.
LexResult tokenize(std::string_view src, const std::string& filename);
// Tokenizes an f-string replacement field found at (line, col) of `lines`: no NEWLINE
// or INDENT tokens, as inside brackets.
LexResult tokenize_fragment(std::string_view text, const std::string& filename,
                            const std::vector<std::string>& lines, int line, int col);

// The value of a string literal body (quotes and prefix removed) with escapes decoded;
// `bytes` keeps \u and \N escapes verbatim and yields raw bytes. A bad escape gives CPython's
// SyntaxError message ("(unicode error) 'unicodeescape' codec can't decode bytes in ...").
tl::expected<std::string, std::string> decode_escapes(std::string_view body, bool bytes);

// The number of code points in the first `bytes` bytes of a UTF-8 line (for caret columns).
int char_col(const std::string& line, int bytes);

}  // namespace aio
