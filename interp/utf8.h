// UTF-8 walking shared by str, the lexer and the format-spec engine. Input is valid UTF-8.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace aio {

inline bool is_utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Number of code points in s.
inline size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += !is_utf8_continuation(c);
  return n;
}

// Decodes the code point starting at s[i]; i moves past it.
inline uint32_t decode_utf8(std::string_view s, size_t& i) {
  unsigned char c = s[i++];
  if (c < 0x80) return c;
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  uint32_t cp = c & (0x3F >> extra);
  for (; extra > 0 && i < s.size(); --extra) cp = (cp << 6) | (s[i++] & 0x3F);
  return cp;
}

inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

}  // namespace aio
