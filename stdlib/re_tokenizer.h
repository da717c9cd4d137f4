// CPython's re._parser.Tokenizer, shared by the pattern and template parsers: a token is one
// character, or a backslash with the character after it. Positions count characters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stdlib/re_syntax.h"

namespace aio::re {

struct Token {
  int64_t ch = -1;  // -1: the end of the pattern
  bool escaped = false;
  bool end() const { return ch < 0; }
  bool is(char c) const { return !escaped && ch == int64_t(static_cast<unsigned char>(c)); }
  size_t size() const { return end() ? 0 : escaped ? 2 : 1; }
};

inline bool is_digit(int64_t c) { return c >= '0' && c <= '9'; }
inline bool is_octdigit(int64_t c) { return c >= '0' && c <= '7'; }
inline bool is_hexdigit(int64_t c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline bool is_ascii_letter(int64_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

constexpr uint64_t kMaxGroups = 1073741823;  // CPython's MAXGROUPS on 64-bit builds
constexpr uint32_t kMaxByte = 0xFF;             // octal escapes stop here

// The value of \a \b \f \n \r \t \v \\ (CPython's ESCAPES), nullopt for other characters.
inline std::optional<uint32_t> simple_escape(int64_t ch) {
  switch (ch) {
    case 'a': return 7;
    case 'b': return 8;
    case 'f': return 12;
    case 'n': return 10;
    case 'r': return 13;
    case 't': return 9;
    case 'v': return 11;
    case '\\': return '\\';
    default: return std::nullopt;
  }
}

// The text of characters as UTF-8 (a bytes pattern's characters are its bytes, read as latin-1).
std::string utf8_text(const std::vector<uint32_t>& chars);
// Python's repr() of such text, for messages.
std::string text_repr(const std::vector<uint32_t>& chars);

class Tokenizer {
 public:
  Tokenizer(std::string_view source, bool text);

  const Token& peek() const { return next_; }
  Token get();
  bool match(char c);
  size_t tell() const { return index_ - next_.size(); }
  void seek(size_t index);
  // Up to n plain characters satisfying pred.
  std::vector<uint32_t> getwhile(int n, bool (*pred)(int64_t));
  // Characters up to terminator (consumed); false after failing as CPython does.
  bool getuntil(char terminator, const char* name, std::vector<uint32_t>& out);
  // Records the first error, at tell() - offset; the tokenizer then reports the end.
  void fail(std::string msg, size_t offset = 0);
  void fail_at(std::string msg, int64_t pos, SyntaxError::Kind kind = SyntaxError::Re);
  bool failed() const { return error_.has_value(); }
  const SyntaxError& error() const { return *error_; }
  bool text() const { return text_; }
  size_t size() const { return chars_.size(); }

 private:
  void advance();
  std::vector<uint32_t> chars_;
  bool text_;
  size_t index_ = 0;
  Token next_;
  std::optional<SyntaxError> error_;
};

}  // namespace aio::re
