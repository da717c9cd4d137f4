// Unicode character names, for \N{...} escapes and unicodedata: a table generated at build time
// from UnicodeData.txt (tools/unicode_names.cmake), plus the CJK ideograph and Hangul syllable
// names, which follow rules rather than the table.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aio {

// The code point a name (or name alias) stands for. Case does not matter, except in the
// rule-named "CJK UNIFIED IDEOGRAPH-XXXX" and "HANGUL SYLLABLE ..." (as CPython).
std::optional<uint32_t> unicode_lookup(std::string_view name);
// The name of a code point; nullopt for those without one.
std::optional<std::string> unicode_name(uint32_t cp);

}  // namespace aio
