// unicodedata: character names (lookup, name) over interp/unicode_name's table.
#include "interp/bytes.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/str.h"
#include "interp/unicode_name.h"
#include "interp/utf8.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

constexpr size_t kNameMaxLength = 256;  // CPython's NAME_MAXLEN

Value unicodedata_lookup(const Args& a) {
  if (!check_args(a, "lookup", 1, 1) || !no_kwargs(a, "lookup")) return Value::raised();
  if (!is_str(a[0]) && !is_byteslike(a[0]))
    return raise(exc.TypeError, "a bytes-like object is required, not '" + type_name(a[0]) + "'");
  const std::string& name = is_str(a[0]) ? str_of(a[0]) : bytes_of(a[0]);
  if (name.size() > kNameMaxLength) return raise_value(make_exception(exc.KeyError, {new_str("name too long")}));
  std::optional<uint32_t> cp = unicode_lookup(name);
  if (!cp) return raise_value(make_exception(exc.KeyError, {new_str("undefined character name '" + name + "'")}));
  return str_char(*cp);
}

Value unicodedata_name(const Args& a) {
  if (!check_args(a, "name", 1, 2) || !no_kwargs(a, "name")) return Value::raised();
  if (!is_str(a[0]) || as<StrObj>(a[0])->length != 1)
    return raise(exc.TypeError, "name() argument 1 must be a unicode character, not " + type_name(a[0]));
  size_t i = 0;
  std::optional<std::string> name = unicode_name(decode_utf8(str_of(a[0]), i));
  if (name) return new_str(std::move(*name));
  if (a.npos == 2) return a[1];
  return raise(exc.ValueError, "no such name");
}

}  // namespace

void init_unicodedata(const Value& module) {
  add_function(module, "lookup", unicodedata_lookup);
  add_function(module, "name", unicodedata_name);
}

}  // namespace aio
