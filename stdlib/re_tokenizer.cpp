// The regular-expression tokenizer (see re_tokenizer.h).
#include "stdlib/re_tokenizer.h"

#include "interp/str.h"
#include "interp/utf8.h"

namespace aio::re {

std::string utf8_text(const std::vector<uint32_t>& chars) {
  std::string out;
  for (uint32_t c : chars) append_utf8(out, c);
  return out;
}

std::string text_repr(const std::vector<uint32_t>& chars) { return str_repr(utf8_text(chars)); }

Tokenizer::Tokenizer(std::string_view source, bool text) : text_(text) {
  if (text) {
    for (size_t i = 0; i < source.size();) chars_.push_back(decode_utf8(source, i));
  } else {
    for (unsigned char c : source) chars_.push_back(c);
  }
  advance();
}

void Tokenizer::advance() {
  if (error_ || index_ >= chars_.size()) {
    next_ = Token{};
    return;
  }
  Token t{chars_[index_], false};
  if (t.ch == '\\') {
    if (index_ + 1 >= chars_.size()) {
      fail_at("bad escape (end of pattern)", int64_t(chars_.size()) - 1);
      return;
    }
    t = Token{chars_[++index_], true};
  }
  index_++;
  next_ = t;
}

Token Tokenizer::get() {
  Token t = next_;
  advance();
  return t;
}

bool Tokenizer::match(char c) {
  if (!next_.is(c)) return false;
  advance();
  return true;
}

void Tokenizer::seek(size_t index) {
  index_ = index;
  advance();
}

std::vector<uint32_t> Tokenizer::getwhile(int n, bool (*pred)(int64_t)) {
  std::vector<uint32_t> out;
  for (int i = 0; i < n && !next_.escaped && !next_.end() && pred(next_.ch); i++) out.push_back(get().ch);
  return out;
}

bool Tokenizer::getuntil(char terminator, const char* name, std::vector<uint32_t>& out) {
  for (;;) {
    Token c = get();
    if (c.end()) {
      if (out.empty()) {
        fail(std::string("missing ") + name);
      } else {
        fail(std::string("missing ") + terminator + ", unterminated name", out.size());
      }
      return false;
    }
    if (c.is(terminator)) {
      if (!out.empty()) return true;
      fail(std::string("missing ") + name, 1);
      return false;
    }
    if (c.escaped) out.push_back('\\');
    out.push_back(uint32_t(c.ch));
  }
}

void Tokenizer::fail(std::string msg, size_t offset) { fail_at(std::move(msg), int64_t(tell()) - int64_t(offset)); }

void Tokenizer::fail_at(std::string msg, int64_t pos, SyntaxError::Kind kind) {
  if (error_) return;
  error_ = SyntaxError{kind, std::move(msg), pos};
  next_ = Token{};
}

}  // namespace aio::re
