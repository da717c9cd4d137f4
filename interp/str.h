// str: immutable UTF-8 text with a cached code-point count and hash.
#pragma once
#include <string>

#include "interp/object.h"
#include "interp/utf8.h"

namespace aio {

struct StrObj : Object {
  std::string s;
  size_t length;       // in code points
  bool ascii;          // every byte < 0x80: indexing by byte is indexing by code point
  bool interned = false;
  mutable int64_t hash = -1;
  explicit StrObj(std::string&& text);
};

inline const std::string& str_of(const Value& v) { return as<StrObj>(v)->s; }
inline bool is_str(const Value& v) { return v.is_obj() && isinstance(v, types.str); }

// Byte offset of code point `index` (index <= length).
size_t utf8_offset(const StrObj* s, size_t index);
int64_t str_hash(const StrObj* s);
bool str_eq(const StrObj* a, const StrObj* b);
// Python's repr of a str: quotes chosen as CPython does, escapes for control characters.
std::string str_repr(std::string_view s);
// One code point as a str (cached for ASCII).
Value str_char(uint32_t cp);

// str.isidentifier().
bool str_is_identifier(std::string_view s);

// ascii(): repr text with every non-ASCII code point escaped (\xNN, \uNNNN, \UNNNNNNNN).
std::string ascii_escape(std::string_view s);

// ---- fast paths for ops.cpp ----
// s[index] or s[slice], by code point.
Value str_getitem(StrObj* s, const Value& index_or_slice);
Value str_concat(const StrObj* a, const StrObj* b);
// Appends tail to s in place: only for a non-interned str no other holder can observe.
void str_append(StrObj* s, const StrObj* tail);
Value str_repeat(const StrObj* s, int64_t n);
int str_compare(const StrObj* a, const StrObj* b);  // -1, 0, 1 in code point order
bool str_contains(const StrObj* haystack, const StrObj* needle);
// An iterator over the code points of s (a str Value).
Value str_iter(const Value& s);
bool is_str_iter(const Value& it);
// next() on a str iterator without a call: false at exhaustion (out None); never raises.
bool str_iter_step(const Value& it, Value& out);
// fmt % args, printf-style.
Value str_mod(const Value& fmt, const Value& args);
// fmt.format(*args, **kwargs) with a.pos[0] = fmt, as the native method receives it.
Value str_format(const Args& a);
Value str_format_map(const Args& a);  // a.pos[0] = fmt, a.pos[1] = the mapping

void init_str_type();
void init_str_iter_type();  // called by init_str_type

}  // namespace aio
