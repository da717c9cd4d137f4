// bytes and bytearray: byte strings, immutable and mutable, sharing one object layout.
// Also the codecs between them and str (utf-8, ascii, latin-1).
#pragma once
#include <string>
#include <string_view>

#include "interp/object.h"

namespace aio {

// The type is types.bytes or types.bytearray; only a bytearray's data ever changes.
struct BytesObj : Object {
  std::string data;
  mutable int64_t hash = -1;
  BytesObj(Type* t, std::string d) : Object(t), data(std::move(d)) {}
};

Value new_bytes(std::string data);
Value new_bytearray(std::string data);
inline bool is_bytes(const Value& v) { return v.is_obj() && isinstance(v, types.bytes); }
inline bool is_bytearray(const Value& v) { return v.is_obj() && isinstance(v, types.bytearray); }
// bytes or bytearray: what "a bytes-like object" means here.
inline bool is_byteslike(const Value& v) { return is_bytes(v) || is_bytearray(v); }
inline const std::string& bytes_of(const Value& v) { return as<BytesObj>(v)->data; }

// b'...' as CPython writes it: quotes chosen as for str, \t \n \r \\ and \xNN escapes.
std::string bytes_repr(std::string_view data);
int64_t bytes_hash(const BytesObj* b);

// Codecs: utf-8 (the default), ascii, latin-1; errors "strict", "ignore", "replace", and for
// encoding also "backslashreplace". Raise LookupError for an unknown encoding and
// UnicodeDecodeError / UnicodeEncodeError with CPython's messages.
Value bytes_decode(std::string_view data, std::string_view encoding, std::string_view errors);
Value str_encode(std::string_view text, std::string_view encoding, std::string_view errors);

void init_bytes_type();

}  // namespace aio
