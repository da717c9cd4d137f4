// bytes and bytearray: construction, repr, the sequence protocol, a handful of methods, and the
// utf-8 / ascii / latin-1 codecs that connect them to str.
#include "interp/bytes.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "interp/ast.h"  // int.h names BinOpKind without including it
#include "interp/exception.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/tuple.h"
#include "interp/unicode.h"

namespace aio {

namespace {

constexpr int kByteCount = 256;
constexpr uint32_t kReplacementChar = 0xFFFD;
constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
const char kHexDigits[] = "0123456789abcdef";

std::string hex_byte(unsigned char c) { return {kHexDigits[c >> 4], kHexDigits[c & 0xF]}; }

}  // namespace

Value new_bytes(std::string data) { return Value::adopt(new BytesObj(types.bytes, std::move(data))); }
Value new_bytearray(std::string data) {
  return Value::adopt(new BytesObj(types.bytearray, std::move(data)));
}

std::string bytes_repr(std::string_view data) {
  bool has_single = data.find('\'') != std::string_view::npos;
  bool has_double = data.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out = "b";
  out += quote;
  for (unsigned char c : data) {
    if (c == quote || c == '\\') { out += '\\'; out += char(c); }
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c >= 0x7F) out += "\\x" + hex_byte(c);
    else out += char(c);
  }
  out += quote;
  return out;
}

int64_t bytes_hash(const BytesObj* b) {
  if (b->hash != -1) return b->hash;
  uint64_t h = kFnvOffset;
  for (unsigned char c : b->data) h = (h ^ c) * kFnvPrime;
  b->hash = int64_t(h) == -1 ? -2 : int64_t(h);
  return b->hash;
}

// ---- codecs ----

namespace {

enum class Codec { Utf8, Ascii, Latin1, Unknown };

Codec codec_of(std::string_view name) {
  std::string n;
  for (char c : name) n += c == '_' ? '-' : char(std::tolower((unsigned char)c));
  if (n == "utf-8" || n == "utf8" || n == "u8") return Codec::Utf8;
  if (n == "ascii" || n == "us-ascii") return Codec::Ascii;
  if (n == "latin-1" || n == "latin1" || n == "iso-8859-1" || n == "iso8859-1" || n == "l1")
    return Codec::Latin1;
  return Codec::Unknown;
}

const char* codec_name(Codec c) { return c == Codec::Utf8 ? "utf-8" : c == Codec::Ascii ? "ascii" : "latin-1"; }

Value unknown_encoding(std::string_view name) {
  return raise(exc.LookupError, "unknown encoding: " + std::string(name));
}

// The bytes a UTF-8 lead byte needs, and the allowed range of the byte after it (0 when invalid).
struct LeadInfo { int length; unsigned char lo, hi; };

LeadInfo utf8_lead(unsigned char c) {
  if (c < 0x80) return {1, 0, 0};
  if (c < 0xC2 || c > 0xF4) return {0, 0, 0};
  if (c < 0xE0) return {2, 0x80, 0xBF};
  if (c == 0xE0) return {3, 0xA0, 0xBF};
  if (c == 0xED) return {3, 0x80, 0x9F};  // no surrogates
  if (c < 0xF0) return {3, 0x80, 0xBF};
  if (c == 0xF0) return {4, 0x90, 0xBF};
  if (c == 0xF4) return {4, 0x80, 0x8F};  // nothing above U+10FFFF
  return {4, 0x80, 0xBF};
}

// Length of the valid UTF-8 sequence at i (> 0), or 0 with `bad` the maximal invalid prefix.
size_t utf8_valid(std::string_view d, size_t i, size_t& bad, const char*& reason) {
  LeadInfo li = utf8_lead(d[i]);
  if (li.length == 0) { bad = 1; reason = "invalid start byte"; return 0; }
  for (int k = 1; k < li.length; ++k) {
    if (i + k >= d.size()) { bad = k; reason = "unexpected end of data"; return 0; }
    unsigned char c = d[i + k];
    unsigned char lo = k == 1 ? li.lo : 0x80, hi = k == 1 ? li.hi : 0xBF;
    if (c < lo || c > hi) { bad = k; reason = "invalid continuation byte"; return 0; }
  }
  return li.length;
}

// Unicode errors carry (encoding, object, start, end, reason); their __str__ words the message.
Value unicode_error(Type* t, Codec c, Value object, size_t start, size_t end, const std::string& reason) {
  return raise_value(make_exception(t, {new_str(codec_name(c)), std::move(object), Value::integer(int64_t(start)),
                                        Value::integer(int64_t(end)), new_str(reason)}));
}

Value decode_error(Codec c, std::string_view d, size_t start, size_t end, const char* reason) {
  return unicode_error(exc.UnicodeDecodeError, c, new_bytes(std::string(d)), start, end, reason);
}

Value unknown_handler(std::string_view errors) {
  return raise(exc.LookupError, "unknown error handler name '" + std::string(errors) + "'");
}

}  // namespace

Value bytes_decode(std::string_view d, std::string_view encoding, std::string_view errors) {
  Codec c = codec_of(encoding);
  if (c == Codec::Unknown) return unknown_encoding(encoding);
  std::string out;
  out.reserve(d.size());
  for (size_t i = 0; i < d.size();) {
    unsigned char b = d[i];
    if (c == Codec::Latin1) { append_utf8(out, b); ++i; continue; }
    size_t bad = 1, n = b < 0x80 ? 1 : 0;
    const char* reason = "ordinal not in range(128)";
    if (c == Codec::Utf8 && b >= 0x80) n = utf8_valid(d, i, bad, reason);
    if (n > 0) { out.append(d.substr(i, n)); i += n; continue; }
    if (errors == "strict") return decode_error(c, d, i, i + bad, reason);
    if (errors == "replace") append_utf8(out, kReplacementChar);
    else if (errors == "backslashreplace") for (size_t k = 0; k < bad; ++k) out += "\\x" + hex_byte(d[i + k]);
    else if (errors != "ignore") return unknown_handler(errors);
    i += bad;
  }
  return new_str(std::move(out));
}

Value str_encode(std::string_view text, std::string_view encoding, std::string_view errors) {
  Codec c = codec_of(encoding);
  if (c == Codec::Unknown) return unknown_encoding(encoding);
  uint32_t limit = c == Codec::Ascii ? 0x80 : c == Codec::Latin1 ? kByteCount : 0x110000;
  std::string out;
  out.reserve(text.size());
  size_t index = 0;  // in code points, for messages
  for (size_t i = 0; i < text.size(); ++index) {
    size_t start = i;
    uint32_t cp = decode_utf8(text, i);
    bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (cp < limit && !surrogate) {
      if (c == Codec::Utf8) out.append(text.substr(start, i - start));
      else out += char(cp);
      continue;
    }
    if (errors == "strict") {
      // CPython reports the whole run of unencodable characters.
      size_t end = index + 1, j = i;
      while (j < text.size()) {
        size_t k = j;
        uint32_t next = decode_utf8(text, k);
        if (next < limit && !(next >= 0xD800 && next <= 0xDFFF)) break;
        j = k;
        ++end;
      }
      if (c == Codec::Utf8) end = index + 1;  // surrogates are reported one at a time
      std::string reason = c == Codec::Utf8 ? "surrogates not allowed"
                                            : std::string("ordinal not in range(") + (c == Codec::Ascii ? "128)" : "256)");
      return unicode_error(exc.UnicodeEncodeError, c, new_str(std::string(text)), index, end, reason);
    }
    std::string ch;
    append_utf8(ch, cp);
    if (errors == "replace") out += '?';
    else if (errors == "backslashreplace") out += ascii_escape(ch);
    else if (errors == "xmlcharrefreplace") out += "&#" + std::to_string(cp) + ";";
    else if (errors != "ignore") return unknown_handler(errors);
  }
  return new_bytes(std::move(out));
}

// ---- methods ----

namespace {

BytesObj* self_of(const Args& a) { return as<BytesObj>(a[0]); }
const std::string& data_of(const Args& a) { return self_of(a)->data; }

// A result of self's own kind: methods of a bytearray give bytearrays.
Value same_kind(const Args& a, std::string data) {
  return Value::adopt(new BytesObj(is_bytearray(a[0]) ? types.bytearray : types.bytes, std::move(data)));
}

bool arity(const Args& a, const char* name, size_t min, size_t max) {
  Args t = a;
  ++t.pos;
  --t.npos;
  return no_kwargs(a, name) && check_args(t, name, min, max);
}

// A bytes-like argument, or TypeError "a bytes-like object is required, not 'str'".
const std::string* data_arg(const Value& v) {
  if (is_byteslike(v)) return &bytes_of(v);
  raise(exc.TypeError, "a bytes-like object is required, not '" + type_name(v) + "'");
  return nullptr;
}

bool byte_value(const Value& v, unsigned char& out, const char* range_msg) {
  int64_t i;
  if (!index_of(v, i)) return false;
  if (i < 0 || i >= kByteCount) {
    raise(exc.ValueError, range_msg);
    return false;
  }
  out = (unsigned char)i;
  return true;
}

// The bytes that ints collected from an iterable stand for; false when one is not a byte
// (`range_error` is the ValueError's message, which differs between bytes() and bytearray).
bool bytes_from_items(const std::vector<Value>& items, std::string& out, const char* range_error) {
  for (const Value& v : items) {
    unsigned char c;
    if (!byte_value(v, c, range_error)) return false;
    out += char(c);
  }
  return true;
}

// bytes(x) / bytearray(x): the data of an int count, a str with encoding, or an iterable of ints.
bool data_from(const Args& a, std::string& out) {
  const Value* src = arg_or_kw(a, 1, "source");
  const Value* enc = arg_or_kw(a, 2, "encoding");
  const Value* err = arg_or_kw(a, 3, "errors");
  if (!src) return true;
  if (is_str(*src)) {
    if (!enc) { raise(exc.TypeError, "string argument without an encoding"); return false; }
    if (!is_str(*enc) || (err && !is_str(*err))) { raise(exc.TypeError, "encoding must be str"); return false; }
    Value b = str_encode(str_of(*src), str_of(*enc), err ? str_of(*err) : "strict");
    if (b.is_raised()) return false;
    out = bytes_of(b);
    return true;
  }
  if (enc || err) {
    raise(exc.TypeError, enc ? "encoding without a string argument" : "errors without a string argument");
    return false;
  }
  if (is_byteslike(*src)) { out = bytes_of(*src); return true; }
  if (is_intlike(*src)) {
    int64_t n;
    if (!index_of(*src, n)) return false;
    if (n < 0) { raise(exc.ValueError, "negative count"); return false; }
    out.assign(size_t(n), '\0');
    return true;
  }
  if (src->is_float() || is_exact(*src, types.float_)) {
    raise(exc.TypeError, "cannot convert '" + type_name(*src) + "' object to bytes");
    return false;
  }
  std::vector<Value> items;
  return collect(*src, items) && bytes_from_items(items, out, "bytes must be in range(0, 256)");
}

Value bytes_new(const Args& a) {
  std::string data;
  if (!data_from(a, data)) return Value::raised();
  Type* cls = as<Type>(a[0]);
  if (!cls->is_native) return Value::adopt(new WithDict<BytesObj>(cls, cls, std::move(data)));
  return Value::adopt(new BytesObj(cls, std::move(data)));
}

Value bytes_repr_m(const Args& a) {
  if (!arity(a, "__repr__", 0, 0)) return Value::raised();
  std::string r = bytes_repr(data_of(a));
  if (is_bytearray(a[0])) r = "bytearray(" + r + ")";
  return new_str(std::move(r));
}

Value bytes_hash_m(const Args& a) {
  if (!arity(a, "__hash__", 0, 0)) return Value::raised();
  return Value::integer(bytes_hash(self_of(a)));
}

Value bytes_len_m(const Args& a) {
  if (!arity(a, "__len__", 0, 0)) return Value::raised();
  return Value::integer(int64_t(data_of(a).size()));
}

template <bool (*Test)(int)>
Value compare_m(const Args& a) {
  if (!arity(a, "__cmp__", 1, 1)) return Value::raised();
  if (!is_byteslike(a[1])) return not_implemented();
  int c = data_of(a).compare(bytes_of(a[1]));
  return Value::boolean(Test(c < 0 ? -1 : c > 0));
}
bool test_eq(int c) { return c == 0; }
bool test_ne(int c) { return c != 0; }
bool test_lt(int c) { return c < 0; }
bool test_le(int c) { return c <= 0; }
bool test_gt(int c) { return c > 0; }
bool test_ge(int c) { return c >= 0; }

Value bytes_getitem_m(const Args& a) {
  if (!arity(a, "__getitem__", 1, 1)) return Value::raised();
  const std::string& d = data_of(a);
  if (isinstance(a[1], types.slice)) {
    SliceBounds b;
    if (!slice_bounds(a[1], d.size(), b)) return Value::raised();
    std::string out;
    for (int64_t i = 0, j = b.start; i < b.count; ++i, j += b.step) out += d[j];
    return same_kind(a, std::move(out));
  }
  int64_t i;
  if (!index_of(a[1], i)) return Value::raised();
  if (!normalize_index(i, d.size()))
    return raise(exc.IndexError, is_bytearray(a[0]) ? "bytearray index out of range" : "index out of range");
  return Value::integer((unsigned char)d[i]);
}

Value bytes_contains_m(const Args& a) {
  if (!arity(a, "__contains__", 1, 1)) return Value::raised();
  if (is_intlike(a[1])) {
    unsigned char c;
    if (!byte_value(a[1], c, "byte must be in range(0, 256)")) return Value::raised();
    return Value::boolean(data_of(a).find(char(c)) != std::string::npos);
  }
  const std::string* sub = data_arg(a[1]);
  if (!sub) return Value::raised();
  return Value::boolean(data_of(a).find(*sub) != std::string::npos);
}

Value bytes_iter_m(const Args& a) {
  if (!arity(a, "__iter__", 0, 0)) return Value::raised();
  std::vector<Value> ints;
  ints.reserve(data_of(a).size());
  for (unsigned char c : data_of(a)) ints.push_back(Value::integer(c));
  return get_iter(new_list(std::move(ints)));
}

Value bytes_add_m(const Args& a) {
  if (!arity(a, "__add__", 1, 1)) return Value::raised();
  if (!is_byteslike(a[1]))
    return raise(exc.TypeError, "can't concat " + type_name(a[1]) + " to " + type_name(a[0]));
  return same_kind(a, data_of(a) + bytes_of(a[1]));
}

Value bytes_mul_m(const Args& a) {
  if (!arity(a, "__mul__", 1, 1)) return Value::raised();
  if (!is_intlike(a[1])) return not_implemented();
  int64_t n;
  if (!index_of(a[1], n)) return Value::raised();
  std::string out;
  for (int64_t i = 0; i < n; ++i) out += data_of(a);
  return same_kind(a, std::move(out));
}

Value decode_m(const Args& a) {
  Args t = a;
  ++t.pos;
  --t.npos;
  if (!check_args(t, "decode", 0, 2)) return Value::raised();
  const Value* enc = arg_or_kw(a, 1, "encoding");
  const Value* err = arg_or_kw(a, 2, "errors");
  if ((enc && !is_str(*enc)) || (err && !is_str(*err)))
    return raise(exc.TypeError, "decode() argument must be str, not " + type_name(enc && !is_str(*enc) ? *enc : *err));
  return bytes_decode(data_of(a), enc ? str_of(*enc) : "utf-8", err ? str_of(*err) : "strict");
}

Value hex_m(const Args& a) {
  if (!arity(a, "hex", 0, 0)) return Value::raised();
  std::string out;
  for (unsigned char c : data_of(a)) out += hex_byte(c);
  return new_str(std::move(out));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = char(std::tolower((unsigned char)c));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// bytes.fromhex(s): called on the type, so a.pos[0] is the string (or the class, then the string).
Value fromhex_m(const Args& a) {
  size_t at = a.npos > 0 && !is_str(a[0]) ? 1 : 0;
  if (at >= a.npos || !is_str(a[at]))
    return raise(exc.TypeError, "fromhex() argument must be str");
  const std::string& s = str_of(a[at]);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ' ') { ++i; continue; }
    int hi = hex_value(s[i]);
    int lo = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
    if (hi < 0 || lo < 0) {
      size_t pos = hi < 0 ? i : i + 1;
      return raise(exc.ValueError, "non-hexadecimal number found in fromhex() arg at position " + std::to_string(pos));
    }
    out += char(hi * 16 + lo);
    i += 2;
  }
  return new_bytes(std::move(out));
}

// The bytes that start/end arguments (a[first], a[first + 1]) select. A start past the end
// selects nothing, not even an empty match, as in CPython.
struct ByteSpan {
  std::string_view view;
  size_t lo;
  bool empty_range;
};

bool byte_span(const Args& a, size_t first, ByteSpan& out) {
  const std::string& d = data_of(a);
  int64_t len = int64_t(d.size()), start, end;
  if (!slice_index(first < a.npos ? &a[first] : nullptr, len, 0, start)) return false;
  if (!slice_index(first + 1 < a.npos ? &a[first + 1] : nullptr, len, len, end)) return false;
  end = std::min(end, len);
  out.empty_range = start > end;
  if (out.empty_range) start = end;
  out.lo = size_t(start);
  out.view = std::string_view(d).substr(size_t(start), size_t(end - start));
  return true;
}

template <bool End>
Value affix_m(const Args& a) {
  const char* name = End ? "endswith" : "startswith";
  if (!arity(a, name, 1, 3)) return Value::raised();
  ByteSpan span;
  if (!byte_span(a, 2, span)) return Value::raised();
  std::string_view d = span.view;
  auto matches = [&](const std::string& p) {
    return !span.empty_range && d.size() >= p.size() && d.compare(End ? d.size() - p.size() : 0, p.size(), p) == 0;
  };
  if (isinstance(a[1], types.tuple)) {
    for (const Value& p : tuple_items(a[1])) {
      const std::string* pd = data_arg(p);
      if (!pd) return Value::raised();
      if (matches(*pd)) return Value::boolean(true);
    }
    return Value::boolean(false);
  }
  const std::string* p = data_arg(a[1]);
  if (!p) return Value::raised();
  return Value::boolean(matches(*p));
}

// The needle of find, count, index...: a bytes-like object, or one byte as an int.
bool needle_arg(const Value& v, std::string& out) {
  if (is_intlike(v)) {
    unsigned char c;
    if (!byte_value(v, c, "byte must be in range(0, 256)")) return false;
    out = std::string(1, char(c));
    return true;
  }
  if (!is_byteslike(v)) {
    raise(exc.TypeError, "argument should be integer or bytes-like object, not '" + type_name(v) + "'");
    return false;
  }
  out = bytes_of(v);
  return true;
}

// find, rfind, index, rindex: the needle's offset within the start/end span.
template <bool Reverse, bool Raise>
Value find_m(const Args& a) {
  const char* name = Reverse ? (Raise ? "rindex" : "rfind") : (Raise ? "index" : "find");
  if (!arity(a, name, 1, 3)) return Value::raised();
  std::string sub;
  ByteSpan span;
  if (!needle_arg(a[1], sub) || !byte_span(a, 2, span)) return Value::raised();
  size_t p = span.empty_range ? std::string_view::npos : Reverse ? span.view.rfind(sub) : span.view.find(sub);
  if (p != std::string_view::npos) return Value::integer(int64_t(span.lo + p));
  if (Raise) return raise(exc.ValueError, "subsection not found");
  return Value::integer(-1);
}


// Non-overlapping occurrences, as str.count (an empty needle matches len + 1 times).
Value count_m(const Args& a) {
  if (!arity(a, "count", 1, 3)) return Value::raised();
  std::string sub;
  ByteSpan span;
  if (!needle_arg(a[1], sub) || !byte_span(a, 2, span)) return Value::raised();
  if (span.empty_range) return Value::integer(0);
  std::string_view d = span.view;
  if (sub.empty()) return Value::integer(int64_t(d.size()) + 1);
  int64_t n = 0;
  for (size_t p = d.find(sub); p != std::string_view::npos; p = d.find(sub, p + sub.size())) n++;
  return Value::integer(n);
}

Value replace_m(const Args& a) {
  if (!arity(a, "replace", 2, 3)) return Value::raised();
  const std::string* from = data_arg(a[1]);
  const std::string* to = from ? data_arg(a[2]) : nullptr;
  if (!to) return Value::raised();
  int64_t limit = -1;
  if (a.npos > 3 && !index_of(a[3], limit)) return Value::raised();
  const std::string& d = data_of(a);
  std::string out;
  size_t start = 0;
  for (int64_t done = 0; limit < 0 || done < limit; done++) {
    if (from->empty()) {
      // An empty pattern inserts `to` before every byte and at the end.
      if (start > d.size()) break;
      out += *to;
      if (start < d.size()) out += d[start];
      start++;
      continue;
    }
    size_t p = d.find(*from, start);
    if (p == std::string::npos) break;
    out.append(d, start, p - start);
    out += *to;
    start = p + from->size();
  }
  if (start < d.size()) out.append(d, start, std::string::npos);
  return same_kind(a, std::move(out));
}

bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

Value split_m(const Args& a) {
  Args t = a;
  ++t.pos;
  --t.npos;
  if (!check_args(t, "split", 0, 2)) return Value::raised();
  const Value* sep = arg_or_kw(a, 1, "sep");
  int64_t maxsplit = -1;
  const Value* ms = arg_or_kw(a, 2, "maxsplit");
  if (ms && !index_of(*ms, maxsplit)) return Value::raised();
  const std::string& d = data_of(a);
  std::vector<Value> out;
  if (!sep || sep->is_none()) {
    size_t i = 0;
    while (true) {
      while (i < d.size() && is_ascii_space(d[i])) ++i;
      if (i >= d.size()) break;
      if (maxsplit >= 0 && int64_t(out.size()) == maxsplit) { out.push_back(same_kind(a, d.substr(i))); break; }
      size_t start = i;
      while (i < d.size() && !is_ascii_space(d[i])) ++i;
      out.push_back(same_kind(a, d.substr(start, i - start)));
    }
    return new_list(std::move(out));
  }
  const std::string* s = data_arg(*sep);
  if (!s) return Value::raised();
  if (s->empty()) return raise(exc.ValueError, "empty separator");
  size_t start = 0, p;
  while ((maxsplit < 0 || int64_t(out.size()) < maxsplit) && (p = d.find(*s, start)) != std::string::npos) {
    out.push_back(same_kind(a, d.substr(start, p - start)));
    start = p + s->size();
  }
  out.push_back(same_kind(a, d.substr(start)));
  return new_list(std::move(out));
}

enum StripSide { kLeft = 1, kRight = 2, kBoth = 3 };

template <int Side>
Value strip_m(const Args& a) {
  if (!arity(a, Side == kBoth ? "strip" : Side == kLeft ? "lstrip" : "rstrip", 0, 1)) return Value::raised();
  const std::string* chars = nullptr;
  if (a.npos > 1 && !a[1].is_none() && !(chars = data_arg(a[1]))) return Value::raised();
  auto strippable = [&](char c) { return chars ? chars->find(c) != std::string::npos : is_ascii_space(c); };
  const std::string& d = data_of(a);
  size_t lo = 0, hi = d.size();
  if (Side & kLeft) while (lo < hi && strippable(d[lo])) ++lo;
  if (Side & kRight) while (hi > lo && strippable(d[hi - 1])) --hi;
  return same_kind(a, d.substr(lo, hi - lo));
}

Value join_m(const Args& a) {
  if (!arity(a, "join", 1, 1)) return Value::raised();
  std::vector<Value> items;
  if (!collect(a[1], items)) return Value::raised();
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!is_byteslike(items[i]))
      return raise(exc.TypeError, "sequence item " + std::to_string(i) + ": expected a bytes-like object, " +
                                      type_name(items[i]) + " found");
    if (i > 0) out += data_of(a);
    out += bytes_of(items[i]);
  }
  return same_kind(a, std::move(out));
}

template <bool Upper>
Value case_m(const Args& a) {
  if (!arity(a, Upper ? "upper" : "lower", 0, 0)) return Value::raised();
  std::string d = data_of(a);
  for (char& c : d) {
    bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
    if (Upper && lower) c = char(c - 'a' + 'A');
    if (!Upper && upper) c = char(c - 'A' + 'a');
  }
  return same_kind(a, std::move(d));
}

// ---- bytearray only ----

// What may be stored into a bytearray slice: bytes-like, or an iterable of ints in range(256).
bool assigned_bytes(const Value& v, std::string& out) {
  static const char* kWhat = "can assign only bytes, buffers, or iterables of ints in range(0, 256)";
  if (is_byteslike(v)) {
    out = bytes_of(v);
    return true;
  }
  std::vector<Value> items;
  if (is_intlike(v) || is_str(v) || !collect(v, items)) {
    if (!tstate->exc.is_none()) take_exception();
    raise(exc.TypeError, kWhat);
    return false;
  }
  return bytes_from_items(items, out, "byte must be in range(0, 256)");
}

// Replaces the slice's bytes: any length for a step of 1, the same length for an extended slice.
bool assign_slice(std::string& d, const Value& slice, const std::string& with) {
  SliceBounds b;
  if (!slice_bounds(slice, d.size(), b)) return false;
  if (b.step == 1) {
    size_t lo = size_t(b.start), n = size_t(b.count);
    d.replace(lo, n, with);
    return true;
  }
  if (int64_t(with.size()) != b.count) {
    raise(exc.ValueError, "attempt to assign bytes of size " + std::to_string(with.size()) +
                              " to extended slice of size " + std::to_string(b.count));
    return false;
  }
  for (int64_t i = 0, j = b.start; i < b.count; ++i, j += b.step) d[j] = with[i];
  return true;
}

Value bytearray_setitem_m(const Args& a) {
  if (!arity(a, "__setitem__", 2, 2)) return Value::raised();
  std::string& d = self_of(a)->data;
  if (isinstance(a[1], types.slice)) {
    std::string with;
    if (!assigned_bytes(a[2], with) || !assign_slice(d, a[1], with)) return Value::raised();
    return Value();
  }
  int64_t i;
  unsigned char c;
  if (!index_of(a[1], i)) return Value::raised();
  if (!normalize_index(i, d.size())) return raise(exc.IndexError, "bytearray index out of range");
  if (!byte_value(a[2], c, "byte must be in range(0, 256)")) return Value::raised();
  d[i] = char(c);
  return Value();
}

Value bytearray_delitem_m(const Args& a) {
  if (!arity(a, "__delitem__", 1, 1)) return Value::raised();
  std::string& d = self_of(a)->data;
  if (isinstance(a[1], types.slice)) {
    SliceBounds b;
    if (!slice_bounds(a[1], d.size(), b)) return Value::raised();
    if (b.step == 1) {
      d.erase(size_t(b.start), size_t(b.count));
      return Value();
    }
    std::vector<bool> gone(d.size());
    for (int64_t i = 0, j = b.start; i < b.count; ++i, j += b.step) gone[j] = true;
    std::string kept;
    for (size_t i = 0; i < d.size(); i++)
      if (!gone[i]) kept += d[i];
    d = std::move(kept);
    return Value();
  }
  int64_t i;
  if (!index_of(a[1], i)) return Value::raised();
  if (!normalize_index(i, d.size())) return raise(exc.IndexError, "bytearray index out of range");
  d.erase(size_t(i), 1);
  return Value();
}

Value bytearray_pop_m(const Args& a) {
  if (!arity(a, "pop", 0, 1)) return Value::raised();
  std::string& d = self_of(a)->data;
  if (d.empty()) return raise(exc.IndexError, "pop from empty bytearray");
  int64_t i = -1;
  if (a.npos > 1 && !index_of(a[1], i)) return Value::raised();
  if (!normalize_index(i, d.size())) return raise(exc.IndexError, "pop index out of range");
  unsigned char c = (unsigned char)d[i];
  d.erase(size_t(i), 1);
  return Value::integer(c);
}

Value bytearray_insert_m(const Args& a) {
  if (!arity(a, "insert", 2, 2)) return Value::raised();
  std::string& d = self_of(a)->data;
  int64_t i;
  unsigned char c;
  if (!index_of(a[1], i) || !byte_value(a[2], c, "byte must be in range(0, 256)")) return Value::raised();
  int64_t len = int64_t(d.size());
  i = i < 0 ? std::max<int64_t>(i + len, 0) : std::min(i, len);  // clamped, as list.insert
  d.insert(size_t(i), 1, char(c));
  return Value();
}

Value bytearray_remove_m(const Args& a) {
  if (!arity(a, "remove", 1, 1)) return Value::raised();
  std::string& d = self_of(a)->data;
  unsigned char c;
  if (!byte_value(a[1], c, "byte must be in range(0, 256)")) return Value::raised();
  size_t p = d.find(char(c));
  if (p == std::string::npos) return raise(exc.ValueError, "value not found in bytearray");
  d.erase(p, 1);
  return Value();
}

Value bytearray_clear_m(const Args& a) {
  if (!arity(a, "clear", 0, 0)) return Value::raised();
  self_of(a)->data.clear();
  return Value();
}

Value bytearray_copy_m(const Args& a) {
  if (!arity(a, "copy", 0, 0)) return Value::raised();
  return new_bytearray(data_of(a));
}

Value bytearray_reverse_m(const Args& a) {
  if (!arity(a, "reverse", 0, 0)) return Value::raised();
  std::string& d = self_of(a)->data;
  std::reverse(d.begin(), d.end());
  return Value();
}

Value bytearray_append_m(const Args& a) {
  if (!arity(a, "append", 1, 1)) return Value::raised();
  unsigned char c;
  if (!byte_value(a[1], c, "byte must be in range(0, 256)")) return Value::raised();
  self_of(a)->data += char(c);
  return Value();
}

Value bytearray_extend_m(const Args& a) {
  if (!arity(a, "extend", 1, 1)) return Value::raised();
  if (is_byteslike(a[1])) {
    std::string more = bytes_of(a[1]);  // a copy: extending by itself
    self_of(a)->data += more;
    return Value();
  }
  std::vector<Value> items;
  std::string more;
  if (!collect(a[1], items) || !bytes_from_items(items, more, "byte must be in range(0, 256)")) return Value::raised();
  self_of(a)->data += more;
  return Value();
}

Value bytearray_iadd_m(const Args& a) {
  if (!arity(a, "__iadd__", 1, 1)) return Value::raised();
  const std::string* more = data_arg(a[1]);
  if (!more) return Value::raised();
  self_of(a)->data += std::string(*more);
  return a[0];
}

struct MethodEntry {
  const char* name;
  NativeFn fn;
};

// Shared by bytes and bytearray (results keep the receiver's kind).
const MethodEntry kCommon[] = {
    {"__new__", bytes_new},          {"__repr__", bytes_repr_m},
    {"__len__", bytes_len_m},        {"__eq__", compare_m<test_eq>},
    {"__ne__", compare_m<test_ne>},  {"__lt__", compare_m<test_lt>},
    {"__le__", compare_m<test_le>},  {"__gt__", compare_m<test_gt>},
    {"__ge__", compare_m<test_ge>},  {"__getitem__", bytes_getitem_m},
    {"__contains__", bytes_contains_m}, {"__iter__", bytes_iter_m},
    {"__add__", bytes_add_m},        {"__mul__", bytes_mul_m},
    {"__rmul__", bytes_mul_m},       {"decode", decode_m},
    {"hex", hex_m},                  {"fromhex", fromhex_m},
    {"startswith", affix_m<false>},  {"endswith", affix_m<true>},
    {"find", find_m<false, false>},  {"rfind", find_m<true, false>},
    {"index", find_m<false, true>},  {"rindex", find_m<true, true>},
    {"split", split_m},
    {"strip", strip_m<kBoth>},       {"lstrip", strip_m<kLeft>},
    {"rstrip", strip_m<kRight>},     {"join", join_m},
    {"upper", case_m<true>},         {"lower", case_m<false>},
    {"count", count_m},              {"replace", replace_m},
};

const MethodEntry kByteArrayOnly[] = {
    {"__setitem__", bytearray_setitem_m},
    {"__delitem__", bytearray_delitem_m},
    {"pop", bytearray_pop_m},
    {"insert", bytearray_insert_m},
    {"remove", bytearray_remove_m},
    {"clear", bytearray_clear_m},
    {"copy", bytearray_copy_m},
    {"reverse", bytearray_reverse_m},
    {"append", bytearray_append_m},
    {"extend", bytearray_extend_m},
    {"__iadd__", bytearray_iadd_m},
};

}  // namespace

void init_bytes_type() {
  for (const MethodEntry& m : kCommon) {
    add_method(types.bytes, m.name, m.fn);
    add_method(types.bytearray, m.name, m.fn);
  }
  add_method(types.bytes, "__hash__", bytes_hash_m);
  add_attr(types.bytearray, "__hash__", Value());  // mutable: unhashable
  for (const MethodEntry& m : kByteArrayOnly) add_method(types.bytearray, m.name, m.fn);
}

}  // namespace aio
