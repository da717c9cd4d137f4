// _json: the encoder and the scanner behind json.aio, following CPython's json package
// (encoder.py's output layout, _json.c's scanner and its error messages and positions).
// Positions reported to scripts are code-point indices, as CPython's; the scanner works on bytes.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/float_repr.h"
#include "interp/int.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

constexpr int kMaxDepth = 1000;  // nesting limit, as CPython's default recursion limit
constexpr uint32_t kFirstNonControl = 0x20;
constexpr uint32_t kDelete = 0x7F;  // escaped only when the output is ASCII

Type* decode_error_type = nullptr;

// ---- JSONDecodeError(msg, doc, pos) ----

// Fills the error's args and its msg/doc/pos/lineno/colno attributes (pos counts code points).
bool fill_decode_error(const Value& self, const Args& a) {
  if (!check_args(a, "JSONDecodeError", 4, 4)) return false;
  int64_t pos;
  if (!index_of(a[3], pos)) return false;
  if (!is_str(a[2])) {
    raise(exc.TypeError, "JSONDecodeError: doc must be a str");
    return false;
  }
  const auto* doc = as<StrObj>(a[2]);
  size_t end = utf8_offset(doc, std::min<size_t>(pos < 0 ? 0 : size_t(pos), doc->length));
  std::string_view before = std::string_view(doc->s).substr(0, end);
  size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  int64_t lineno = 1 + int64_t(std::count(before.begin(), before.end(), '\n'));
  int64_t colno = 1 + int64_t(utf8_length(before.substr(line_start)));
  std::string msg;
  if (!str_string(a[1], msg)) return false;
  auto* e = as<ExcObj>(self);
  e->args = new_tuple({new_str(msg + ": line " + std::to_string(lineno) + " column " + std::to_string(colno) +
                               " (char " + std::to_string(pos) + ")")});
  dict_set_str(e->dict, intern("msg"), a[1]);
  dict_set_str(e->dict, intern("doc"), a[2]);
  dict_set_str(e->dict, intern("pos"), Value::integer(pos));
  dict_set_str(e->dict, intern("lineno"), Value::integer(lineno));
  dict_set_str(e->dict, intern("colno"), Value::integer(colno));
  return true;
}

// Native types get no __init__ call after __new__, so __new__ fills the error too.
Value decode_error_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  Value e = Value::adopt(cls->alloc(cls));
  return fill_decode_error(e, a) ? e : Value::raised();
}

Value decode_error_init(const Args& a) { return fill_decode_error(a[0], a) ? Value() : Value::raised(); }

// Raises JSONDecodeError(msg, doc, pos) with pos given as a byte offset into doc.
Value raise_decode_error(const char* msg, const Value& doc, size_t byte_pos) {
  int64_t pos = int64_t(utf8_length(std::string_view(str_of(doc)).substr(0, byte_pos)));
  Value e = call(Value::borrow(decode_error_type), {new_str(msg), doc, Value::integer(pos)});
  return e.is_raised() ? e : raise_value(std::move(e));
}

// ---- encoding ----

struct Encoder {
  std::string indent;  // empty with has_indent false: single-line output
  bool has_indent = false;
  std::string item_sep, key_sep;
  bool sort_keys = false, skipkeys = false, ensure_ascii = true, allow_nan = true, check_circular = true;
  Value default_fn;
  std::vector<const Object*> markers;  // containers being encoded, for the circular check
  std::string out;
};

void escape_into(std::string& out, std::string_view s, bool ensure_ascii) {
  static const char* kHex = "0123456789abcdef";
  auto u_escape = [&](uint32_t cp) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
  };
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t start = i;
      uint32_t cp = decode_utf8(s, i);
      if (!ensure_ascii) {
        out.append(s.substr(start, i - start));
      } else if (cp >= 0x10000) {
        cp -= 0x10000;
        u_escape(0xD800 | (cp >> 10));
        u_escape(0xDC00 | (cp & 0x3FF));
      } else {
        u_escape(cp);
      }
      continue;
    }
    i++;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < kFirstNonControl || (ensure_ascii && c == kDelete)) u_escape(c);
        else out += char(c);
    }
  }
  out += '"';
}

// float.__repr__ with JSON's names for the non-finite values.
bool float_text(const Encoder& en, double d, std::string& out) {
  if (std::isfinite(d)) {
    out += float_repr(d);
    return true;
  }
  if (!en.allow_nan) {
    raise(exc.ValueError, "Out of range float values are not JSON compliant");
    return false;
  }
  out += std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  return true;
}

// int.__repr__ even for subclasses (an IntEnum encodes as its number).
bool int_text(const Value& v, std::string& out) {
  std::string digits;
  if (is_intlike(v)) {
    if (!int_to_decimal(v, digits)) return false;
    out += digits;
    return true;
  }
  Value r = call(*type_lookup(types.int_, intern("__repr__")), {v});
  if (r.is_raised()) return false;
  out += str_of(r);
  return true;
}

// The double of a float or float subclass instance; false: raised.
bool float_of(const Value& v, double& out) {
  Value f = v.is_float() ? v : call(Value::borrow(types.float_), {v});
  if (f.is_raised()) return false;
  out = f.as_float();
  return true;
}

bool encode(Encoder& en, const Value& v, int level);

void newline(Encoder& en, int level) {
  en.out += '\n';
  for (int i = 0; i < level; i++) en.out += en.indent;
}

// Pushes a container on the circular-reference stack; false (raised) when it is already there.
bool enter(Encoder& en, const Value& v) {
  if (!en.check_circular) return true;
  for (const Object* o : en.markers)
    if (o == v.obj()) {
      raise(exc.ValueError, "Circular reference detected");
      return false;
    }
  en.markers.push_back(v.obj());
  return true;
}

void leave(Encoder& en) {
  if (en.check_circular) en.markers.pop_back();
}

bool encode_list(Encoder& en, const Value& v, const std::vector<Value>& items, int level) {
  if (items.empty()) {
    en.out += "[]";
    return true;
  }
  if (!enter(en, v)) return false;
  en.out += '[';
  for (size_t i = 0; i < items.size(); i++) {
    if (i) en.out += en.item_sep;
    if (en.has_indent) newline(en, level + 1);
    if (!encode(en, items[i], level + 1)) return false;
  }
  if (en.has_indent) newline(en, level);
  en.out += ']';
  leave(en);
  return true;
}

// A dict key as JSON text (always a string); false with nothing raised: skip it.
bool key_text(Encoder& en, const Value& key, std::string& out, bool& skip) {
  skip = false;
  double d;
  if (is_str(key)) out = str_of(key);
  else if (isinstance(key, types.float_)) return float_of(key, d) && float_text(en, d, out);
  else if (key.is_bool()) out = key.as_bool() ? "true" : "false";
  else if (key.is_none()) out = "null";
  else if (isinstance(key, types.int_)) return int_text(key, out);
  else if (en.skipkeys) skip = true;
  else {
    raise(exc.TypeError, "keys must be str, int, float, bool or None, not " + type_name(key));
    return false;
  }
  return true;
}

bool encode_dict(Encoder& en, const Value& v, int level) {
  DictObj* d = as_dict(v);
  if (dict_len(d) == 0) {
    en.out += "{}";
    return true;
  }
  if (!enter(en, v)) return false;
  std::vector<Value> items;
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(d, pos, e)) items.push_back(new_tuple({e->key, e->value}));
  if (en.sort_keys) {
    Value list = new_list(std::move(items));
    if (call_method(list, "sort", {}).is_raised()) return false;
    items = std::move(list_items(list));
  }
  en.out += '{';
  bool first = true;
  for (const Value& item : items) {
    const Value& key = tuple_items(item)[0];
    std::string text;
    bool skip;
    if (!key_text(en, key, text, skip)) return false;
    if (skip) continue;
    if (!first) en.out += en.item_sep;
    first = false;
    if (en.has_indent) newline(en, level + 1);
    escape_into(en.out, text, en.ensure_ascii);
    en.out += en.key_sep;
    if (!encode(en, tuple_items(item)[1], level + 1)) return false;
  }
  if (en.has_indent) newline(en, level);
  en.out += '}';
  leave(en);
  return true;
}

bool encode(Encoder& en, const Value& v, int level) {
  if (is_str(v)) {
    escape_into(en.out, str_of(v), en.ensure_ascii);
    return true;
  }
  if (v.is_none()) { en.out += "null"; return true; }
  if (v.is_bool()) { en.out += v.as_bool() ? "true" : "false"; return true; }
  if (isinstance(v, types.int_)) return int_text(v, en.out);
  double d;
  if (isinstance(v, types.float_)) return float_of(v, d) && float_text(en, d, en.out);
  if (level >= kMaxDepth) {
    raise(exc.RecursionError, "maximum recursion depth exceeded while encoding a JSON object");
    return false;
  }
  if (isinstance(v, types.list) || isinstance(v, types.tuple))
    return encode_list(en, v, isinstance(v, types.list) ? list_items(v) : tuple_items(v), level);
  if (isinstance(v, types.dict)) return encode_dict(en, v, level);
  if (!enter(en, v)) return false;
  Value r = call(en.default_fn, {v});
  if (r.is_raised() || !encode(en, r, level + 1)) return false;
  leave(en);
  return true;
}

// Reads one encoder attribute as a truth value.
bool flag(const Value& obj, const char* name, bool& out) {
  Value v = getattr(obj, name);
  if (v.is_raised()) return false;
  int t = truthy(v);
  out = t > 0;
  return t >= 0;
}

bool text_attr(const Value& obj, const char* name, std::string& out) {
  Value v = getattr(obj, name);
  if (v.is_raised()) return false;
  if (!is_str(v)) {
    raise(exc.TypeError, std::string(name) + " must be a str, not " + type_name(v));
    return false;
  }
  out = str_of(v);
  return true;
}

// encode(encoder, o): the JSON text of o with the encoder's settings (the attributes that
// json.JSONEncoder.__init__ sets; its default method is called for unknown types).
Value json_encode(const Args& a) {
  if (!check_args(a, "encode", 2, 2)) return Value::raised();
  const Value& self = a[0];
  Encoder en;
  if (!flag(self, "sort_keys", en.sort_keys) || !flag(self, "skipkeys", en.skipkeys) ||
      !flag(self, "ensure_ascii", en.ensure_ascii) || !flag(self, "allow_nan", en.allow_nan) ||
      !flag(self, "check_circular", en.check_circular) || !text_attr(self, "item_separator", en.item_sep) ||
      !text_attr(self, "key_separator", en.key_sep))
    return Value::raised();
  Value indent = getattr(self, "indent");
  if (indent.is_raised()) return indent;
  if (!indent.is_none()) {
    en.has_indent = true;
    int64_t n;
    if (is_str(indent)) en.indent = str_of(indent);
    else if (!index_of(indent, n)) return Value::raised();
    else en.indent.assign(n > 0 ? size_t(n) : 0, ' ');
  }
  en.default_fn = getattr(self, "default");
  if (en.default_fn.is_raised()) return en.default_fn;
  if (!encode(en, a[1], 0)) return Value::raised();
  return new_str(std::move(en.out));
}

// ---- decoding ----

struct Decoder {
  Value doc;
  std::string_view s;
  Value object_hook, pairs_hook, parse_float, parse_int, parse_constant;
  bool strict = true;
  int depth = 0;
};

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
size_t skip_ws(const Decoder& d, size_t i) {
  while (i < d.s.size() && is_ws(d.s[i])) i++;
  return i;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool scan(Decoder& d, size_t i, Value& out, size_t& end);

int hex4(std::string_view s, size_t i) {
  int v = 0;
  for (size_t k = i; k < i + 4; k++) {
    char c = s[k];
    int x = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (x < 0) return -1;
    v = v * 16 + x;
  }
  return v;
}

// The string whose opening quote is at i - 1.
bool scan_string(Decoder& d, size_t i, Value& out, size_t& end) {
  std::string_view s = d.s;
  size_t begin = i - 1;
  std::string text;
  for (;;) {
    size_t chunk = i;
    while (i < s.size() && s[i] != '"' && s[i] != '\\') {
      if ((unsigned char)s[i] < kFirstNonControl && d.strict) {
        raise_decode_error("Invalid control character at", d.doc, i);
        return false;
      }
      i++;
    }
    if (i >= s.size()) {
      raise_decode_error("Unterminated string starting at", d.doc, begin);
      return false;
    }
    text.append(s.substr(chunk, i - chunk));
    if (s[i++] == '"') break;
    if (i == s.size()) {
      raise_decode_error("Unterminated string starting at", d.doc, begin);
      return false;
    }
    char c = s[i];
    if (c != 'u') {
      static const std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
      size_t k = kFrom.find(c);
      if (k == std::string_view::npos) {
        raise_decode_error("Invalid \\escape", d.doc, i - 1);
        return false;
      }
      text += kTo[k];
      i++;
      continue;
    }
    i++;
    int cp = i + 4 < s.size() ? hex4(s, i) : -1;
    if (cp < 0) {
      raise_decode_error("Invalid \\uXXXX escape", d.doc, i - 1);
      return false;
    }
    i += 4;
    // A high surrogate followed by an escaped low one is a single code point.
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < s.size() && s[i] == '\\' && s[i + 1] == 'u') {
      int lo = hex4(s, i + 2);
      if (lo < 0) {
        raise_decode_error("Invalid \\uXXXX escape", d.doc, i + 1);
        return false;
      }
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 6;
      }
    }
    append_utf8(text, uint32_t(cp));
  }
  end = i;
  out = new_str(std::move(text));
  return true;
}

Value expecting_value(const Decoder& d, size_t i) { return raise_decode_error("Expecting value", d.doc, i); }

// Nested containers share one depth counter.
bool deeper(Decoder& d, const char* what) {
  if (++d.depth <= kMaxDepth) return true;
  raise(exc.RecursionError, std::string("maximum recursion depth exceeded while decoding a JSON ") + what +
                                " from a unicode string");
  return false;
}

// After an array item or an object member: at `close` (i on it), or past a comma and the
// whitespace after it (More); anything else raises "Expecting ',' delimiter".
enum class Next { Close, More, Error };
Next after_item(Decoder& d, size_t& i, char close) {
  i = skip_ws(d, i);
  if (i < d.s.size() && d.s[i] == close) return Next::Close;
  if (i >= d.s.size() || d.s[i] != ',') {
    raise_decode_error("Expecting ',' delimiter", d.doc, i);
    return Next::Error;
  }
  i = skip_ws(d, i + 1);
  return Next::More;
}

bool scan_array(Decoder& d, size_t i, Value& out, size_t& end) {
  if (!deeper(d, "array")) return false;
  std::vector<Value> items;
  i = skip_ws(d, i);
  if (i >= d.s.size() || d.s[i] != ']') {
    for (;;) {
      Value item;
      if (!scan(d, i, item, i)) return false;
      items.push_back(std::move(item));
      Next next = after_item(d, i, ']');
      if (next == Next::Error) return false;
      if (next == Next::Close) break;
    }
  }
  d.depth--;
  end = i + 1;
  out = new_list(std::move(items));
  return true;
}

// Builds the object from its pairs through object_pairs_hook, or a dict through object_hook.
bool finish_object(Decoder& d, std::vector<Value>&& pairs, Value& out) {
  if (!d.pairs_hook.is_none()) {
    out = call(d.pairs_hook, {new_list(std::move(pairs))});
    return !out.is_raised();
  }
  Value dict = new_dict();
  for (const Value& p : pairs)
    if (!dict_set(as_dict(dict), tuple_items(p)[0], tuple_items(p)[1])) return false;
  out = d.object_hook.is_none() ? dict : call(d.object_hook, {dict});
  return !out.is_raised();
}

bool scan_object(Decoder& d, size_t i, Value& out, size_t& end) {
  if (!deeper(d, "object")) return false;
  std::vector<Value> pairs;
  i = skip_ws(d, i);
  if (i >= d.s.size() || d.s[i] != '}') {
    for (;;) {
      if (i >= d.s.size() || d.s[i] != '"') {
        raise_decode_error("Expecting property name enclosed in double quotes", d.doc, i);
        return false;
      }
      Value key, value;
      if (!scan_string(d, i + 1, key, i)) return false;
      i = skip_ws(d, i);
      if (i >= d.s.size() || d.s[i] != ':') {
        raise_decode_error("Expecting ':' delimiter", d.doc, i);
        return false;
      }
      i = skip_ws(d, i + 1);
      if (!scan(d, i, value, i)) return false;
      pairs.push_back(new_tuple({std::move(key), std::move(value)}));
      Next next = after_item(d, i, '}');
      if (next == Next::Error) return false;
      if (next == Next::Close) break;
    }
  }
  d.depth--;
  end = i + 1;
  return finish_object(d, std::move(pairs), out);
}

// A number as the scanner's regex reads it: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?
bool scan_number(Decoder& d, size_t start, Value& out, size_t& end) {
  std::string_view s = d.s;
  size_t i = start;
  if (i < s.size() && s[i] == '-') i++;
  if (i < s.size() && s[i] >= '1' && s[i] <= '9') {
    while (i < s.size() && is_digit(s[i])) i++;
  } else if (i < s.size() && s[i] == '0') {
    i++;
  } else {
    expecting_value(d, start);
    return false;
  }
  bool is_float = false;
  if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
    is_float = true;
    i += 2;
    while (i < s.size() && is_digit(s[i])) i++;
  }
  if (i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t e = i++;
    if (i + 1 < s.size() && (s[i] == '-' || s[i] == '+')) i++;
    while (i < s.size() && is_digit(s[i])) i++;
    if (is_digit(s[i - 1])) is_float = true;
    else i = e;
  }
  std::string text(s.substr(start, i - start));
  end = i;
  const Value& hook = is_float ? d.parse_float : d.parse_int;
  if (!hook.is_none()) out = call(hook, {new_str(text)});
  else if (is_float) out = Value::real(strtod(text.c_str(), nullptr));
  else out = make_int(*BigInt::parse(text, 10));
  return !out.is_raised();
}

bool scan_constant(Decoder& d, const char* name, size_t len, size_t i, Value& out, size_t& end) {
  out = call(d.parse_constant, {new_str(name)});
  end = i + len;
  return !out.is_raised();
}

bool scan(Decoder& d, size_t i, Value& out, size_t& end) {
  std::string_view s = d.s;
  if (i >= s.size()) {
    expecting_value(d, i);
    return false;
  }
  auto at = [&](std::string_view word) { return s.substr(i, word.size()) == word; };
  switch (s[i]) {
    case '"': return scan_string(d, i + 1, out, end);
    case '{': return scan_object(d, i + 1, out, end);
    case '[': return scan_array(d, i + 1, out, end);
    case 'n': if (at("null")) { out = Value(); end = i + 4; return true; } break;
    case 't': if (at("true")) { out = Value::boolean(true); end = i + 4; return true; } break;
    case 'f': if (at("false")) { out = Value::boolean(false); end = i + 5; return true; } break;
    case 'N': if (at("NaN")) return scan_constant(d, "NaN", 3, i, out, end); break;
    case 'I': if (at("Infinity")) return scan_constant(d, "Infinity", 8, i, out, end); break;
    case '-': if (at("-Infinity")) return scan_constant(d, "-Infinity", 9, i, out, end); break;
    default: break;
  }
  return scan_number(d, i, out, end);
}

Value constant_value(const Args& a) {
  const std::string& name = str_of(a[0]);
  return Value::real(name == "NaN" ? NAN : name == "Infinity" ? INFINITY : -INFINITY);
}

// The decoder's hooks: the attributes json.JSONDecoder.__init__ sets.
bool read_decoder(const Value& self, const Value& doc, Decoder& d) {
  if (!is_str(doc)) {
    raise(exc.TypeError, "first argument must be a string, not " + type_name(doc));
    return false;
  }
  d.doc = doc;
  d.s = str_of(doc);
  struct Hook { const char* name; Value* slot; };
  for (const Hook& h : {Hook{"object_hook", &d.object_hook}, Hook{"object_pairs_hook", &d.pairs_hook},
                        Hook{"parse_float", &d.parse_float}, Hook{"parse_int", &d.parse_int},
                        Hook{"parse_constant", &d.parse_constant}}) {
    *h.slot = getattr(self, h.name);
    if (h.slot->is_raised()) return false;
  }
  if (d.parse_constant.is_none()) d.parse_constant = new_native("parse_constant", constant_value);
  // float and int as hooks mean the built-in conversions.
  if (d.parse_float.is_obj() && d.parse_float.obj() == types.float_) d.parse_float = Value();
  if (d.parse_int.is_obj() && d.parse_int.obj() == types.int_) d.parse_int = Value();
  return flag(self, "strict", d.strict);
}

// raw_decode(decoder, s, idx): (value, end) for the JSON document starting at code point idx.
Value json_raw_decode(const Args& a) {
  if (!check_args(a, "raw_decode", 3, 3)) return Value::raised();
  Decoder d;
  int64_t idx;
  if (!read_decoder(a[0], a[1], d) || !index_of(a[2], idx)) return Value::raised();
  if (idx < 0) return raise(exc.ValueError, "idx cannot be negative");
  const auto* str = as<StrObj>(a[1]);
  if (size_t(idx) > str->length) return expecting_value(d, d.s.size());
  Value out;
  size_t end;
  if (!scan(d, utf8_offset(str, size_t(idx)), out, end)) return Value::raised();
  return new_tuple({std::move(out), Value::integer(int64_t(utf8_length(d.s.substr(0, end))))});
}

// decode(decoder, s): the one JSON document in s, with only whitespace around it.
Value json_decode(const Args& a) {
  if (!check_args(a, "decode", 2, 2)) return Value::raised();
  Decoder d;
  if (!read_decoder(a[0], a[1], d)) return Value::raised();
  Value out;
  size_t end;
  if (!scan(d, skip_ws(d, 0), out, end)) return Value::raised();
  end = skip_ws(d, end);
  if (end != d.s.size()) return raise_decode_error("Extra data", d.doc, end);
  return out;
}

}  // namespace

void init_json_native(const Value& module) {
  if (!decode_error_type) {
    decode_error_type = new Type("JSONDecodeError", exc.ValueError);
    decode_error_type->module = "json.decoder";
    add_method(decode_error_type, "__new__", decode_error_new);
    add_method(decode_error_type, "__init__", decode_error_init);
  }
  dict_set_str(module_dict(module), intern("JSONDecodeError"), Value::borrow(decode_error_type));
  add_function(module, "encode", json_encode);
  add_function(module, "decode", json_decode);
  add_function(module, "raw_decode", json_raw_decode);
}

}  // namespace aio
