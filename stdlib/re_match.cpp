// re.Match: the groups of one match, kept as byte spans (for slicing) and character spans.
#include <algorithm>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "interp/utf8.h"
#include "stdlib/native_args.h"
#include "stdlib/re_objects.h"

namespace aio {

Type* re_match_type = nullptr;

namespace {

constexpr size_t kReprMatchChars = 50;  // CPython's %.50R for the matched text

size_t continuation_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += is_utf8_continuation(c);
  return n;
}

// The bytes of s's first n characters.
size_t prefix_bytes(std::string_view s, size_t n) {
  size_t i = 0;
  for (; n > 0 && i < s.size(); --n) decode_utf8(s, i);
  return i;
}

}  // namespace

int64_t Offsets::chars(size_t byte) {
  if (identity_) return int64_t(byte);
  if (byte >= byte_) {
    std::string_view gap = s_.substr(byte_, byte - byte_);
    char_ += int64_t(gap.size() - continuation_count(gap));
  } else {
    std::string_view gap = s_.substr(byte, byte_ - byte);
    char_ -= int64_t(gap.size() - continuation_count(gap));
  }
  byte_ = byte;
  return char_;
}

size_t Offsets::bytes(int64_t chars) {
  if (identity_) return size_t(chars);
  if (chars < char_) byte_ = 0, char_ = 0;
  while (char_ < chars && byte_ < s_.size()) {
    ++byte_;
    while (byte_ < s_.size() && is_utf8_continuation(s_[byte_])) ++byte_;
    ++char_;
  }
  return byte_;
}

std::string_view Subject::view() const { return text ? std::string_view(str_of(data)) : std::string_view(bytes_of(data)); }
int64_t Subject::length() const { return text ? int64_t(as<StrObj>(data)->length) : int64_t(bytes_of(data).size()); }
Offsets Subject::offsets() const { return Offsets(view(), !text || as<StrObj>(data)->ascii); }

PatternObj::~PatternObj() {
  pcre2_match_data_free(spans);
  pcre2_code_free(code);
}

namespace {

// Group `g` (a set group other than 0) is inside group `outer`.
bool nested_in(const PatternObj* p, int g, int outer) {
  for (int at = p->syntax.parent[g]; at != 0; at = p->syntax.parent[at])
    if (at == outer) return true;
  return false;
}

// The group that closed last (CPython's lastindex): of the groups ending furthest, the last in
// the pattern that is not inside another of them (an enclosing group closes after its contents).
int last_closed(const PatternObj* p, const std::vector<int64_t>& bytes) {
  int groups = p->syntax.groups;
  int64_t end = -1;
  for (int g = 1; g <= groups; g++) end = std::max(end, bytes[2 * g + 1]);
  if (end < 0) return -1;
  int best = -1;
  for (int g = 1; g <= groups; g++) {
    if (bytes[2 * g] < 0 || bytes[2 * g + 1] != end) continue;
    bool inner = false;
    for (int h = 1; h <= groups && !inner; h++)
      inner = h != g && bytes[2 * h] >= 0 && bytes[2 * h + 1] == end && nested_in(p, g, h);
    if (!inner) best = g;
  }
  return best;
}

MatchObj* self_match(const Args& a) { return as<MatchObj>(a[0]); }

// The group number an argument names (an int or a group name); false after IndexError.
bool group_number(const MatchObj* m, const Value& g, size_t& out) {
  const PatternObj* p = m->re();
  if (is_str(g)) {
    for (auto& [name, gid] : p->syntax.names)
      if (name == str_of(g)) return out = size_t(gid), true;
  } else {
    int64_t i;
    if (index_of(g, i)) {
      if (i >= 0 && i <= p->syntax.groups) return out = size_t(i), true;
    } else {
      take_exception();  // not an index: CPython reports it as a missing group too
    }
  }
  raise(exc.IndexError, "no such group");
  return false;
}

Value slice_of(const MatchObj* m, int64_t b, int64_t e) {
  std::string_view whole = m->re()->text ? std::string_view(str_of(m->data)) : std::string_view(bytes_of(m->data));
  std::string_view part = whole.substr(size_t(b), size_t(e - b));
  return m->re()->text ? new_str(part) : new_bytes(std::string(part));
}

Value match_group_m(const Args& a) {
  MatchObj* m = self_match(a);
  if (!no_kwargs(a, "group")) return Value::raised();
  if (a.npos <= 2) {
    size_t g = 0;
    if (a.npos == 2 && !group_number(m, a[1], g)) return Value::raised();
    return match_group(m, g, Value());
  }
  std::vector<Value> out;
  for (size_t i = 1; i < a.npos; i++) {
    size_t g;
    if (!group_number(m, a[i], g)) return Value::raised();
    out.push_back(match_group(m, g, Value()));
  }
  return new_tuple(std::move(out));
}

Value match_getitem(const Args& a) {
  size_t g;
  if (!group_number(self_match(a), a[1], g)) return Value::raised();
  return match_group(self_match(a), g, Value());
}

Value match_groups(const Args& a) {
  if (!at_most(a, "groups", 1)) return Value::raised();
  const Value* dflt = arg_or_kw(a, 1, "default");
  MatchObj* m = self_match(a);
  std::vector<Value> out;
  for (int g = 1; g <= m->re()->syntax.groups; g++) out.push_back(match_group(m, size_t(g), dflt ? *dflt : Value()));
  return new_tuple(std::move(out));
}

Value match_groupdict(const Args& a) {
  if (!at_most(a, "groupdict", 1)) return Value::raised();
  const Value* dflt = arg_or_kw(a, 1, "default");
  MatchObj* m = self_match(a);
  Value d = new_dict();
  for (auto& [name, gid] : m->re()->syntax.names)
    if (!dict_set(as_dict(d), new_str(name), match_group(m, size_t(gid), dflt ? *dflt : Value()))) return Value::raised();
  return d;
}

// start/end/span: the group from the optional argument.
bool span_group(const Args& a, const char* fname, size_t& g) {
  Args group_args{a.pos + 1, a.npos - 1, a.kwvals, a.kwnames};  // counted without self
  if (!check_args(group_args, fname, 0, 1)) return false;
  g = 0;
  return a.npos < 2 || group_number(self_match(a), a[1], g);
}

Value match_start(const Args& a) {
  size_t g;
  return span_group(a, "start", g) ? Value::integer(self_match(a)->chars[2 * g]) : Value::raised();
}

Value match_end(const Args& a) {
  size_t g;
  return span_group(a, "end", g) ? Value::integer(self_match(a)->chars[2 * g + 1]) : Value::raised();
}

Value span_tuple(const MatchObj* m, size_t g) {
  return new_tuple({Value::integer(m->chars[2 * g]), Value::integer(m->chars[2 * g + 1])});
}

Value match_span(const Args& a) {
  size_t g;
  return span_group(a, "span", g) ? span_tuple(self_match(a), g) : Value::raised();
}

Value match_expand(const Args& a) {
  if (!at_most(a, "expand", 1) || !required_arg(a, 1, "expand", "template")) return Value::raised();
  MatchObj* m = self_match(a);
  bool text = m->re()->text;
  if (text ? !is_str(a[1]) : !is_bytes(a[1]))
    return raise(exc.TypeError, std::string("sequence item 0: expected ") + (text ? "str instance, " : "a bytes-like object, ") +
                                    type_name(a[1]) + " found");
  auto pieces = re::parse_template(text ? str_of(a[1]) : bytes_of(a[1]), text, m->re()->syntax);
  if (!pieces) return raise_re_error(pieces.error(), a[1]);
  std::string out;
  expand_into(m, *pieces, out);
  if (text) return new_str(std::move(out));
  // CPython joins with string[:0], so a bytearray subject gives a bytearray
  return is_bytearray(m->string) ? new_bytearray(std::move(out)) : new_bytes(std::move(out));
}

Value match_repr(const Args& a) {
  MatchObj* m = self_match(a);
  std::string text;
  if (!repr_string(match_group(m, 0, Value()), text)) return Value::raised();
  text.resize(prefix_bytes(text, kReprMatchChars));
  return new_str("<re.Match object; span=(" + std::to_string(m->chars[0]) + ", " + std::to_string(m->chars[1]) +
                 "), match=" + text + ">");
}

Value match_self(const Args& a) { return a[0]; }

Value get_string(const Value& self) { return as<MatchObj>(self)->string; }
Value get_re(const Value& self) { return as<MatchObj>(self)->pattern; }
Value get_pos(const Value& self) { return Value::integer(as<MatchObj>(self)->pos); }
Value get_endpos(const Value& self) { return Value::integer(as<MatchObj>(self)->endpos); }

Value get_lastindex(const Value& self) {
  int g = as<MatchObj>(self)->lastindex;
  return g < 0 ? Value() : Value::integer(g);
}

Value get_lastgroup(const Value& self) {
  const MatchObj* m = as<MatchObj>(self);
  for (auto& [name, gid] : m->re()->syntax.names)
    if (gid == m->lastindex) return new_str(name);
  return Value();
}

Value get_regs(const Value& self) {
  const MatchObj* m = as<MatchObj>(self);
  std::vector<Value> out;
  for (size_t g = 0; g * 2 < m->chars.size(); g++) out.push_back(span_tuple(m, g));
  return new_tuple(std::move(out));
}

}  // namespace

bool at_most(const Args& a, const char* fname, size_t max) {
  size_t given = a.npos - 1;
  if (given <= max) return true;
  raise(exc.TypeError, std::string(fname) + "() takes at most " + std::to_string(max) + " argument" + (max == 1 ? "" : "s") +
                           " (" + std::to_string(given) + " given)");
  return false;
}

Value match_group(const MatchObj* m, size_t g, const Value& dflt) {
  int64_t b = m->bytes[2 * g], e = m->bytes[2 * g + 1];
  return b < 0 ? dflt : slice_of(m, b, e);
}

void expand_into(const MatchObj* m, const std::vector<re::TemplatePiece>& pieces, std::string& out) {
  std::string_view whole = m->re()->text ? std::string_view(str_of(m->data)) : std::string_view(bytes_of(m->data));
  for (const re::TemplatePiece& piece : pieces) {
    if (piece.group < 0) {
      out += piece.literal;
      continue;
    }
    int64_t b = m->bytes[2 * size_t(piece.group)], e = m->bytes[2 * size_t(piece.group) + 1];
    if (b >= 0) out += whole.substr(size_t(b), size_t(e - b));  // an unmatched group adds nothing
  }
}

Value new_match(const Value& pattern, const Subject& s, Offsets& off, int64_t pos, int64_t endpos) {
  PatternObj* p = as<PatternObj>(pattern);
  auto* m = new MatchObj(re_match_type);
  Value result = Value::adopt(m);
  m->pattern = pattern;
  m->string = s.given;
  m->data = s.data;
  m->pos = pos;
  m->endpos = endpos;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(p->spans);
  size_t n = 2 * size_t(p->syntax.groups + 1);
  m->bytes.resize(n);
  m->chars.resize(n);
  for (size_t i = 0; i < n; i += 2) {
    bool unset = ov[i] == PCRE2_UNSET;
    m->bytes[i] = unset ? -1 : int64_t(ov[i]);
    m->bytes[i + 1] = unset ? -1 : int64_t(ov[i + 1]);
  }
  for (size_t i = 0; i < n; i++) m->chars[i] = m->bytes[i] < 0 ? -1 : off.chars(size_t(m->bytes[i]));
  m->lastindex = last_closed(p, m->bytes);
  return result;
}

void init_re_match_type() {
  Type* t = re_match_type = new Type("re.Match", types.object);  // CPython's tp_name
  t->module = "re";
  add_attr(t, "__qualname__", new_str("Match"));
  struct Entry {
    const char* name;
    NativeFn fn;
  };
  static const Entry methods[] = {
      {"group", match_group_m}, {"__getitem__", match_getitem}, {"groups", match_groups},
      {"groupdict", match_groupdict}, {"start", match_start}, {"end", match_end},
      {"span", match_span}, {"expand", match_expand}, {"__repr__", match_repr},
      {"__copy__", match_self}, {"__deepcopy__", match_self},
  };
  for (const Entry& e : methods) add_method(t, e.name, e.fn);
  add_getset(t, "string", get_string);
  add_getset(t, "re", get_re);
  add_getset(t, "pos", get_pos);
  add_getset(t, "endpos", get_endpos);
  add_getset(t, "lastindex", get_lastindex);
  add_getset(t, "lastgroup", get_lastgroup);
  add_getset(t, "regs", get_regs);
}

}  // namespace aio
