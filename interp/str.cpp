// str's core: construction, UTF-8 walking, hashing, repr, interning, and the fast-path helpers
// (indexing, concatenation, repetition, comparison, membership, iteration) ops.cpp calls directly.
#include "interp/str.h"

#include <cstring>
#include <limits>
#include <unordered_map>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/tuple.h"
#include "interp/unicode.h"

namespace aio {

namespace {

constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
constexpr size_t kAsciiCount = 128;
// Larger results raise MemoryError up front instead of failing inside the allocator.
constexpr uint64_t kMaxStrBytes = uint64_t(1) << 40;

const char kHexDigits[] = "0123456789abcdef";

void append_hex(std::string& out, uint32_t v, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHexDigits[(v >> shift) & 0xF];
}

// \xNN, \uNNNN or \UNNNNNNNN, the shortest form that holds cp, as repr() and ascii() write it.
void append_escape(std::string& out, uint32_t cp) {
  if (cp <= 0xFF) { out += "\\x"; append_hex(out, cp, 2); }
  else if (cp <= 0xFFFF) { out += "\\u"; append_hex(out, cp, 4); }
  else { out += "\\U"; append_hex(out, cp, 8); }
}

}  // namespace

StrObj::StrObj(std::string&& text) : Object(types.str), s(std::move(text)) {
  length = utf8_length(s);
  ascii = length == s.size();
}

size_t utf8_offset(const StrObj* s, size_t index) {
  if (s->ascii) return index;
  size_t i = 0;
  for (; index > 0; --index) {
    ++i;
    while (i < s->s.size() && is_utf8_continuation(s->s[i])) ++i;
  }
  return i;
}

int64_t str_hash(const StrObj* s) {
  if (s->hash != -1) return s->hash;
  uint64_t h = kFnvOffset;
  for (unsigned char c : s->s) h = (h ^ c) * kFnvPrime;
  int64_t r = int64_t(h);
  s->hash = r == -1 ? -2 : r;  // -1 means "not computed yet" (and "error" in CPython)
  return s->hash;
}

bool str_eq(const StrObj* a, const StrObj* b) {
  if (a == b) return true;
  if (a->interned && b->interned) return false;
  if (a->hash != -1 && b->hash != -1 && a->hash != b->hash) return false;
  return a->s == b->s;
}

int str_compare(const StrObj* a, const StrObj* b) {
  int c = a->s.compare(b->s);  // UTF-8 byte order is code point order
  return c < 0 ? -1 : c > 0;
}

bool str_contains(const StrObj* hay, const StrObj* needle) {
  return hay->s.find(needle->s) != std::string::npos;
}

std::string str_repr(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out;
  out.reserve(s.size() + 2);
  out += quote;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    if (cp == uint32_t(quote) || cp == '\\') { out += '\\'; out += char(cp); }
    else if (cp == '\n') out += "\\n";
    else if (cp == '\r') out += "\\r";
    else if (cp == '\t') out += "\\t";
    else if (uni_isprintable(cp)) append_utf8(out, cp);
    else append_escape(out, cp);
  }
  out += quote;
  return out;
}

std::string ascii_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    if (cp < 0x80) out += char(cp);
    else append_escape(out, cp);
  }
  return out;
}

Value str_char(uint32_t cp) {
  static Value cache[kAsciiCount];
  if (cp >= kAsciiCount) {
    std::string s;
    append_utf8(s, cp);
    return Value::adopt(new StrObj(std::move(s)));
  }
  if (cache[cp].is_none()) cache[cp] = Value::adopt(new StrObj(std::string(1, char(cp))));
  return cache[cp];
}

namespace {
Value empty_str() {
  static Value empty = Value::adopt(new StrObj(std::string()));
  return empty;
}
}  // namespace

Value new_str(std::string&& s) {
  if (s.empty()) return empty_str();
  if (s.size() == 1 && (unsigned char)s[0] < kAsciiCount) return str_char((unsigned char)s[0]);
  return Value::adopt(new StrObj(std::move(s)));
}

Value new_str(std::string_view s) { return new_str(std::string(s)); }

Value intern(std::string_view s) {
  // Keys view the text of their own StrObj, which the table keeps alive forever.
  static std::unordered_map<std::string_view, StrObj*> table;
  auto it = table.find(s);
  if (it != table.end()) return Value::borrow(it->second);
  auto* obj = new StrObj(std::string(s));
  obj->interned = true;
  str_hash(obj);
  table.emplace(std::string_view(obj->s), obj);
  return Value::borrow(obj);
}

// ---- fast paths ----

namespace {

// Byte offsets of every code point, plus the end: random access into non-ASCII text.
std::vector<size_t> code_point_offsets(const StrObj* s) {
  std::vector<size_t> offs;
  offs.reserve(s->length + 1);
  for (size_t i = 0; i < s->s.size(); ++i)
    if (!is_utf8_continuation(s->s[i])) offs.push_back(i);
  offs.push_back(s->s.size());
  return offs;
}

Value str_slice(StrObj* s, const Value& slice) {
  SliceBounds b;
  if (!slice_bounds(slice, s->length, b)) return Value::raised();
  if (b.count <= 0) return new_str(std::string());
  if (s->ascii) {
    if (b.step == 1) return new_str(s->s.substr(b.start, b.count));
    std::string out;
    out.reserve(b.count);
    for (int64_t i = 0, j = b.start; i < b.count; ++i, j += b.step) out += s->s[j];
    return new_str(std::move(out));
  }
  std::vector<size_t> offs = code_point_offsets(s);
  if (b.step == 1) return new_str(s->s.substr(offs[b.start], offs[b.start + b.count] - offs[b.start]));
  std::string out;
  for (int64_t i = 0, j = b.start; i < b.count; ++i, j += b.step)
    out.append(s->s, offs[j], offs[j + 1] - offs[j]);
  return new_str(std::move(out));
}

bool is_index_like(const Value& v) {
  if (v.is_int() || v.is_bool() || isinstance(v, types.int_)) return true;
  static Value index_name = intern("__index__");
  return v.is_obj() && type_lookup(type_of(v), index_name) != nullptr;
}

}  // namespace

Value str_getitem(StrObj* s, const Value& index) {
  if (isinstance(index, types.slice)) return str_slice(s, index);
  if (!is_index_like(index))
    return raise(exc.TypeError, "string indices must be integers, not '" + type_name(index) + "'");
  int64_t i;
  if (!index_of(index, i)) return Value::raised();
  if (!normalize_index(i, s->length)) return raise(exc.IndexError, "string index out of range");
  if (s->ascii) return str_char((unsigned char)s->s[i]);
  size_t at = utf8_offset(s, i);
  return str_char(decode_utf8(s->s, at));
}

Value str_concat(const StrObj* a, const StrObj* b) {
  if (b->s.empty()) return Value::borrow(const_cast<StrObj*>(a));
  if (a->s.empty()) return Value::borrow(const_cast<StrObj*>(b));
  std::string out;
  out.reserve(a->s.size() + b->s.size());
  out += a->s;
  out += b->s;
  return new_str(std::move(out));
}

void str_append(StrObj* s, const StrObj* tail) {
  s->s += tail->s;
  s->length += tail->length;
  s->ascii = s->ascii && tail->ascii;
  s->hash = -1;
}

Value str_repeat(const StrObj* s, int64_t n) {
  if (n <= 0 || s->s.empty()) return new_str(std::string());
  if (n == 1) return Value::borrow(const_cast<StrObj*>(s));
  if (s->s.size() > uint64_t(std::numeric_limits<int64_t>::max()) / uint64_t(n))
    return raise(exc.OverflowError, "repeated string is too long");
  if (s->s.size() * uint64_t(n) > kMaxStrBytes) return raise_value(make_exception(exc.MemoryError, {}));
  std::string out;
  out.reserve(s->s.size() * n);
  for (int64_t i = 0; i < n; ++i) out += s->s;
  return new_str(std::move(out));
}

// ---- iteration ----

namespace {

struct StrIterObj : Object {
  Value str;
  size_t pos = 0;  // byte offset of the next code point
  StrIterObj(Type* t, Value s) : Object(t), str(std::move(s)) {}
};

Type* str_iter_type() {
  static Type* t = new Type("str_iterator", types.object);
  return t;
}

bool str_iter_next_obj(Object* o, Value& out) {
  auto* i = static_cast<StrIterObj*>(o);
  const std::string& s = str_of(i->str);
  if (i->pos >= s.size()) { out = Value(); return false; }
  out = str_char(decode_utf8(s, i->pos));
  return true;
}

Value str_iter_next(const Args& a) {
  Value out;
  if (str_iter_next_obj(a[0].obj(), out)) return out;
  return raise_value(make_exception(exc.StopIteration, {}));
}

Value str_iter_self(const Args& a) { return a[0]; }

}  // namespace

Value str_iter(const Value& s) { return Value::adopt(new StrIterObj(str_iter_type(), s)); }

bool str_iter_step(const Value& it, Value& out) { return str_iter_next_obj(it.obj(), out); }

bool is_str_iter(const Value& v) { return is_exact(v, str_iter_type()); }

void init_str_iter_type() {
  str_iter_type()->iternext = str_iter_next_obj;
  add_method(str_iter_type(), "__next__", str_iter_next);
  add_method(str_iter_type(), "__iter__", str_iter_self);
}

}  // namespace aio
