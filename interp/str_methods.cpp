// str's methods and dunders, registered on types.str by init_str_type().
#include <algorithm>

#include "interp/ast.h"  // int.h names BinOpKind without including it
#include "interp/bytes.h"
#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/format_spec.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/tuple.h"
#include "interp/unicode.h"

namespace aio {
namespace {

constexpr int64_t kDefaultTabSize = 8;

// ---- argument helpers (a.pos[0] is self throughout) ----

StrObj* self_of(const Args& a) { return as<StrObj>(a[0]); }
const std::string& text_of(const Args& a) { return self_of(a)->s; }

Args tail(const Args& a) {
  Args t = a;
  ++t.pos;
  --t.npos;
  return t;
}

// Counts exclude self, as CPython's messages do.
bool arity(const Args& a, const char* name, size_t min, size_t max) {
  return check_args(tail(a), name, min, max);
}

bool positional(const Args& a, const char* name, size_t min, size_t max) {
  return no_kwargs(a, ("str." + std::string(name)).c_str()) && arity(a, name, min, max);
}

bool no_args(const Args& a, const char* name) {
  if (a.npos == 1 && a.nkw() == 0) return true;
  raise(exc.TypeError, "str." + std::string(name) + "() takes no arguments (" +
                           std::to_string(a.npos - 1 + a.nkw()) + " given)");
  return false;
}

// A str argument, or TypeError "<prefix>must be str, not int".
const StrObj* str_arg(const Value& v, const std::string& prefix = "") {
  if (is_str(v)) return as<StrObj>(v);
  raise(exc.TypeError, prefix + "must be str, not " + type_name(v));
  return nullptr;
}

bool int_arg(const Value* v, int64_t fallback, int64_t& out) {
  if (!v) { out = fallback; return true; }
  return index_of(*v, out);
}

Value make_str_list(std::vector<Value>&& items) { return new_list(std::move(items)); }

Value str_value(const std::string& s, const Args& a) {
  // Returns self unchanged when the result is the same text (CPython does too, for exact str).
  if (s == text_of(a) && is_exact(a[0], types.str)) return a[0];
  return new_str(std::string(s));
}

size_t cp_index(const StrObj* s, size_t byte_pos) {
  return s->ascii ? byte_pos : utf8_length(std::string_view(s->s).substr(0, byte_pos));
}

// The byte before position i starts a code point; returns it and moves i there.
uint32_t decode_before(std::string_view s, size_t& i) {
  do --i;
  while (i > 0 && (s[i] & 0xC0) == 0x80);
  size_t j = i;
  return decode_utf8(s, j);
}

// ---- start/end arguments of find, count, startswith ... ----

struct Span {
  size_t lo, hi;     // byte offsets
  size_t cp_lo;      // lo in code points, to turn byte results back into indices
  bool empty_range;  // start beyond end: nothing can match, not even ''
};

bool span_of(const StrObj* s, const Args& a, size_t first, Span& out) {
  int64_t len = int64_t(s->length), start, end;
  if (!slice_index(first < a.npos ? &a[first] : nullptr, len, 0, start)) return false;
  if (!slice_index(first + 1 < a.npos ? &a[first + 1] : nullptr, len, len, end)) return false;
  end = std::min(end, len);
  out.empty_range = start > end;
  if (out.empty_range) start = end;
  out.cp_lo = size_t(start);
  out.lo = utf8_offset(s, size_t(start));
  out.hi = utf8_offset(s, size_t(end));
  return true;
}

// ---- construction and dunders ----

Value str_new(const Args& a) {
  Args args = tail(a);
  for (size_t i = 0; i < args.nkw(); ++i) {
    const std::string& k = str_of((*a.kwnames)[i]);
    if (k != "object" && k != "encoding" && k != "errors")
      return raise(exc.TypeError, "'" + k + "' is an invalid keyword argument for str()");
  }
  if (args.npos + args.nkw() > 3)
    return raise(exc.TypeError, "str() takes at most 3 arguments (" +
                                    std::to_string(args.npos + args.nkw()) + " given)");
  const Value* obj = arg_or_kw(a, 1, "object");
  const Value* encoding = arg_or_kw(a, 2, "encoding");
  const Value* errors = arg_or_kw(a, 3, "errors");
  Value result;
  if (!obj) {
    result = new_str(std::string());
  } else if (encoding || errors) {
    if (!is_byteslike(*obj))
      return raise(exc.TypeError, "decoding to str: need a bytes-like object, " + type_name(*obj) + " found");
    if (encoding && !str_arg(*encoding, "str() argument 'encoding' ")) return Value::raised();
    if (errors && !str_arg(*errors, "str() argument 'errors' ")) return Value::raised();
    result = bytes_decode(bytes_of(*obj), encoding ? str_of(*encoding) : "utf-8",
                          errors ? str_of(*errors) : "strict");
  } else {
    result = to_str(*obj);
  }
  Type* cls = as<Type>(a[0]);
  if (result.is_raised() || cls == types.str) return result;
  // A subclass instance: same text, the subclass's type.
  std::string text = str_of(result);
  if (!cls->is_native) return Value::adopt(new WithDict<StrObj>(cls, std::move(text)));
  auto* sub = new StrObj(std::move(text));
  sub->type = cls;
  return Value::adopt(sub);
}

Value str_repr_m(const Args& a) {
  if (!no_args(a, "__repr__")) return Value::raised();
  return new_str(str_repr(text_of(a)));
}

Value str_str_m(const Args& a) {
  if (!no_args(a, "__str__")) return Value::raised();
  return str_value(text_of(a), a);
}

Value str_hash_m(const Args& a) {
  if (!no_args(a, "__hash__")) return Value::raised();
  return Value::integer(str_hash(self_of(a)));
}

Value str_len_m(const Args& a) {
  if (!no_args(a, "__len__")) return Value::raised();
  return Value::integer(int64_t(self_of(a)->length));
}

template <bool (*Test)(int)>
Value compare_m(const Args& a) {
  if (!positional(a, "__cmp__", 1, 1)) return Value::raised();
  if (!is_str(a[1])) return not_implemented();
  return Value::boolean(Test(str_compare(self_of(a), as<StrObj>(a[1]))));
}
bool test_lt(int c) { return c < 0; }
bool test_le(int c) { return c <= 0; }
bool test_gt(int c) { return c > 0; }
bool test_ge(int c) { return c >= 0; }

Value str_eq_m(const Args& a) {
  if (!positional(a, "__eq__", 1, 1)) return Value::raised();
  if (!is_str(a[1])) return not_implemented();
  return Value::boolean(str_eq(self_of(a), as<StrObj>(a[1])));
}

Value str_ne_m(const Args& a) {
  if (!positional(a, "__ne__", 1, 1)) return Value::raised();
  if (!is_str(a[1])) return not_implemented();
  return Value::boolean(!str_eq(self_of(a), as<StrObj>(a[1])));
}

Value str_getitem_m(const Args& a) {
  if (!positional(a, "__getitem__", 1, 1)) return Value::raised();
  return str_getitem(self_of(a), a[1]);
}

Value str_contains_m(const Args& a) {
  if (!positional(a, "__contains__", 1, 1)) return Value::raised();
  if (!is_str(a[1]))
    return raise(exc.TypeError, "'in <string>' requires string as left operand, not " + type_name(a[1]));
  return Value::boolean(str_contains(self_of(a), as<StrObj>(a[1])));
}

Value str_iter_m(const Args& a) {
  if (!no_args(a, "__iter__")) return Value::raised();
  return str_iter(a[0]);
}

Value str_add_m(const Args& a) {
  if (!positional(a, "__add__", 1, 1)) return Value::raised();
  if (!is_str(a[1])) return not_implemented();
  return str_concat(self_of(a), as<StrObj>(a[1]));
}

Value str_mul_m(const Args& a) {
  if (!positional(a, "__mul__", 1, 1)) return Value::raised();
  static Value index_name = intern("__index__");
  if (!is_intlike(a[1]) && !(a[1].is_obj() && type_lookup(type_of(a[1]), index_name)))
    return not_implemented();
  int64_t n;
  if (!index_of(a[1], n)) return Value::raised();
  return str_repeat(self_of(a), n);
}

Value str_mod_m(const Args& a) {
  if (!positional(a, "__mod__", 1, 1)) return Value::raised();
  return str_mod(a[0], a[1]);
}

Value str_format_spec_m(const Args& a) {
  if (!positional(a, "__format__", 1, 1)) return Value::raised();
  const StrObj* spec = str_arg(a[1], "format() argument 2 ");
  if (!spec) return Value::raised();
  auto r = format_str(text_of(a), spec->s);
  if (!r) return raise_num(r.error());
  return new_str(std::move(*r));
}

// ---- searching ----

enum class Dir { Forward, Backward };

// Byte position of sub within span, or npos.
size_t search(const StrObj* s, const StrObj* sub, const Span& sp, Dir dir) {
  if (sp.empty_range || sp.hi - sp.lo < sub->s.size()) return std::string::npos;
  std::string_view hay = std::string_view(s->s).substr(sp.lo, sp.hi - sp.lo);
  size_t p = dir == Dir::Forward ? hay.find(sub->s) : hay.rfind(sub->s);
  return p == std::string_view::npos ? p : p + sp.lo;
}

template <Dir D, bool Raise>
Value find_m(const Args& a) {
  const char* name = D == Dir::Forward ? (Raise ? "index" : "find") : (Raise ? "rindex" : "rfind");
  if (!positional(a, name, 1, 3)) return Value::raised();
  const StrObj* sub = str_arg(a[1]);
  Span sp;
  if (!sub || !span_of(self_of(a), a, 2, sp)) return Value::raised();
  size_t p = search(self_of(a), sub, sp, D);
  if (p == std::string::npos) {
    if (Raise) return raise(exc.ValueError, "substring not found");
    return Value::integer(-1);
  }
  return Value::integer(int64_t(cp_index(self_of(a), p)));
}

Value count_m(const Args& a) {
  if (!positional(a, "count", 1, 3)) return Value::raised();
  const StrObj* sub = str_arg(a[1]);
  Span sp;
  if (!sub || !span_of(self_of(a), a, 2, sp)) return Value::raised();
  if (sp.empty_range) return Value::integer(0);
  if (sub->s.empty()) {
    std::string_view part = std::string_view(text_of(a)).substr(sp.lo, sp.hi - sp.lo);
    return Value::integer(int64_t(utf8_length(part)) + 1);
  }
  int64_t n = 0;
  for (size_t p = sp.lo; (p = text_of(a).find(sub->s, p)) != std::string::npos && p + sub->s.size() <= sp.hi;
       p += sub->s.size())
    ++n;
  return Value::integer(n);
}

template <bool End>
Value affix_m(const Args& a) {
  const char* name = End ? "endswith" : "startswith";
  if (!positional(a, name, 1, 3)) return Value::raised();
  Span sp;
  if (!span_of(self_of(a), a, 2, sp)) return Value::raised();
  auto matches = [&](const StrObj* p) {
    if (sp.empty_range || sp.hi - sp.lo < p->s.size()) return false;
    size_t at = End ? sp.hi - p->s.size() : sp.lo;
    return text_of(a).compare(at, p->s.size(), p->s) == 0;
  };
  if (is_str(a[1])) return Value::boolean(matches(as<StrObj>(a[1])));
  if (!isinstance(a[1], types.tuple))
    return raise(exc.TypeError, std::string(name) + " first arg must be str or a tuple of str, not " +
                                    type_name(a[1]));
  for (const Value& p : tuple_items(a[1])) {
    if (!is_str(p))
      return raise(exc.TypeError, "tuple for " + std::string(name) + " must only contain str, not " +
                                      type_name(p));
    if (matches(as<StrObj>(p))) return Value::boolean(true);
  }
  return Value::boolean(false);
}

// ---- splitting and joining ----

bool space_at(std::string_view s, size_t i, size_t& next) {
  next = i;
  return uni_isspace(decode_utf8(s, next));
}

// split() with sep=None: runs of whitespace separate, leading and trailing ones vanish.
std::vector<Value> split_whitespace(std::string_view s, int64_t maxsplit) {
  std::vector<Value> out;
  size_t i = 0, next;
  while (true) {
    while (i < s.size() && space_at(s, i, next)) i = next;
    if (i >= s.size()) break;
    if (maxsplit >= 0 && int64_t(out.size()) == maxsplit) {
      out.push_back(new_str(s.substr(i)));
      break;
    }
    size_t start = i;
    while (i < s.size() && !space_at(s, i, next)) i = next;
    out.push_back(new_str(s.substr(start, i - start)));
  }
  return out;
}

std::vector<Value> rsplit_whitespace(std::string_view s, int64_t maxsplit) {
  std::vector<Value> out;
  size_t i = s.size();
  auto space_before = [&](size_t at) {
    size_t j = at;
    return uni_isspace(decode_before(s, j));
  };
  auto step_back = [&](size_t& at) { decode_before(s, at); };
  while (true) {
    while (i > 0 && space_before(i)) step_back(i);
    if (i == 0) break;
    if (maxsplit >= 0 && int64_t(out.size()) == maxsplit) {
      out.push_back(new_str(s.substr(0, i)));
      break;
    }
    size_t end = i;
    while (i > 0 && !space_before(i)) step_back(i);
    out.push_back(new_str(s.substr(i, end - i)));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<Value> split_sep(std::string_view s, std::string_view sep, int64_t maxsplit) {
  std::vector<Value> out;
  size_t start = 0, p;
  while ((maxsplit < 0 || int64_t(out.size()) < maxsplit) && (p = s.find(sep, start)) != std::string_view::npos) {
    out.push_back(new_str(s.substr(start, p - start)));
    start = p + sep.size();
  }
  out.push_back(new_str(s.substr(start)));
  return out;
}

std::vector<Value> rsplit_sep(std::string_view s, std::string_view sep, int64_t maxsplit) {
  std::vector<Value> out;
  size_t end = s.size();
  while (maxsplit < 0 || int64_t(out.size()) < maxsplit) {
    if (end < sep.size()) break;
    size_t p = s.rfind(sep, end - sep.size());
    if (p == std::string_view::npos) break;
    out.push_back(new_str(s.substr(p + sep.size(), end - p - sep.size())));
    end = p;
  }
  out.push_back(new_str(s.substr(0, end)));
  std::reverse(out.begin(), out.end());
  return out;
}

template <bool Reverse>
Value split_m(const Args& a) {
  if (!arity(a, Reverse ? "rsplit" : "split", 0, 2)) return Value::raised();
  const Value* sep = arg_or_kw(a, 1, "sep");
  int64_t maxsplit;
  if (!int_arg(arg_or_kw(a, 2, "maxsplit"), -1, maxsplit)) return Value::raised();
  const std::string& s = text_of(a);
  if (!sep || sep->is_none())
    return make_str_list(Reverse ? rsplit_whitespace(s, maxsplit) : split_whitespace(s, maxsplit));
  if (!is_str(*sep)) return raise(exc.TypeError, "must be str or None, not " + type_name(*sep));
  const StrObj* sp = as<StrObj>(*sep);
  if (sp->s.empty()) return raise(exc.ValueError, "empty separator");
  return make_str_list(Reverse ? rsplit_sep(s, sp->s, maxsplit) : split_sep(s, sp->s, maxsplit));
}

Value splitlines_m(const Args& a) {
  if (!arity(a, "splitlines", 0, 1)) return Value::raised();
  const Value* keep_arg = arg_or_kw(a, 1, "keepends");
  int keep = keep_arg ? truthy(*keep_arg) : 0;
  if (keep < 0) return Value::raised();
  std::string_view s = text_of(a);
  std::vector<Value> out;
  size_t start = 0, i = 0;
  while (i < s.size()) {
    size_t at = i;
    uint32_t cp = decode_utf8(s, i);
    if (!uni_islinebreak(cp)) continue;
    if (cp == '\r' && i < s.size() && s[i] == '\n') ++i;
    out.push_back(new_str(s.substr(start, (keep ? i : at) - start)));
    start = i;
  }
  if (start < s.size()) out.push_back(new_str(s.substr(start)));
  return make_str_list(std::move(out));
}

Value join_m(const Args& a) {
  if (!positional(a, "join", 1, 1)) return Value::raised();
  std::vector<Value> items;
  if (!collect(a[1], items)) return Value::raised();
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!is_str(items[i]))
      return raise(exc.TypeError, "sequence item " + std::to_string(i) + ": expected str instance, " +
                                      type_name(items[i]) + " found");
    if (i > 0) out += text_of(a);
    out += str_of(items[i]);
  }
  return new_str(std::move(out));
}

template <bool Reverse>
Value partition_m(const Args& a) {
  if (!positional(a, Reverse ? "rpartition" : "partition", 1, 1)) return Value::raised();
  const StrObj* sep = str_arg(a[1]);
  if (!sep) return Value::raised();
  if (sep->s.empty()) return raise(exc.ValueError, "empty separator");
  const std::string& s = text_of(a);
  size_t p = Reverse ? s.rfind(sep->s) : s.find(sep->s);
  Value empty = new_str(std::string());
  if (p == std::string::npos)
    return Reverse ? new_tuple({empty, empty, a[0]}) : new_tuple({a[0], empty, empty});
  return new_tuple({new_str(s.substr(0, p)), a[1], new_str(s.substr(p + sep->s.size()))});
}

// ---- stripping and replacing ----

enum StripSide { kLeft = 1, kRight = 2, kBoth = 3 };

template <int Side>
Value strip_m(const Args& a) {
  const char* name = Side == kBoth ? "strip" : Side == kLeft ? "lstrip" : "rstrip";
  if (!positional(a, name, 0, 1)) return Value::raised();
  std::vector<uint32_t> chars;
  bool whitespace = a.npos < 2 || a[1].is_none();
  if (!whitespace) {
    if (!is_str(a[1])) return raise(exc.TypeError, std::string(name) + " arg must be None or str");
    const std::string& cs = str_of(a[1]);
    for (size_t i = 0; i < cs.size();) chars.push_back(decode_utf8(cs, i));
  }
  auto strippable = [&](uint32_t cp) {
    return whitespace ? uni_isspace(cp) : std::find(chars.begin(), chars.end(), cp) != chars.end();
  };
  std::string_view s = text_of(a);
  size_t lo = 0, hi = s.size();
  if (Side & kLeft) {
    for (size_t next = lo; lo < hi && strippable(decode_utf8(s, next)); next = lo) lo = next;
  }
  if (Side & kRight) {
    for (size_t prev = hi; hi > lo && strippable(decode_before(s, prev)); prev = hi) hi = prev;
  }
  if (lo == 0 && hi == s.size()) return str_value(text_of(a), a);
  return new_str(s.substr(lo, hi - lo));
}

Value replace_m(const Args& a) {
  if (!positional(a, "replace", 2, 3)) return Value::raised();
  const StrObj* old = str_arg(a[1], "replace() argument 1 ");
  const StrObj* rep = old ? str_arg(a[2], "replace() argument 2 ") : nullptr;
  int64_t count;
  if (!rep || !int_arg(a.npos > 3 ? &a[3] : nullptr, -1, count)) return Value::raised();
  std::string_view s = text_of(a);
  std::string out;
  if (old->s.empty()) {
    // '' matches before every code point and at the end.
    size_t i = 0;
    for (; i <= s.size() && count != 0; --count) {
      out += rep->s;
      if (i == s.size()) { ++i; break; }
      size_t start = i;
      decode_utf8(s, i);
      out.append(s.substr(start, i - start));
    }
    if (i < s.size()) out.append(s.substr(i));
    return new_str(std::move(out));
  }
  size_t start = 0, p;
  for (; count != 0 && (p = s.find(old->s, start)) != std::string_view::npos; --count) {
    out.append(s.substr(start, p - start));
    out += rep->s;
    start = p + old->s.size();
  }
  if (start == 0) return str_value(text_of(a), a);
  out.append(s.substr(start));
  return new_str(std::move(out));
}

template <bool Suffix>
Value remove_affix_m(const Args& a) {
  const char* name = Suffix ? "removesuffix" : "removeprefix";
  if (!positional(a, name, 1, 1)) return Value::raised();
  if (!is_str(a[1]))
    return raise(exc.TypeError, std::string(name) + "() argument must be str, not " + type_name(a[1]));
  std::string_view s = text_of(a), p = str_of(a[1]);
  if (p.empty() || s.size() < p.size()) return str_value(text_of(a), a);
  if (Suffix ? s.substr(s.size() - p.size()) != p : s.substr(0, p.size()) != p) return str_value(text_of(a), a);
  return new_str(Suffix ? s.substr(0, s.size() - p.size()) : s.substr(p.size()));
}

Value expandtabs_m(const Args& a) {
  if (!arity(a, "expandtabs", 0, 1)) return Value::raised();
  int64_t tabsize;
  if (!int_arg(arg_or_kw(a, 1, "tabsize"), kDefaultTabSize, tabsize)) return Value::raised();
  std::string_view s = text_of(a);
  std::string out;
  int64_t column = 0;
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    uint32_t cp = decode_utf8(s, i);
    if (cp == '\t') {
      if (tabsize > 0) {
        int64_t spaces = tabsize - column % tabsize;
        out.append(size_t(spaces), ' ');
        column += spaces;
      }
      continue;
    }
    out.append(s.substr(start, i - start));
    column = cp == '\n' || cp == '\r' ? 0 : column + 1;
  }
  return new_str(std::move(out));
}

// ---- case ----

enum class Case { Upper, Lower, Fold, Swap };

template <Case C>
Value case_m(const Args& a) {
  const char* names[] = {"upper", "lower", "casefold", "swapcase"};
  if (!no_args(a, names[int(C)])) return Value::raised();
  std::string_view s = text_of(a);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    switch (C) {
      case Case::Upper: uni_append_upper(out, cp); break;
      case Case::Lower: uni_append_lower(out, cp); break;
      case Case::Fold: uni_append_fold(out, cp); break;
      case Case::Swap:
        if (uni_isupper(cp)) uni_append_lower(out, cp);
        else if (uni_islower(cp)) uni_append_upper(out, cp);
        else append_utf8(out, cp);
        break;
    }
  }
  return new_str(std::move(out));
}

Value title_m(const Args& a) {
  if (!no_args(a, "title")) return Value::raised();
  std::string_view s = text_of(a);
  std::string out;
  bool prev_cased = false;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    if (prev_cased) uni_append_lower(out, cp);
    else uni_append_upper(out, cp);
    prev_cased = uni_iscased(cp);
  }
  return new_str(std::move(out));
}

Value capitalize_m(const Args& a) {
  if (!no_args(a, "capitalize")) return Value::raised();
  std::string_view s = text_of(a);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool first = i == 0;
    uint32_t cp = decode_utf8(s, i);
    if (first) uni_append_upper(out, cp);
    else uni_append_lower(out, cp);
  }
  return new_str(std::move(out));
}

// ---- padding ----

bool fill_char(const Args& a, size_t idx, std::string& fill) {
  if (idx >= a.npos) { fill = " "; return true; }
  if (!is_str(a[idx])) {
    raise(exc.TypeError, "The fill character must be a unicode character, not " + type_name(a[idx]));
    return false;
  }
  if (as<StrObj>(a[idx])->length != 1) {
    raise(exc.TypeError, "The fill character must be exactly one character long");
    return false;
  }
  fill = str_of(a[idx]);
  return true;
}

std::string repeat_text(const std::string& unit, int64_t n) {
  std::string out;
  for (int64_t i = 0; i < n; ++i) out += unit;
  return out;
}

enum class Align { Left, Right, Center };

template <Align A>
Value pad_m(const Args& a) {
  const char* name = A == Align::Left ? "ljust" : A == Align::Right ? "rjust" : "center";
  if (!positional(a, name, 1, 2)) return Value::raised();
  int64_t width;
  std::string fill;
  if (!index_of(a[1], width) || !fill_char(a, 2, fill)) return Value::raised();
  int64_t len = int64_t(self_of(a)->length);
  if (width <= len) return str_value(text_of(a), a);
  int64_t pad = width - len, left = 0;
  if (A == Align::Right) left = pad;
  if (A == Align::Center) left = pad / 2 + (pad & width & 1);  // CPython's rounding
  return new_str(repeat_text(fill, left) + text_of(a) + repeat_text(fill, pad - left));
}

Value zfill_m(const Args& a) {
  if (!positional(a, "zfill", 1, 1)) return Value::raised();
  int64_t width;
  if (!index_of(a[1], width)) return Value::raised();
  const std::string& s = text_of(a);
  int64_t len = int64_t(self_of(a)->length);
  if (width <= len) return str_value(s, a);
  size_t sign = !s.empty() && (s[0] == '+' || s[0] == '-');
  return new_str(s.substr(0, sign) + std::string(size_t(width - len), '0') + s.substr(sign));
}

// ---- predicates ----

template <bool (*Test)(uint32_t)>
bool all_of(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size();)
    if (!Test(decode_utf8(s, i))) return false;
  return true;
}

bool is_ident_start(uint32_t cp) { return cp == '_' || uni_isalpha(cp); }
bool is_ident_char(uint32_t cp) { return cp == '_' || uni_isalpha(cp) || uni_isdecimal(cp) || uni_isdigit(cp); }

bool identifier(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  if (!is_ident_start(decode_utf8(s, i))) return false;
  while (i < s.size())
    if (!is_ident_char(decode_utf8(s, i))) return false;
  return true;
}

// isupper/islower: some cased character, and none of the other case.
template <bool Upper>
bool cased_as(std::string_view s) {
  bool any = false;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    if (Upper ? uni_islower(cp) : uni_isupper(cp)) return false;
    any |= Upper ? uni_isupper(cp) : uni_islower(cp);
  }
  return any;
}

bool titled(std::string_view s) {
  bool any = false, prev_cased = false;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    if (uni_isupper(cp)) {
      if (prev_cased) return false;
      prev_cased = any = true;
    } else if (uni_islower(cp)) {
      if (!prev_cased) return false;
      prev_cased = any = true;
    } else {
      prev_cased = false;
    }
  }
  return any;
}

bool printable(std::string_view s) {
  for (size_t i = 0; i < s.size();)
    if (!uni_isprintable(decode_utf8(s, i))) return false;
  return true;
}

bool ascii_only(std::string_view s) { return utf8_length(s) == s.size(); }

struct Predicate {
  const char* name;
  bool (*test)(std::string_view);
};

template <const Predicate& P>
Value predicate_m(const Args& a) {
  if (!no_args(a, P.name)) return Value::raised();
  return Value::boolean(P.test(text_of(a)));
}

constexpr Predicate kIsDigit{"isdigit", all_of<uni_isdigit>};
constexpr Predicate kIsDecimal{"isdecimal", all_of<uni_isdecimal>};
constexpr Predicate kIsNumeric{"isnumeric", all_of<uni_isnumeric>};
constexpr Predicate kIsAlpha{"isalpha", all_of<uni_isalpha>};
constexpr Predicate kIsAlnum{"isalnum", all_of<uni_isalnum>};
constexpr Predicate kIsSpace{"isspace", all_of<uni_isspace>};
constexpr Predicate kIsUpper{"isupper", cased_as<true>};
constexpr Predicate kIsLower{"islower", cased_as<false>};
constexpr Predicate kIsTitle{"istitle", titled};
constexpr Predicate kIsIdentifier{"isidentifier", identifier};
constexpr Predicate kIsPrintable{"isprintable", printable};
constexpr Predicate kIsAscii{"isascii", ascii_only};

// ---- encode, translate ----

Value encode_m(const Args& a) {
  if (!arity(a, "encode", 0, 2)) return Value::raised();
  const Value* enc = arg_or_kw(a, 1, "encoding");
  const Value* err = arg_or_kw(a, 2, "errors");
  if (enc && !str_arg(*enc, "encode() argument 'encoding' ")) return Value::raised();
  if (err && !str_arg(*err, "encode() argument 'errors' ")) return Value::raised();
  return str_encode(text_of(a), enc ? str_of(*enc) : "utf-8", err ? str_of(*err) : "strict");
}

// A maketrans key: an int code point, or a one-character str turned into one.
bool translation_key(const Value& k, Value& out) {
  if (is_str(k)) {
    if (as<StrObj>(k)->length != 1) {
      raise(exc.ValueError, "string keys in translate table must be of length 1");
      return false;
    }
    size_t i = 0;
    out = Value::integer(decode_utf8(str_of(k), i));
    return true;
  }
  if (is_intlike(k)) { out = k; return true; }
  raise(exc.TypeError, "keys in translate table must be strings or integers");
  return false;
}

Value maketrans_m(const Args& a) {
  // A static method: no self, so a.pos[0] is the first argument.
  if (!no_kwargs(a, "str.maketrans") || !check_args(a, "maketrans", 1, 3)) return Value::raised();
  Value table = new_dict();
  DictObj* d = as_dict(table);
  if (a.npos == 1) {
    if (!isinstance(a[0], types.dict))
      return raise(exc.TypeError, "if you give only one argument to maketrans it must be a dict");
    size_t pos = 0;
    const DictObj::Entry* e;
    Value key;
    while (dict_next(as_dict(a[0]), pos, e))
      if (!translation_key(e->key, key) || !dict_set(d, key, e->value)) return Value::raised();
    return table;
  }
  const StrObj* from = str_arg(a[0], "maketrans() argument 1 ");
  const StrObj* to = from ? str_arg(a[1], "maketrans() argument 2 ") : nullptr;
  if (!to) return Value::raised();
  if (from->length != to->length)
    return raise(exc.ValueError, "the first two maketrans arguments must have equal length");
  for (size_t i = 0, j = 0; i < from->s.size();) {
    uint32_t f = decode_utf8(from->s, i), t = decode_utf8(to->s, j);
    if (!dict_set(d, Value::integer(f), Value::integer(t))) return Value::raised();
  }
  if (a.npos == 3) {
    const StrObj* drop = str_arg(a[2], "maketrans() argument 3 ");
    if (!drop) return Value::raised();
    for (size_t i = 0; i < drop->s.size();)
      if (!dict_set(d, Value::integer(decode_utf8(drop->s, i)), Value())) return Value::raised();
  }
  return table;
}

Value translate_m(const Args& a) {
  if (!positional(a, "translate", 1, 1)) return Value::raised();
  std::string_view s = text_of(a);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    Value r = getitem(a[1], Value::integer(cp));
    if (r.is_raised()) {
      if (!exception_matches(exc.LookupError)) return r;
      take_exception();
      append_utf8(out, cp);
    } else if (is_str(r)) {
      out += str_of(r);
    } else if (r.is_int()) {
      if (r.as_int() < 0 || r.as_int() > 0x10FFFF)
        return raise(exc.ValueError, "character mapping must be in range(0x110000)");
      append_utf8(out, uint32_t(r.as_int()));
    } else if (!r.is_none()) {
      return raise(exc.TypeError, "character mapping must return integer, None or str");
    }
  }
  return new_str(std::move(out));
}

Value format_m(const Args& a) { return str_format(a); }
Value format_map_m(const Args& a) { return str_format_map(a); }

struct MethodEntry {
  const char* name;
  NativeFn fn;
};

const MethodEntry kMethods[] = {
    {"__new__", str_new},
    {"__repr__", str_repr_m},
    {"__str__", str_str_m},
    {"__hash__", str_hash_m},
    {"__len__", str_len_m},
    {"__eq__", str_eq_m},
    {"__ne__", str_ne_m},
    {"__lt__", compare_m<test_lt>},
    {"__le__", compare_m<test_le>},
    {"__gt__", compare_m<test_gt>},
    {"__ge__", compare_m<test_ge>},
    {"__getitem__", str_getitem_m},
    {"__contains__", str_contains_m},
    {"__iter__", str_iter_m},
    {"__add__", str_add_m},
    {"__mul__", str_mul_m},
    {"__rmul__", str_mul_m},
    {"__mod__", str_mod_m},
    {"__format__", str_format_spec_m},
    {"find", find_m<Dir::Forward, false>},
    {"rfind", find_m<Dir::Backward, false>},
    {"index", find_m<Dir::Forward, true>},
    {"rindex", find_m<Dir::Backward, true>},
    {"count", count_m},
    {"startswith", affix_m<false>},
    {"endswith", affix_m<true>},
    {"split", split_m<false>},
    {"rsplit", split_m<true>},
    {"splitlines", splitlines_m},
    {"join", join_m},
    {"partition", partition_m<false>},
    {"rpartition", partition_m<true>},
    {"strip", strip_m<kBoth>},
    {"lstrip", strip_m<kLeft>},
    {"rstrip", strip_m<kRight>},
    {"replace", replace_m},
    {"removeprefix", remove_affix_m<false>},
    {"removesuffix", remove_affix_m<true>},
    {"expandtabs", expandtabs_m},
    {"upper", case_m<Case::Upper>},
    {"lower", case_m<Case::Lower>},
    {"casefold", case_m<Case::Fold>},
    {"swapcase", case_m<Case::Swap>},
    {"title", title_m},
    {"capitalize", capitalize_m},
    {"center", pad_m<Align::Center>},
    {"ljust", pad_m<Align::Left>},
    {"rjust", pad_m<Align::Right>},
    {"zfill", zfill_m},
    {"isdigit", predicate_m<kIsDigit>},
    {"isdecimal", predicate_m<kIsDecimal>},
    {"isnumeric", predicate_m<kIsNumeric>},
    {"isalpha", predicate_m<kIsAlpha>},
    {"isalnum", predicate_m<kIsAlnum>},
    {"isspace", predicate_m<kIsSpace>},
    {"isupper", predicate_m<kIsUpper>},
    {"islower", predicate_m<kIsLower>},
    {"istitle", predicate_m<kIsTitle>},
    {"isidentifier", predicate_m<kIsIdentifier>},
    {"isprintable", predicate_m<kIsPrintable>},
    {"isascii", predicate_m<kIsAscii>},
    {"encode", encode_m},
    {"translate", translate_m},
    {"format", format_m},
    {"format_map", format_map_m},
};

}  // namespace

bool str_is_identifier(std::string_view s) { return identifier(s); }

void init_str_type() {
  for (const MethodEntry& m : kMethods) add_method(types.str, m.name, m.fn);
  // A static method: "x".maketrans(...) and str.maketrans(...) both pass no self.
  add_attr(types.str, "maketrans", Value::adopt(new WrapperObj(types.staticmethod, new_native("maketrans", maketrans_m))));
  init_str_iter_type();
}

}  // namespace aio
