// Replacement templates (re.sub's repl, Match.expand): CPython 3.11's parse_template.
#include <algorithm>

#include "interp/str.h"
#include "interp/utf8.h"
#include "stdlib/re_syntax.h"
#include "stdlib/re_tokenizer.h"

namespace aio::re {
namespace {

class TemplateParser {
 public:
  TemplateParser(std::string_view tmpl, bool text, const Translation& pattern)
      : src_(tmpl, text), text_(text), pattern_(pattern) {}

  tl::expected<std::vector<TemplatePiece>, SyntaxError> run() {
    for (Token t = src_.get(); !t.end(); t = src_.get()) {
      if (!t.escaped) append(uint32_t(t.ch));
      else if (t.ch == 'g') named_group();
      else if (t.ch == '0') octal_zero();
      else if (is_digit(t.ch)) numeric(t);
      else escape(t);
      if (unknown_name_) return tl::unexpected(*unknown_name_);
    }
    if (src_.failed()) return tl::unexpected(src_.error());
    if (!literal_.empty()) pieces_.push_back({std::move(literal_), -1});
    return std::move(pieces_);
  }

 private:
  void append(uint32_t c) {
    if (text_) append_utf8(literal_, c);
    else literal_ += char(c);
  }

  void add_group(uint64_t index, size_t offset) {
    if (index > uint64_t(pattern_.groups)) return src_.fail("invalid group reference " + std::to_string(index), offset);
    if (!literal_.empty()) pieces_.push_back({std::move(literal_), -1});
    literal_.clear();
    pieces_.push_back({"", int(index)});
  }

  // \g<name> or \g<number>
  void named_group() {
    if (!src_.match('<')) return src_.fail("missing <");
    std::vector<uint32_t> name;
    if (!src_.getuntil('>', "group name", name)) return;
    std::string utf8 = utf8_text(name);
    if (str_is_identifier(utf8)) {
      for (auto& [n, gid] : pattern_.names)
        if (n == utf8) return add_group(uint64_t(gid), name.size() + 1);
      unknown_name_ = SyntaxError{SyntaxError::Index, "unknown group name " + text_repr(name), -1};
      return;
    }
    bool digits = !name.empty() && std::all_of(name.begin(), name.end(), [](uint32_t d) { return is_digit(d); });
    if (!digits) return src_.fail("bad character in group name " + text_repr(name), name.size() + 1);
    uint64_t index = 0;
    for (uint32_t d : name) {
      index = index * 10 + (d - '0');
      if (index >= kMaxGroups) return src_.fail("invalid group reference " + utf8, name.size() + 1);
    }
    add_group(index, name.size() + 1);
  }

  // \0, \0o, \0oo: an octal character.
  void octal_zero() {
    uint32_t c = 0;
    for (int i = 0; i < 2 && !src_.peek().escaped && is_octdigit(src_.peek().ch); i++) c = c * 8 + uint32_t(src_.get().ch - '0');
    append(c & kMaxByte);
  }

  // \1..\99 (a group) or \ooo (an octal character).
  void numeric(const Token& first) {
    std::string digits(1, char(first.ch));
    if (!src_.peek().escaped && is_digit(src_.peek().ch)) {
      digits += char(src_.get().ch);
      const Token& third = src_.peek();
      if (is_octdigit(digits[0]) && is_octdigit(digits[1]) && !third.escaped && is_octdigit(third.ch)) {
        digits += char(src_.get().ch);
        uint32_t c = uint32_t(std::stoul(digits, nullptr, 8));
        if (c > kMaxByte) return src_.fail("octal escape value \\" + digits + " outside of range 0-0o377", digits.size() + 1);
        return append(c);
      }
    }
    add_group(std::stoul(digits), digits.size());
  }

  void escape(const Token& t) {
    if (auto c = simple_escape(t.ch)) return append(*c);
    if (is_ascii_letter(t.ch)) return src_.fail("bad escape \\" + std::string(1, char(t.ch)), 2);
    append('\\');
    append(uint32_t(t.ch));
  }

  Tokenizer src_;
  bool text_;
  const Translation& pattern_;
  std::string literal_;
  std::vector<TemplatePiece> pieces_;
  std::optional<SyntaxError> unknown_name_;
};

}  // namespace

tl::expected<std::vector<TemplatePiece>, SyntaxError> parse_template(std::string_view tmpl, bool text, const Translation& pattern) {
  return TemplateParser(tmpl, text, pattern).run();
}

}  // namespace aio::re
