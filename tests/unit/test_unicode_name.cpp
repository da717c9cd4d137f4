// The Unicode name table: lookups by name (table, aliases, rule-named ranges) and by code point.
#include <catch2/catch.hpp>

#include "interp/unicode_name.h"

using namespace aio;

TEST_CASE("names to code points", "[test_unicode_name]") {
  CHECK(unicode_lookup("LATIN SMALL LETTER A") == 0x61u);
  CHECK(unicode_lookup("latin small letter a") == 0x61u);
  CHECK(unicode_lookup("SPACE") == 0x20u);
  CHECK(unicode_lookup("ZERO WIDTH SPACE") == 0x200Bu);
  CHECK(unicode_lookup("GRINNING FACE") == 0x1F600u);
  CHECK(unicode_lookup("BEL") == 0x7u);  // an alias
  CHECK(unicode_lookup("CJK UNIFIED IDEOGRAPH-20000") == 0x20000u);
  CHECK(unicode_lookup("HANGUL SYLLABLE HIH") == 0xD7A3u);
  CHECK_FALSE(unicode_lookup("CJK UNIFIED IDEOGRAPH-A000"));
  CHECK_FALSE(unicode_lookup("HANGUL SYLLABLE GAX"));
  CHECK_FALSE(unicode_lookup("LATIN SMALL LETTER"));
  CHECK_FALSE(unicode_lookup(""));
  CHECK_FALSE(unicode_lookup("ZZZZ"));
}

TEST_CASE("code points to names", "[test_unicode_name]") {
  CHECK(unicode_name(0x61) == "LATIN SMALL LETTER A");
  CHECK(unicode_name(0x2603) == "SNOWMAN");
  CHECK(unicode_name(0xF900) == "CJK COMPATIBILITY IDEOGRAPH-F900");
  CHECK(unicode_name(0x4E00) == "CJK UNIFIED IDEOGRAPH-4E00");
  CHECK(unicode_name(0xAC00) == "HANGUL SYLLABLE GA");
  CHECK_FALSE(unicode_name(0x7));  // control characters have only aliases
  CHECK_FALSE(unicode_name(0xE000));
  // Every name of the BMP reads back as its code point.
  for (uint32_t cp = 0; cp < 0x10000; cp++)
    if (auto name = unicode_name(cp)) CHECK(unicode_lookup(*name) == cp);
}
