// The lexer, after CPython's tokenizer.c: one pass over the source, tracking the
// indentation stack and open brackets, producing the whole token list up front.
#include "interp/lexer.h"

#include <algorithm>
#include <cctype>

#include "interp/unicode_name.h"
#include "interp/utf8.h"

namespace aio {
namespace {

constexpr int kTabSize = 8;
// Library modules average about 4.5 source bytes a token: reserving that many tokens up front
// saves regrowing (and page-faulting) the token list several times.
constexpr size_t kBytesPerToken = 4;
constexpr unsigned char kNbspLead = 0xC2, kNbspTrail = 0xA0;  // U+00A0 in UTF-8

// The length of the operator at the start of `s` (maximal munch), 0 if none starts there.
size_t operator_length(std::string_view s) {
  auto next_is = [s](size_t i, char c) { return i < s.size() && s[i] == c; };
  char c = s[0];
  switch (c) {
    case '*': case '/': case '<': case '>':  // doubled, then either may take '='
      if (next_is(1, c)) return next_is(2, '=') ? 3 : 2;
      return next_is(1, '=') ? 2 : 1;
    case '.': return next_is(1, '.') && next_is(2, '.') ? 3 : 1;
    case '-': return next_is(1, '>') || next_is(1, '=') ? 2 : 1;
    case '+': case '%': case '@': case '&': case '|': case '^': case ':': case '=': case '!':
      return next_is(1, '=') ? 2 : 1;
    case '~': case '(': case ')': case '[': case ']': case '{': case '}': case ',': case ';':
    case '$': case '?': case '`':
      return 1;
    default: return 0;
  }
}

// Keywords that may directly follow a number (`1if x else 2`), as CPython allows.
constexpr std::string_view kNumberFollowers[] = {"and", "else", "for", "if", "in", "is", "not", "or"};

// ASCII tests written out: std::isalpha is a libc call per character.
bool is_ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool is_ident_char(unsigned char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

bool is_digit_in(int radix, char c) {
  switch (radix) {
    case 16: return std::isxdigit(static_cast<unsigned char>(c));
    case 8: return c >= '0' && c <= '7';
    case 2: return c == '0' || c == '1';
    default: return std::isdigit(static_cast<unsigned char>(c));
  }
}

const char* radix_name(int radix) {
  return radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : radix == 2 ? "binary" : "decimal";
}

bool is_string_prefix(std::string_view p) {
  std::string low;
  for (char c : p) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* ok : {"r", "u", "b", "f", "br", "rb", "fr", "rf"})
    if (low == ok) return true;
  return false;
}

struct Bracket {
  char ch;
  int line, col;
};

class Lexer {
 public:
  Lexer(std::string_view src, const std::string& filename, const std::vector<std::string>& lines,
        bool fragment, int line, int col)
      : src_(src), filename_(filename), lines_(lines), fragment_(fragment), line_(line),
        first_line_(line), first_col_(col) {
    out_.tokens.reserve(src.size() / kBytesPerToken);
  }

  LexResult run() {
    while (out_.fail == LexFail::None && step()) {}
    return std::move(out_);
  }

 private:
  // ---- positions and output ----
  int col_at(size_t p) const {
    return static_cast<int>(p - line_start_) + (line_ == first_line_ ? first_col_ : 0);
  }
  int col() const { return col_at(pos_); }
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  bool at_end() const { return pos_ >= src_.size(); }
  bool nbsp_at(size_t p) const {
    return p + 1 < src_.size() && static_cast<unsigned char>(src_[p]) == kNbspLead &&
           static_cast<unsigned char>(src_[p + 1]) == kNbspTrail;
  }
  void next_line() {
    ++line_;
    line_start_ = pos_;
  }
  std::string line_text(int line) const {
    return line >= 1 && line <= static_cast<int>(lines_.size()) ? lines_[line - 1] : std::string();
  }

  void emit(Tok kind, size_t start, int line, int col) {
    Token t;
    t.kind = kind;
    t.text = std::string(src_.substr(start, pos_ - start));
    t.line = line;
    t.col = col;
    t.end_line = line_;
    t.end_col = this->col();
    out_.tokens.push_back(std::move(t));
    if (kind != Tok::Newline && kind != Tok::Indent && kind != Tok::Dedent) pending_newline_ = true;
  }

  // Records the first error; `col`/`end_col` are CPython's 1-based offsets.
  bool fail(LexFail why, const char* type, std::string msg, int line, int col, int end_col) {
    SyntaxErrorInfo& e = out_.error;
    e.type = type;
    e.msg = std::move(msg);
    e.filename = filename_;
    e.line = line;
    e.text = line_text(line);
    e.col = col > 0 ? char_col(e.text, col - 1) + 1 : col;
    e.end_col = end_col > 0 ? char_col(e.text, end_col - 1) + 1 : end_col;
    out_.fail = why;
    return false;
  }
  bool syntax_error(std::string msg, int line, int col, int end_col) {
    return fail(LexFail::Error, "SyntaxError", std::move(msg), line, col, end_col);
  }

  // ---- the main loop: one token (or one line's indentation) per call ----
  bool step() {
    if (at_line_start_) {
      // A line that continues an open bracket has no indentation of its own.
      at_line_start_ = false;
      if (brackets_.empty() && !fragment_ && !indentation()) return false;
    }
    skip_spaces();
    if (at_end()) return finish();
    char c = peek();
    if (c == '#') {
      pos_ = std::min(src_.find('\n', pos_), src_.size());
      return true;
    }
    if (c == '\n') return newline();
    if (c == '\\') return continuation();
    if (is_ident_start(static_cast<unsigned char>(c))) return name();
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && std::isdigit(static_cast<unsigned char>(peek(1)))))
      return number();
    if (c == '\'' || c == '"') return string(pos_);
    return op();
  }

  void skip_spaces() {
    while (!at_end()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\f') {
        ++pos_;
      } else if (nbsp_at(pos_)) {
        pos_ += 2;
      } else {
        break;
      }
    }
  }

  // Measures a line's indentation and emits INDENT/DEDENT. Like CPython, `alt` counts
  // tabs as one column: if the two measures disagree on the order, tabs and spaces are
  // mixed inconsistently.
  bool indentation() {
    int width = 0, alt = 0;
    size_t start = pos_;
    for (;;) {
      char c = peek();
      if (c == ' ') {
        ++width, ++alt, ++pos_;
      } else if (c == '\t') {
        width = (width / kTabSize + 1) * kTabSize, ++alt, ++pos_;
      } else if (c == '\f') {
        width = alt = 0, ++pos_;
      } else if (nbsp_at(pos_)) {
        ++width, ++alt, pos_ += 2;
      } else {
        break;
      }
    }
    char c = peek();
    if (at_end() || c == '\n' || c == '#') return true;  // blank lines do not count
    if (c == '\\' && (peek(1) == '\n' || pos_ + 1 >= src_.size())) return true;
    int end_col = col();
    if (width == indents_.back()) {
      if (alt != alt_indents_.back()) return tab_error();
    } else if (width > indents_.back()) {
      if (alt <= alt_indents_.back()) return tab_error();
      indents_.push_back(width);
      alt_indents_.push_back(alt);
      emit(Tok::Indent, start, line_, 0);
    } else {
      while (indents_.size() > 1 && width < indents_.back()) {
        indents_.pop_back();
        alt_indents_.pop_back();
        Token t;
        t.kind = Tok::Dedent;
        t.line = t.end_line = line_;
        t.col = t.end_col = end_col;
        out_.tokens.push_back(t);
      }
      if (width != indents_.back()) {
        int len = static_cast<int>(line_text(line_).size());
        return fail(LexFail::Error, "IndentationError",
                    "unindent does not match any outer indentation level", line_, len + 1, -1);
      }
      if (alt != alt_indents_.back()) return tab_error();
    }
    return true;
  }

  bool tab_error() {
    return fail(LexFail::Error, "TabError", "inconsistent use of tabs and spaces in indentation",
                line_, 1, 0);
  }

  bool newline() {
    size_t start = pos_;
    int c = col();
    ++pos_;
    if (brackets_.empty() && !fragment_ && pending_newline_) {
      emit(Tok::Newline, start, line_, c);
      out_.tokens.back().end_line = line_;
      out_.tokens.back().end_col = c + 1;
      pending_newline_ = false;
    }
    next_line();
    at_line_start_ = true;
    return true;
  }

  bool continuation() {
    int c = col();
    int line = line_;
    if (pos_ + 1 >= src_.size())
      return fail(LexFail::EofAfterBackslash, "SyntaxError", "unexpected EOF while parsing", line,
                  c + 2, -1);
    if (peek(1) != '\n')
      return syntax_error("unexpected character after line continuation character", line, c + 2,
                          0);
    pos_ += 2;
    next_line();
    if (at_end())
      return fail(LexFail::EofAfterBackslash, "SyntaxError", "unexpected EOF while parsing", line,
                  c + 2, -1);
    return true;
  }

  bool finish() {
    if (!brackets_.empty()) {
      const Bracket& b = brackets_.back();
      return fail(LexFail::EofInBracket, "SyntaxError",
                  std::string("'") + b.ch + "' was never closed", b.line, b.col + 1, 0);
    }
    if (!fragment_) {
      if (pending_newline_) {
        emit(Tok::Newline, pos_, line_, col());
        pending_newline_ = false;
      }
      for (size_t i = 1; i < indents_.size(); ++i) emit(Tok::Dedent, pos_, line_, col());
    }
    emit(Tok::End, pos_, line_, col());
    Token& end = out_.tokens.back();
    if (!fragment_ && line_ > 1 && pos_ == line_start_) {  // CPython puts it on the last line
      end.line = end.end_line = line_ - 1;
      end.col = end.end_col = static_cast<int>(line_text(line_ - 1).size());
    }
    return false;
  }

  bool name() {
    size_t start = pos_;
    int c = col();
    while (!at_end() && is_ident_char(static_cast<unsigned char>(peek())) && !nbsp_at(pos_))
      ++pos_;
    if ((peek() == '\'' || peek() == '"') && is_string_prefix(src_.substr(start, pos_ - start)))
      return string(start);
    emit(Tok::Name, start, line_, c);
    return true;
  }

  // ---- numbers ----

  // digit ('_'? digit)*; on a bad underscore reports CPython's error and returns false.
  bool digits(int radix) {
    while (!at_end()) {
      if (peek() == '_') {
        ++pos_;
        if (!is_digit_in(radix, peek()))
          return syntax_error(std::string("invalid ") + radix_name(radix) + " literal", line_,
                              col(), col());
      } else if (!is_digit_in(radix, peek())) {
        break;
      }
      ++pos_;
    }
    return true;
  }

  // A number may not run into a name: `1abc` (but `1if x else y` is allowed).
  bool end_of_number(int radix) {
    unsigned char c = static_cast<unsigned char>(peek());
    if (!is_ident_char(c) || nbsp_at(pos_)) return true;
    for (std::string_view kw : kNumberFollowers) {
      size_t len = kw.size();
      if (src_.substr(pos_, len) == kw &&
          !is_ident_char(static_cast<unsigned char>(
              pos_ + len < src_.size() ? src_[pos_ + len] : ' ')))
        return true;
    }
    if (radix != 10 && std::isdigit(c))
      return syntax_error(std::string("invalid digit '") + static_cast<char>(c) + "' in " +
                              radix_name(radix) + " literal",
                          line_, col() + 1, col() + 1);
    return syntax_error(std::string("invalid ") + radix_name(radix) + " literal", line_, col(),
                        col());
  }

  bool number() {
    size_t start = pos_;
    int c = col();
    char x = static_cast<char>(std::tolower(static_cast<unsigned char>(peek(1))));
    if (peek() == '0' && (x == 'x' || x == 'o' || x == 'b')) {
      int radix = x == 'x' ? 16 : x == 'o' ? 8 : 2;
      pos_ += 2;
      if (peek() == '_') ++pos_;
      if (!is_digit_in(radix, peek())) {
        if (std::isdigit(static_cast<unsigned char>(peek()))) return end_of_number(radix);
        return syntax_error(std::string("invalid ") + radix_name(radix) + " literal", line_,
                            col(), col());
      }
      if (!digits(radix) || !end_of_number(radix)) return false;
      emit(Tok::Number, start, line_, c);
      return true;
    }
    bool is_int = true;
    if (peek() != '.' && !digits(10)) return false;
    if (peek() == '.') {
      is_int = false;
      ++pos_;
      if (std::isdigit(static_cast<unsigned char>(peek())) && !digits(10)) return false;
    }
    char e = peek();
    if (e == 'e' || e == 'E') {
      size_t mark = pos_;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (std::isdigit(static_cast<unsigned char>(peek()))) {
        is_int = false;
        if (!digits(10)) return false;
      } else {
        pos_ = mark;  // `1else`: the number ends before the `e`
      }
    }
    if (peek() == 'j' || peek() == 'J') {
      is_int = false;
      ++pos_;
    }
    if (!end_of_number(10)) return false;
    std::string_view text = src_.substr(start, pos_ - start);
    if (is_int && text.size() > 1 && text[0] == '0' &&
        text.find_first_not_of("0_") != std::string_view::npos)
      return syntax_error(
          "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
          "octal integers",
          line_, c + 1, c + 2);
    emit(Tok::Number, start, line_, c);
    return true;
  }

  // ---- strings: the token keeps prefix and quotes; the parser decodes them ----
  bool string(size_t start) {
    int line = line_, c = col_at(start);
    char q = peek();
    bool triple = peek(1) == q && peek(2) == q;
    pos_ += triple ? 3 : 1;
    for (;;) {
      if (at_end()) {
        if (!triple) break;
        int last = src_.empty() || src_.back() != '\n' ? line_ : line_ - 1;
        return fail(LexFail::EofInString, "SyntaxError",
                    "unterminated triple-quoted string literal (detected at line " +
                        std::to_string(last) + ")",
                    line, c + 1, c + 1);
      }
      char ch = peek();
      if (ch == '\\') {
        ++pos_;
        if (at_end()) continue;
        if (peek() == '\n') {
          ++pos_;
          next_line();
        } else {
          ++pos_;
        }
        continue;
      }
      if (ch == '\n') {
        if (!triple) break;
        ++pos_;
        next_line();
        continue;
      }
      if (ch == q && (!triple || (peek(1) == q && peek(2) == q))) {
        pos_ += triple ? 3 : 1;
        emit(Tok::String, start, line, c);
        return true;
      }
      ++pos_;
    }
    return syntax_error("unterminated string literal (detected at line " + std::to_string(line_) +
                            ")",
                        line, c + 1, c + 1);
  }

  // ---- operators and brackets ----
  bool op() {
    size_t start = pos_;
    int c = col();
    if (size_t len = operator_length(src_.substr(pos_))) {
      char ch = peek();
      if (len == 1 && (ch == '(' || ch == '[' || ch == '{')) {
        brackets_.push_back({ch, line_, c});
      } else if (len == 1 && (ch == ')' || ch == ']' || ch == '}')) {
        if (!close_bracket(ch, c)) return false;
      }
      pos_ += len;
      emit(Tok::Op, start, line_, c);
      return true;
    }
    // Any other character (non-printable, stray punctuation): an Op the parser rejects.
    ++pos_;
    while (!at_end() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80) ++pos_;
    emit(Tok::Op, start, line_, c);
    return true;
  }

  bool close_bracket(char ch, int c) {
    if (brackets_.empty() || (fragment_ && brackets_.empty()))
      return syntax_error(std::string("unmatched '") + ch + "'", line_, c + 1, c + 1);
    Bracket open = brackets_.back();
    char want = open.ch == '(' ? ')' : open.ch == '[' ? ']' : '}';
    if (ch != want) {
      std::string msg = std::string("closing parenthesis '") + ch +
                        "' does not match opening parenthesis '" + open.ch + "'";
      if (open.line != line_) msg += " on line " + std::to_string(open.line);
      return syntax_error(msg, line_, c + 1, c + 1);
    }
    brackets_.pop_back();
    return true;
  }

  std::string_view src_;
  const std::string& filename_;
  const std::vector<std::string>& lines_;
  bool fragment_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_;
  int first_line_, first_col_;
  bool at_line_start_ = true;
  bool pending_newline_ = false;
  std::vector<int> indents_{0}, alt_indents_{0};
  std::vector<Bracket> brackets_;
  LexResult out_;
};

constexpr uint32_t kMaxCodePoint = 0x10FFFF;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

}  // namespace

std::string normalize_source(std::string_view src) {
  if (src.substr(0, 3) == "\xEF\xBB\xBF") src.remove_prefix(3);
  std::string out;
  out.reserve(src.size());
  while (!src.empty()) {  // whole runs up to each \r: sources rarely have any
    size_t cr = src.find('\r');
    out += src.substr(0, cr);
    if (cr == std::string_view::npos) break;
    out += '\n';
    src.remove_prefix(cr + (src.substr(cr, 2) == "\r\n" ? 2 : 1));
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view src) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < src.size()) {
    size_t nl = src.find('\n', start);
    if (nl == std::string_view::npos) nl = src.size();
    lines.emplace_back(src.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

LexResult tokenize(std::string_view src, const std::string& filename) {
  std::vector<std::string> lines = split_lines(src);
  return Lexer(src, filename, lines, false, 1, 0).run();
}

LexResult tokenize_fragment(std::string_view text, const std::string& filename,
                            const std::vector<std::string>& lines, int line, int col) {
  return Lexer(text, filename, lines, true, line, col).run();
}

namespace {

// Decodes one literal body; on a bad escape, `error` holds CPython's SyntaxError message.
class EscapeDecoder {
 public:
  EscapeDecoder(std::string_view body, bool bytes) : body_(body), bytes_(bytes) { out_.reserve(body.size()); }

  tl::expected<std::string, std::string> run() {
    for (i_ = 0; i_ < body_.size(); ++i_) {
      if (body_[i_] != '\\' || i_ + 1 >= body_.size()) {
        literal(body_[i_]);
        continue;
      }
      size_t start = i_;
      if (!escape(body_[++i_], start)) return tl::unexpected(error_);
    }
    return std::move(out_);
  }

 private:
  // CPython decodes str literals after rewriting each non-ASCII character as a 10-byte \U
  // escape, so its error positions count those characters as 10 bytes.
  static constexpr size_t kWideCharBytes = 10;

  void literal(char c) {
    out_ += c;
    unsigned char u = static_cast<unsigned char>(c);
    if (!bytes_ && u >= 0xC0) shift_ += kWideCharBytes - (u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : 2);
  }

  void put(uint32_t cp) {
    if (bytes_) out_ += static_cast<char>(cp & 0xFF);
    else append_utf8(out_, cp);
  }

  // The error for an escape at body[start..end), positions as CPython reports them.
  bool fail(size_t start, size_t end, const char* why) {
    if (bytes_) {
      error_ = "(value error) invalid \\x escape at position " + std::to_string(start);
    } else {
      error_ = "(unicode error) 'unicodeescape' codec can't decode bytes in position " +
               std::to_string(start + shift_) + "-" + std::to_string(end + shift_ - 1) + ": " + why;
    }
    return false;
  }

  // `n` hex digits after body[i_] as one character (bytes: one byte).
  bool hex_escape(size_t start, size_t n, const char* why) {
    uint32_t cp = 0;
    size_t k = 0;
    for (; k < n && i_ + 1 + k < body_.size() && std::isxdigit(static_cast<unsigned char>(body_[i_ + 1 + k])); ++k)
      cp = cp * 16 + hex_value(body_[i_ + 1 + k]);
    if (k < n) return fail(start, i_ + 1 + k, why);
    i_ += n;
    if (cp > kMaxCodePoint) return fail(start, i_ + 1, "illegal Unicode character");
    put(cp);
    return true;
  }

  // \N{NAME}: i_ is at the N.
  bool named_escape(size_t start) {
    const char* malformed = "malformed \\N character escape";
    if (i_ + 1 >= body_.size() || body_[i_ + 1] != '{') return fail(start, i_ + 1, malformed);
    size_t close = body_.find('}', i_ + 2);
    if (close == std::string_view::npos) return fail(start, body_.size(), malformed);
    if (close == i_ + 2) return fail(start, close, malformed);
    std::optional<uint32_t> cp = unicode_lookup(body_.substr(i_ + 2, close - i_ - 2));
    if (!cp) return fail(start, close + 1, "unknown Unicode character name");
    append_utf8(out_, *cp);
    i_ = close;
    return true;
  }

  bool escape(char c, size_t start) {
    switch (c) {
      case '\n': return true;
      case '\\': case '\'': case '"': out_ += c; return true;
      case 'a': out_ += '\a'; return true;
      case 'b': out_ += '\b'; return true;
      case 'f': out_ += '\f'; return true;
      case 'n': out_ += '\n'; return true;
      case 'r': out_ += '\r'; return true;
      case 't': out_ += '\t'; return true;
      case 'v': out_ += '\v'; return true;
      case 'x': return hex_escape(start, 2, "truncated \\xXX escape");
      case 'u': if (!bytes_) return hex_escape(start, 4, "truncated \\uXXXX escape"); break;
      case 'U': if (!bytes_) return hex_escape(start, 8, "truncated \\UXXXXXXXX escape"); break;
      case 'N': if (!bytes_) return named_escape(start); break;
      default:
        if (c >= '0' && c <= '7') {
          uint32_t cp = c - '0';
          for (int k = 0; k < 2 && i_ + 1 < body_.size() && body_[i_ + 1] >= '0' && body_[i_ + 1] <= '7'; ++k)
            cp = cp * 8 + (body_[++i_] - '0');
          put(cp);
          return true;
        }
    }
    out_ += '\\';  // unknown escapes stay as written
    out_ += c;
    return true;
  }

  std::string_view body_;
  bool bytes_;
  std::string out_, error_;
  size_t i_ = 0, shift_ = 0;
};

}  // namespace

tl::expected<std::string, std::string> decode_escapes(std::string_view body, bool bytes) {
  return EscapeDecoder(body, bytes).run();
}

int char_col(const std::string& line, int bytes) {
  int n = 0;
  for (int i = 0; i < bytes && i < static_cast<int>(line.size()); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++n;
  if (bytes > static_cast<int>(line.size())) n += bytes - static_cast<int>(line.size());
  return n;
}

}  // namespace aio
