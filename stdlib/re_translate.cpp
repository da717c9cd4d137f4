// Python's pattern syntax to PCRE2's: a port of CPython 3.11's re._parser that checks what
// CPython checks (same messages and positions) and writes each construct in PCRE2's terms.
// What differs: \Z is \z; groups are numbered (names stay here); \s, and the ASCII flag's
// classes, are written as explicit ranges, since PCRE2's differ from str.isspace.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "interp/str.h"
#include "interp/unicode.h"
#include "interp/unicode_name.h"
#include "interp/utf8.h"
#include "stdlib/re_syntax.h"
#include "stdlib/re_tokenizer.h"

namespace aio::re {
namespace {

constexpr uint64_t kMaxRepeat = 4294967295;  // CPython's MAXREPEAT: "unbounded"
constexpr uint32_t kMaxUnicode = 0x10FFFF;
constexpr uint64_t kPcreMaxRepeat = 65535;  // PCRE2's largest count in {m,n}
constexpr unsigned kTypeFlags = kAscii | kLocale | kUnicode;
constexpr unsigned kGlobalFlags = kDebug | kTemplate;

// (min, max) characters a subpattern can match, as CPython's getwidth computes it.
struct Width {
  uint64_t lo = 0, hi = 0;
};

Width add(Width a, Width b) { return {std::min(a.lo + b.lo, kMaxRepeat - 1), std::min(a.hi + b.hi, kMaxRepeat)}; }

// "At" items (anchors) cannot be repeated; a repeated item cannot be repeated again.
enum class Kind { Atom, At, Repeat };

// One element of a sequence, already in PCRE2 syntax: always a single atom, so a quantifier
// can follow it directly.
struct Item {
  std::string text;
  Kind kind;
  Width width;
};

struct Seq {
  std::vector<Item> items;
  Width width() const {
    Width w;
    for (const Item& i : items) w = add(w, i.width);
    return w;
  }
  std::string text() const {
    std::string out;
    for (const Item& i : items) out += i.text;
    return out;
  }
};

// An alternation (what a group holds).
struct Alt {
  std::string text;
  Width width;
};

struct Mode {
  bool verbose;
  bool ascii;  // \d \w \s \b by ASCII rules
};

struct Range {
  uint32_t lo, hi;
};
// str.isspace, which Python's \s follows for str patterns; the ASCII flag's three classes.
constexpr Range kUnicodeSpace[] = {{0x9, 0xd},       {0x1c, 0x20},     {0x85, 0x85},
                                   {0xa0, 0xa0},     {0x1680, 0x1680}, {0x2000, 0x200a},
                                   {0x2028, 0x2029}, {0x202f, 0x202f}, {0x205f, 0x205f},
                                   {0x3000, 0x3000}};
constexpr Range kAsciiSpace[] = {{0x9, 0xd}, {0x20, 0x20}};
constexpr Range kAsciiDigit[] = {{'0', '9'}};
constexpr Range kAsciiWord[] = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
constexpr const char* kAsciiWordClass = "[0-9A-Z_a-z]";

std::string hex_escape(uint32_t c) {
  char buf[16];
  snprintf(buf, sizeof buf, "\\x{%x}", c);
  return buf;
}

bool is_surrogate(uint32_t c) { return c >= 0xD800 && c <= 0xDFFF; }

// A character as a PCRE2 literal, inside or outside a class.
std::string literal(uint32_t c, bool text) {
  if (c < 0x80) {
    if ((c >= '0' && c <= '9') || is_ascii_letter(c)) return std::string(1, char(c));
    if (c >= 0x20 && c < 0x7f) return std::string{'\\', char(c)};
    return hex_escape(c);
  }
  if (!text || is_surrogate(c)) return hex_escape(c);  // PCRE2 takes lone surrogates only as escapes
  std::string out;
  append_utf8(out, c);
  return out;
}

std::string ranges_text(const Range* r, size_t n, bool negate, uint32_t max_char) {
  std::vector<Range> rs(r, r + n);
  if (negate) {
    std::vector<Range> gaps;
    uint32_t from = 0;
    for (const Range& x : rs) {
      if (x.lo > from) gaps.push_back({from, x.lo - 1});
      from = x.hi + 1;
    }
    if (from <= max_char) gaps.push_back({from, max_char});
    rs = gaps;
  }
  std::string out;
  for (const Range& x : rs) {
    out += hex_escape(x.lo);
    if (x.hi != x.lo) out += "-" + hex_escape(x.hi);
  }
  return out;
}

// The text of a token (a backslash and a character, or one character), for messages.
std::string token_text(const Token& t) {
  std::string out = t.escaped ? "\\" : "";
  append_utf8(out, uint32_t(t.ch));
  return out;
}

// c is one of the (ASCII) characters of set.
bool one_of(const char* set, int64_t c) { return c > 0 && c < 0x80 && strchr(set, int(c)); }

bool is_flag_char(const Token& t) { return !t.escaped && one_of("iLmsxatu", t.ch); }

unsigned flag_of(int64_t c) {
  switch (c) {
    case 'i': return kIgnoreCase;
    case 'L': return kLocale;
    case 'm': return kMultiline;
    case 's': return kDotAll;
    case 'x': return kVerbose;
    case 'a': return kAscii;
    case 't': return kTemplate;
    default: return kUnicode;
  }
}

// The PCRE2 letters of the flags it applies itself (the others are the translator's).
std::string pcre_letters(unsigned f) {
  std::string out;
  if (f & kIgnoreCase) out += 'i';
  if (f & kMultiline) out += 'm';
  if (f & kDotAll) out += 's';
  return out;
}

std::string quantifier(uint64_t min, uint64_t max) {
  if (max == kMaxRepeat && min <= 1) return min ? "+" : "*";
  if (min == 0 && max == 1) return "?";
  std::string hi = min == max ? "" : max == kMaxRepeat ? "," : "," + std::to_string(max);
  return "{" + std::to_string(min) + hi + "}";
}

// atom{min,max} plus its mode ("", "?" lazy, "+" possessive). Counts beyond PCRE2's limit
// become nested repeats: (min / limit) blocks of limit, the rest, then the optional part.
std::string quantified(const std::string& atom, uint64_t min, uint64_t max, const std::string& mode) {
  bool bounded = max != kMaxRepeat;
  if (min <= kPcreMaxRepeat && (!bounded || max <= kPcreMaxRepeat)) return atom + quantifier(min, max) + mode;
  std::string lazy = mode == "?" ? "?" : "";
  auto blocks = [&](uint64_t count, bool optional) {
    std::string out, lo = optional ? "0," : "";
    if (count >= kPcreMaxRepeat) {
      out += "(?:" + atom + "{" + lo + std::to_string(kPcreMaxRepeat) + "}" + lazy + "){" + lo +
             std::to_string(count / kPcreMaxRepeat) + "}" + lazy;
    }
    if (count % kPcreMaxRepeat) out += atom + "{" + lo + std::to_string(count % kPcreMaxRepeat) + "}" + lazy;
    return out;
  };
  std::string out = "(?:" + blocks(min, false) + (bounded ? blocks(max - min, true) : atom + "*" + lazy) + ")";
  return mode == "+" ? "(?>" + out + ")" : out;
}

bool parse_number(const std::vector<uint32_t>& digits, uint64_t& out) {
  out = 0;
  for (uint32_t d : digits) {
    out = out * 10 + (d - '0');
    if (out >= kMaxRepeat) return false;
  }
  return true;
}

// A set member: a character, a range, or a class (d, w, s; negated for D, W, S).
struct SetItem {
  enum { Char, Span, Class } kind;
  uint32_t lo = 0, hi = 0;
  char cls = 0;
  bool negated = false;
};

class Parser {
 public:
  Parser(std::string_view pattern, unsigned flags, bool text) : src_(pattern, text), flags_(flags), text_(text) {}

  tl::expected<Translation, SyntaxError> run() {
    Alt top = parse_sub({bool(flags_ & kVerbose), bool(flags_ & kAscii)}, 0);
    if (src_.failed()) return tl::unexpected(src_.error());
    if (auto e = fix_flags()) return tl::unexpected(*e);
    if (!src_.peek().end()) {
      src_.fail("unbalanced parenthesis");
      return tl::unexpected(src_.error());
    }
    for (auto& [g, pos] : groupref_pos_)
      if (g >= groups()) return tl::unexpected(SyntaxError{SyntaxError::Re, "invalid group reference " + std::to_string(g), pos});
    if (lookbehind_error_) return tl::unexpected(SyntaxError{SyntaxError::Re, "look-behind requires fixed-width pattern", -1});
    Translation t;
    t.pcre = std::move(top.text);
    t.flags = flags_;
    t.groups = groups() - 1;
    for (auto& [name, gid] : names_) t.names.push_back({utf8_text(name), gid});
    t.parent = std::move(parent_);
    return t;
  }

 private:
  int groups() const { return int(group_widths_.size()); }
  bool closed(int64_t gid) const { return gid < groups() && group_widths_[gid].has_value(); }

  std::optional<SyntaxError> fix_flags() {
    auto value_error = [](const char* m) { return SyntaxError{SyntaxError::Value, m, -1}; };
    if (text_) {
      if (flags_ & kLocale) return value_error("cannot use LOCALE flag with a str pattern");
      if (!(flags_ & kAscii)) flags_ |= kUnicode;
      else if (flags_ & kUnicode) return value_error("ASCII and UNICODE flags are incompatible");
    } else {
      if (flags_ & kUnicode) return value_error("cannot use UNICODE flag with a bytes pattern");
      if ((flags_ & kLocale) && (flags_ & kAscii)) return value_error("ASCII and LOCALE flags are incompatible");
    }
    return std::nullopt;
  }

  int lookup(const std::vector<uint32_t>& name) const {
    for (auto& [n, gid] : names_)
      if (n == name) return gid;
    return -1;
  }

  bool check_group_name(const std::vector<uint32_t>& name, size_t offset) {
    if (str_is_identifier(utf8_text(name))) return true;
    src_.fail("bad character in group name " + text_repr(name), name.size() + offset);
    return false;
  }

  void check_lookbehind_group(int64_t gid) {
    if (lookbehind_groups_ < 0) return;
    if (!closed(gid)) src_.fail("cannot refer to an open group");
    else if (gid >= lookbehind_groups_) src_.fail("cannot refer to group defined in the same lookbehind subpattern");
  }

  Item group_ref(int gid) { return {"\\g{" + std::to_string(gid) + "}", Kind::Atom, *group_widths_[gid]}; }
  Item char_item(uint32_t c) { return {literal(c, text_), Kind::Atom, {1, 1}}; }

  // \d \w \s (negated: \D \W \S), inside a set or as an item of its own.
  std::string category(char cls, bool negated, bool in_set, bool ascii) {
    if (!text_ || (!ascii && cls != 's')) return std::string{'\\', char(negated ? cls - 'a' + 'A' : cls)};
    const Range* r;
    size_t n;
    if (!ascii) r = kUnicodeSpace, n = std::size(kUnicodeSpace);
    else if (cls == 's') r = kAsciiSpace, n = std::size(kAsciiSpace);
    else if (cls == 'd') r = kAsciiDigit, n = std::size(kAsciiDigit);
    else r = kAsciiWord, n = std::size(kAsciiWord);
    if (in_set) return ranges_text(r, n, negated, kMaxUnicode);
    return std::string(negated ? "[^" : "[") + ranges_text(r, n, false, kMaxUnicode) + "]";
  }

  std::string boundary(bool word, bool ascii) {
    if (!text_ || !ascii) return word ? "\\b" : "\\B";
    std::string w = kAsciiWordClass;
    if (word) return "(?:(?<=" + w + ")(?!" + w + ")|(?<!" + w + ")(?=" + w + "))";
    return "(?:(?<=" + w + ")(?=" + w + ")|(?<!" + w + ")(?!" + w + "))";
  }

  // \x \u \U \N escapes (the same in and out of sets); nullopt when e is not one of them.
  std::optional<uint32_t> code_escape(const Token& e) {
    std::string escape = token_text(e);
    int digits = e.ch == 'x' ? 2 : e.ch == 'u' ? 4 : e.ch == 'U' ? 8 : 0;
    if (digits == 0 && e.ch != 'N') return std::nullopt;
    if (e.ch != 'x' && !src_.text()) return std::nullopt;
    if (digits) {
      std::vector<uint32_t> hex = src_.getwhile(digits, is_hexdigit);
      escape += utf8_text(hex);
      if (int(hex.size()) != digits) {
        src_.fail("incomplete escape " + escape, escape.size());
        return 0;
      }
      uint32_t c = uint32_t(std::stoul(utf8_text(hex), nullptr, 16));
      if (c > kMaxUnicode) src_.fail("bad escape " + escape, escape.size());
      return c;
    }
    if (!src_.match('{')) {
      src_.fail("missing {");
      return 0;
    }
    std::vector<uint32_t> name;
    if (!src_.getuntil('}', "character name", name)) return 0;
    if (auto c = unicode_lookup(utf8_text(name))) return *c;
    src_.fail("undefined character name " + text_repr(name), name.size() + 4);
    return 0;
  }

  // An escape outside a set (CPython's _escape).
  Item escape(const Token& e, Mode mode) {
    switch (e.ch) {
      case 'A': return {"\\A", Kind::At, {}};
      case 'Z': return {"\\z", Kind::At, {}};
      case 'b': return {boundary(true, mode.ascii), Kind::At, {}};
      case 'B': return {boundary(false, mode.ascii), Kind::At, {}};
      case 'd': case 'w': case 's': return {category(char(e.ch), false, false, mode.ascii), Kind::Atom, {1, 1}};
      case 'D': case 'W': case 'S': return {category(char(e.ch - 'A' + 'a'), true, false, mode.ascii), Kind::Atom, {1, 1}};
      default: break;
    }
    if (auto c = simple_escape(e.ch)) return char_item(*c);
    if (auto c = code_escape(e)) return char_item(*c);
    std::string escape = token_text(e);
    if (e.ch == '0') {
      std::vector<uint32_t> oct = src_.getwhile(2, is_octdigit);
      return char_item(oct_value(oct));
    }
    if (is_digit(e.ch)) return numeric_escape(e);
    if (is_ascii_letter(e.ch)) src_.fail("bad escape " + escape, escape.size());
    return char_item(uint32_t(e.ch));
  }

  static uint32_t oct_value(const std::vector<uint32_t>& digits, uint32_t first = 0) {
    uint32_t v = first;
    for (uint32_t d : digits) v = v * 8 + (d - '0');
    return v;
  }

  // \1..\99 (a group reference) or \ooo (an octal escape).
  Item numeric_escape(const Token& e) {
    std::string escape = token_text(e);
    const Token& next = src_.peek();
    if (!next.escaped && is_digit(next.ch)) {
      Token second = src_.get();
      escape += char(second.ch);
      const Token& third = src_.peek();
      if (is_octdigit(e.ch) && is_octdigit(second.ch) && !third.escaped && is_octdigit(third.ch)) {
        escape += char(src_.get().ch);
        uint32_t c = oct_value({uint32_t(escape[1]), uint32_t(escape[2]), uint32_t(escape[3])});
        if (c > kMaxByte) src_.fail("octal escape value " + escape + " outside of range 0-0o377", escape.size());
        return char_item(c);
      }
    }
    int gid = std::stoi(escape.substr(1));
    if (gid < groups()) {
      if (!closed(gid)) {
        src_.fail("cannot refer to an open group", escape.size());
        return {"", Kind::Atom, {}};
      }
      check_lookbehind_group(gid);
      return group_ref(gid);
    }
    src_.fail("invalid group reference " + std::to_string(gid), escape.size() - 1);
    return {"", Kind::Atom, {}};
  }

  // An escape inside a set (CPython's _class_escape).
  SetItem class_escape(const Token& e) {
    if (auto c = simple_escape(e.ch)) return {SetItem::Char, *c, *c};
    switch (e.ch) {
      case 'd': case 'w': case 's': return {SetItem::Class, 0, 0, char(e.ch), false};
      case 'D': case 'W': case 'S': return {SetItem::Class, 0, 0, char(e.ch - 'A' + 'a'), true};
      default: break;
    }
    if (auto c = code_escape(e)) return {SetItem::Char, *c, *c};
    std::string escape = token_text(e);
    if (is_octdigit(e.ch)) {
      std::vector<uint32_t> oct = src_.getwhile(2, is_octdigit);
      escape += utf8_text(oct);
      uint32_t c = oct_value(oct, uint32_t(e.ch - '0'));
      if (c > kMaxByte) src_.fail("octal escape value " + escape + " outside of range 0-0o377", escape.size());
      return {SetItem::Char, c, c};
    }
    if (is_digit(e.ch) || is_ascii_letter(e.ch)) src_.fail("bad escape " + escape, escape.size());
    return {SetItem::Char, uint32_t(e.ch), uint32_t(e.ch)};
  }

  Item parse_set(Mode mode) {
    size_t here = src_.tell() - 1;
    bool negate = src_.match('^');
    std::vector<SetItem> set;
    for (;;) {
      Token t = src_.get();
      if (t.end()) {
        src_.fail_at("unterminated character set", int64_t(here));
        return {"", Kind::Atom, {}};
      }
      if (t.is(']') && !set.empty()) break;
      SetItem code1 = t.escaped ? class_escape(t) : SetItem{SetItem::Char, uint32_t(t.ch), uint32_t(t.ch)};
      if (!src_.match('-')) {
        set.push_back(code1);
        continue;
      }
      Token that = src_.get();
      if (that.end()) {
        src_.fail_at("unterminated character set", int64_t(here));
        return {"", Kind::Atom, {}};
      }
      if (that.is(']')) {
        set.push_back(code1);
        set.push_back({SetItem::Char, '-', '-'});
        break;
      }
      SetItem code2 = that.escaped ? class_escape(that) : SetItem{SetItem::Char, uint32_t(that.ch), uint32_t(that.ch)};
      if (code1.kind != SetItem::Char || code2.kind != SetItem::Char || code2.lo < code1.lo) {
        src_.fail("bad character range " + token_text(t) + "-" + token_text(that), t.size() + 1 + that.size());
        return {"", Kind::Atom, {}};
      }
      set.push_back({SetItem::Span, code1.lo, code2.lo});
    }
    if (set.size() == 1 && set[0].kind == SetItem::Char && !negate) return char_item(set[0].lo);
    std::string out = negate ? "[^" : "[";
    for (const SetItem& s : set) {
      if (s.kind == SetItem::Class) out += category(s.cls, s.negated, true, mode.ascii);
      else if (s.kind == SetItem::Char) out += literal(s.lo, text_);
      else out += literal(s.lo, text_) + "-" + literal(s.hi, text_);
    }
    return {out + "]", Kind::Atom, {1, 1}};
  }

  // A quantifier after `this`; false when it turned out to be a literal '{'.
  bool parse_repeat(const Token& this_, Seq& seq) {
    size_t here = src_.tell();
    uint64_t min = 0, max = kMaxRepeat;
    if (this_.is('?')) max = 1;
    else if (this_.is('+')) min = 1;
    else if (this_.is('{')) {
      if (src_.peek().is('}')) return false;
      std::vector<uint32_t> lo, hi;
      auto digit = [&] { return !src_.peek().escaped && is_digit(src_.peek().ch); };
      while (digit()) lo.push_back(uint32_t(src_.get().ch));
      if (src_.match(',')) {
        while (digit()) hi.push_back(uint32_t(src_.get().ch));
      } else {
        hi = lo;
      }
      if (!src_.match('}')) {
        src_.seek(here);
        return false;
      }
      if ((!lo.empty() && !parse_number(lo, min)) || (!hi.empty() && !parse_number(hi, max))) {
        src_.fail_at("the repetition number is too large", -1, SyntaxError::Overflow);
        return true;
      }
      if (max < min) {
        src_.fail_at("min repeat greater than max repeat", int64_t(here));
        return true;
      }
    }
    size_t back = src_.tell() - here + this_.size();
    if (seq.items.empty() || seq.items.back().kind == Kind::At) {
      src_.fail("nothing to repeat", back);
      return true;
    }
    if (seq.items.back().kind == Kind::Repeat) {
      src_.fail("multiple repeat", back);
      return true;
    }
    Item& item = seq.items.back();
    std::string mode = src_.match('?') ? "?" : src_.match('+') ? "+" : "";
    item.text = quantified(item.text, min, max, mode);
    item.kind = Kind::Repeat;
    item.width = {std::min(item.width.lo * min, kMaxRepeat - 1), std::min(item.width.hi * max, kMaxRepeat)};
    return true;
  }

  enum class FlagsKind { Global, Scoped, Failed };

  FlagsKind parse_flags(Token c, unsigned& add, unsigned& del) {
    auto bad = [&](const Token& t, const char* other) {
      src_.fail(!t.escaped && uni_isalpha(uint32_t(t.ch)) ? "unknown flag" : other, t.size());
      return FlagsKind::Failed;
    };
    if (!c.is('-')) {
      for (;;) {
        unsigned flag = flag_of(c.ch);
        if (text_ && c.ch == 'L') src_.fail("bad inline flags: cannot use 'L' flag with a str pattern");
        if (!text_ && c.ch == 'u') src_.fail("bad inline flags: cannot use 'u' flag with a bytes pattern");
        add |= flag;
        if ((flag & kTypeFlags) && (add & kTypeFlags) != flag)
          src_.fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
        c = src_.get();
        if (c.end()) {
          src_.fail("missing -, : or )");
          return FlagsKind::Failed;
        }
        if (c.is(')') || c.is('-') || c.is(':')) break;
        if (!is_flag_char(c)) return bad(c, "missing -, : or )");
      }
    }
    if (c.is(')')) {
      flags_ |= add;
      return FlagsKind::Global;
    }
    if (add & kGlobalFlags) {
      src_.fail("bad inline flags: cannot turn on global flag", 1);
      return FlagsKind::Failed;
    }
    if (c.is('-')) {
      c = src_.get();
      if (c.end()) {
        src_.fail("missing flag");
        return FlagsKind::Failed;
      }
      if (!is_flag_char(c)) return bad(c, "missing flag");
      for (;;) {
        unsigned flag = flag_of(c.ch);
        if (flag & kTypeFlags) {
          src_.fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
          return FlagsKind::Failed;
        }
        del |= flag;
        c = src_.get();
        if (c.end()) {
          src_.fail("missing :");
          return FlagsKind::Failed;
        }
        if (c.is(':')) break;
        if (!is_flag_char(c)) return bad(c, "missing :");
      }
    }
    if (del & kGlobalFlags) src_.fail("bad inline flags: cannot turn off global flag", 1);
    else if (add & del) src_.fail("bad inline flags: flag turned on and off", 1);
    return src_.failed() ? FlagsKind::Failed : FlagsKind::Scoped;
  }

  void missing_paren(size_t start) { src_.fail("missing ), unterminated subpattern", src_.tell() - start); }

  // A lookahead or lookbehind, after "(?" and `c` (one of = ! <).
  void parse_assertion(Token c, size_t start, Mode mode, int nested, Seq& seq) {
    bool behind = c.is('<');
    if (behind) {
      c = src_.get();
      if (c.end()) return src_.fail("unexpected end of pattern");
      if (!c.is('=') && !c.is('!')) return src_.fail("unknown extension ?<" + token_text(c), c.size() + 2);
    }
    int saved = lookbehind_groups_;
    if (behind && saved < 0) lookbehind_groups_ = groups();
    Alt p = parse_sub(mode, nested + 1);
    lookbehind_groups_ = saved;
    if (!src_.match(')')) return missing_paren(start);
    if (behind && p.width.lo != p.width.hi) lookbehind_error_ = true;
    std::string open = std::string(behind ? "(?<" : "(?") + (c.is('=') ? "=" : "!");
    seq.items.push_back({open + p.text + ")", Kind::Atom, {}});
  }

  // (?(group)yes|no), after "(?(".
  void parse_conditional(size_t start, Mode mode, int nested, Seq& seq) {
    std::vector<uint32_t> name;
    if (!src_.getuntil(')', "group name", name)) return;
    int64_t gid = -1;
    if (str_is_identifier(utf8_text(name))) {
      gid = lookup(name);
      if (gid < 0) return src_.fail("unknown group name " + text_repr(name), name.size() + 1);
    } else {
      bool digits = std::all_of(name.begin(), name.end(), [](uint32_t d) { return is_digit(d); });
      uint64_t n = 0;
      if (!digits || !parse_number(name, n)) return src_.fail("bad character in group name " + text_repr(name), name.size() + 1);
      if (n == 0) return src_.fail("bad group number", name.size() + 1);
      if (n >= kMaxGroups) return src_.fail("invalid group reference " + std::to_string(n), name.size() + 1);
      gid = int64_t(n);
      bool seen = std::any_of(groupref_pos_.begin(), groupref_pos_.end(), [&](auto& g) { return g.first == gid; });
      if (!seen) groupref_pos_.push_back({gid, int64_t(src_.tell() - name.size() - 1)});
    }
    check_lookbehind_group(gid);
    Seq yes = parse(mode, nested + 1, false);
    std::optional<Seq> no;
    if (src_.match('|')) {
      no = parse(mode, nested + 1, false);
      if (src_.peek().is('|')) return src_.fail("conditional backref with more than two branches");
    }
    if (!src_.match(')')) return missing_paren(start);
    Width w = yes.width();
    if (no) w = {std::min(w.lo, no->width().lo), std::max(w.hi, no->width().hi)};
    else w.lo = 0;
    std::string text = "(?(" + std::to_string(gid) + ")" + yes.text();
    if (no) text += "|" + no->text();
    seq.items.push_back({text + ")", Kind::Atom, w});
  }

  // What follows "(": a group, or one of the (?...) extensions.
  void parse_paren(Mode mode, int nested, bool first, Seq& seq) {
    size_t start = src_.tell() - 1;
    bool capture = true, atomic = false;
    std::vector<uint32_t> name;
    bool named = false;
    unsigned add = 0, del = 0;
    if (src_.match('?')) {
      Token c = src_.get();
      if (c.end()) return src_.fail("unexpected end of pattern");
      if (c.is('P')) {
        if (src_.match('<')) {
          if (!src_.getuntil('>', "group name", name) || !check_group_name(name, 1)) return;
          named = true;
        } else if (src_.match('=')) {
          if (!src_.getuntil(')', "group name", name) || !check_group_name(name, 1)) return;
          int gid = lookup(name);
          if (gid < 0) return src_.fail("unknown group name " + text_repr(name), name.size() + 1);
          if (!closed(gid)) return src_.fail("cannot refer to an open group", name.size() + 1);
          check_lookbehind_group(gid);
          seq.items.push_back(group_ref(gid));
          return;
        } else {
          Token d = src_.get();
          if (d.end()) return src_.fail("unexpected end of pattern");
          return src_.fail("unknown extension ?P" + token_text(d), d.size() + 2);
        }
      } else if (c.is(':')) {
        capture = false;
      } else if (c.is('#')) {
        for (;;) {
          if (src_.peek().end()) return src_.fail("missing ), unterminated comment", src_.tell() - start);
          if (src_.get().is(')')) return;
        }
      } else if (c.is('=') || c.is('!') || c.is('<')) {
        return parse_assertion(c, start, mode, nested, seq);
      } else if (c.is('(')) {
        return parse_conditional(start, mode, nested, seq);
      } else if (c.is('>')) {
        capture = false;
        atomic = true;
      } else if (is_flag_char(c) || c.is('-')) {
        FlagsKind k = parse_flags(c, add, del);
        if (k == FlagsKind::Failed) return;
        if (k == FlagsKind::Global) {
          if (!first || !seq.items.empty())
            return src_.fail("global flags not at the start of the expression", src_.tell() - start);
          return;
        }
        capture = false;
      } else {
        return src_.fail("unknown extension ?" + token_text(c), c.size() + 1);
      }
    }
    int gid = 0;
    if (capture && !open_group(named ? &name : nullptr, gid)) return;
    Mode sub = mode;
    sub.verbose = (mode.verbose || (add & kVerbose)) && !(del & kVerbose);
    if (add & kAscii) sub.ascii = true;
    if (add & (kUnicode | kLocale)) sub.ascii = false;
    if (capture) open_.push_back(gid);
    Alt p = parse_sub(sub, nested + 1);
    if (capture) open_.pop_back();
    if (!src_.match(')')) return missing_paren(start);
    std::string open = "(?:";
    if (capture) {
      group_widths_[gid] = p.width;
      open = "(";
    } else if (atomic) {
      open = "(?>";
    } else if (add || del) {
      std::string on = pcre_letters(add), off = pcre_letters(del);
      open = "(?" + on + (off.empty() ? "" : "-" + off) + ":";
    }
    seq.items.push_back({open + p.text + ")", Kind::Atom, p.width});
  }

  bool open_group(const std::vector<uint32_t>* name, int& gid) {
    gid = groups();
    if (name) {
      int old = lookup(*name);
      if (old >= 0) {
        src_.fail("redefinition of group name " + text_repr(*name) + " as group " + std::to_string(gid) +
                      "; was group " + std::to_string(old),
                  name->size() + 1);
        return false;
      }
      names_.push_back({*name, gid});
    }
    group_widths_.emplace_back();
    parent_.push_back(open_.empty() ? 0 : open_.back());
    return true;
  }

  // One alternative (CPython's _parse).
  Seq parse(Mode mode, int nested, bool first) {
    Seq seq;
    for (;;) {
      const Token& next = src_.peek();
      if (next.end() || next.is('|') || next.is(')')) break;
      Token t = src_.get();
      if (mode.verbose && !t.escaped) {
        if (one_of(" \t\n\r\v\f", t.ch)) continue;
        if (t.ch == '#') {
          for (Token c = src_.get(); !c.end() && !c.is('\n'); c = src_.get()) {
          }
          continue;
        }
      }
      if (t.escaped) {
        seq.items.push_back(escape(t, mode));
      } else if (!one_of(".[{()*+?^$|", t.ch)) {
        seq.items.push_back(char_item(uint32_t(t.ch)));
      } else if (t.ch == '[') {
        seq.items.push_back(parse_set(mode));
      } else if (t.ch == '*' || t.ch == '+' || t.ch == '?' || t.ch == '{') {
        if (!parse_repeat(t, seq)) seq.items.push_back(char_item('{'));
      } else if (t.ch == '.') {
        seq.items.push_back({".", Kind::Atom, {1, 1}});
      } else if (t.ch == '(') {
        unsigned before = flags_;
        parse_paren(mode, nested, first, seq);
        if (flags_ != before) mode = {bool(flags_ & kVerbose), mode.ascii || bool(flags_ & kAscii)};
      } else if (t.ch == '^') {
        seq.items.push_back({"^", Kind::At, {}});
      } else {
        seq.items.push_back({"$", Kind::At, {}});
      }
      if (src_.failed()) break;
    }
    return seq;
  }

  // An alternation (CPython's _parse_sub).
  Alt parse_sub(Mode mode, int nested) {
    Alt alt;
    bool any = false;
    for (;;) {
      Seq s = parse(mode, nested + 1, nested == 0 && !any);
      Width w = s.width();
      alt.width = any ? Width{std::min(alt.width.lo, w.lo), std::max(alt.width.hi, w.hi)} : w;
      alt.text += (any ? "|" : "") + s.text();
      any = true;
      if (!src_.match('|')) break;
      if (nested == 0) mode = {bool(flags_ & kVerbose), mode.ascii || bool(flags_ & kAscii)};
    }
    return alt;
  }

  Tokenizer src_;
  unsigned flags_;
  bool text_;
  std::vector<std::optional<Width>> group_widths_{std::nullopt};  // open groups have none
  std::vector<std::pair<std::vector<uint32_t>, int>> names_;
  std::vector<int> parent_{0};
  std::vector<int> open_;       // capturing groups being parsed, innermost last
  int lookbehind_groups_ = -1;  // inside a lookbehind: the groups that existed before it
  std::vector<std::pair<int64_t, int64_t>> groupref_pos_;  // conditional references: group, position
  bool lookbehind_error_ = false;
};

}  // namespace

tl::expected<Translation, SyntaxError> translate(std::string_view pattern, unsigned flags, bool text) {
  return Parser(pattern, flags, text).run();
}

}  // namespace aio::re
