// Unicode classes: ASCII from <cctype>-free tables, the rest from glibc's C.UTF-8 locale plus the
// ranges where Python's categories (Nd, No, Nl, Zs, Cf, Co) decide differently from C's classes.
#include "interp/unicode.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <iterator>

#include "interp/str.h"

namespace aio {
namespace {

struct Range { uint32_t lo, hi; };

template <size_t N>
bool in_ranges(const Range (&rs)[N], uint32_t cp) {
  auto it = std::upper_bound(std::begin(rs), std::end(rs), cp,
                             [](uint32_t c, const Range& r) { return c < r.lo; });
  return it != std::begin(rs) && cp <= std::prev(it)->hi;
}

// The first code point ("zero") of each run of ten decimal digits (category Nd), sorted.
constexpr uint32_t kDecimalZeros[] = {
    0x30,    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,
    0xBE6,   0xC66,   0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,
    0x1090,  0x17E0,  0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,
    0x1C40,  0x1C50,  0xA620,  0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,
    0xFF10,  0x104A0, 0x11066, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E950,
    0x1FBF0};
constexpr uint32_t kDecimalRun = 10;

// Digits that are not decimal: superscripts, subscripts, circled and Ethiopic digits.
constexpr Range kOtherDigits[] = {
    {0xB2, 0xB3},     {0xB9, 0xB9},     {0x1369, 0x1371}, {0x19DA, 0x19DA}, {0x2070, 0x2070},
    {0x2074, 0x2079}, {0x2080, 0x2089}, {0x2460, 0x2468}, {0x2474, 0x247C}, {0x2488, 0x2490},
    {0x24EA, 0x24EA}, {0x24F5, 0x24FD}, {0x24FF, 0x24FF}, {0x2776, 0x277E}, {0x2780, 0x2788},
    {0x278A, 0x2792}};

// Numerics that are not digits: fractions, Roman numerals, larger circled numbers, CJK numerals.
constexpr Range kOtherNumerics[] = {
    {0xBC, 0xBE},     {0x2150, 0x2182}, {0x2185, 0x2189}, {0x2469, 0x2473}, {0x247D, 0x2487},
    {0x2491, 0x249B}, {0x24EB, 0x24F4}, {0x24FE, 0x24FE}, {0x277F, 0x277F}, {0x2789, 0x2789},
    {0x2793, 0x2793}, {0x3007, 0x3007}, {0x3021, 0x3029}, {0x3038, 0x303A}, {0x4E00, 0x4E00},
    {0x4E03, 0x4E03}, {0x4E07, 0x4E07}, {0x4E09, 0x4E09}, {0x4E5D, 0x4E5D}, {0x4E8C, 0x4E8C},
    {0x4E94, 0x4E94}, {0x516B, 0x516B}, {0x516D, 0x516D}, {0x5341, 0x5341}, {0x5343, 0x5343},
    {0x56DB, 0x56DB}, {0x767E, 0x767E}, {0x96F6, 0x96F6}};

constexpr Range kSpaces[] = {{0x09, 0x0D}, {0x1C, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},
                             {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029},
                             {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}};

constexpr Range kLineBreaks[] = {{0x0A, 0x0D}, {0x1C, 0x1E}, {0x85, 0x85}, {0x2028, 0x2029}};

// Not printable for repr(): controls (Cc), separators other than ' ' (Zs, Zl, Zp), format
// characters (Cf), surrogates and private use; unassigned code points are left to glibc.
constexpr Range kUnprintable[] = {
    {0x00, 0x1F},       {0x7F, 0xA0},       {0xAD, 0xAD},       {0x600, 0x605},
    {0x61C, 0x61C},     {0x6DD, 0x6DD},     {0x70F, 0x70F},     {0x890, 0x891},
    {0x8E2, 0x8E2},     {0x1680, 0x1680},   {0x180E, 0x180E},   {0x2000, 0x200F},
    {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},
    {0xD800, 0xF8FF},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
    {0xF0000, 0x10FFFF}};

locale_t utf8_locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr);
  return loc;
}

bool is_ascii_letter(uint32_t cp) { return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'; }

}  // namespace

bool uni_isspace(uint32_t cp) { return in_ranges(kSpaces, cp); }
bool uni_islinebreak(uint32_t cp) { return in_ranges(kLineBreaks, cp); }

bool uni_isdecimal(uint32_t cp) {
  auto it = std::upper_bound(std::begin(kDecimalZeros), std::end(kDecimalZeros), cp);
  return it != std::begin(kDecimalZeros) && cp - *std::prev(it) < kDecimalRun;
}

bool uni_isdigit(uint32_t cp) { return uni_isdecimal(cp) || in_ranges(kOtherDigits, cp); }
bool uni_isnumeric(uint32_t cp) { return uni_isdigit(cp) || in_ranges(kOtherNumerics, cp); }

bool uni_isalpha(uint32_t cp) {
  if (cp < 0x80) return is_ascii_letter(cp);
  locale_t loc = utf8_locale();
  // glibc files other scripts' digits under alpha; Python does not.
  return loc && iswalpha_l(cp, loc) && !uni_isnumeric(cp);
}

bool uni_isupper(uint32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  locale_t loc = utf8_locale();
  return loc && iswupper_l(cp, loc);
}

bool uni_islower(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  locale_t loc = utf8_locale();
  return loc && (iswlower_l(cp, loc) || cp == 0xDF);
}

bool uni_isprintable(uint32_t cp) {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
  if (in_ranges(kUnprintable, cp)) return false;
  locale_t loc = utf8_locale();
  return !loc || iswprint_l(cp, loc);
}

uint32_t uni_toupper(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 0x20 : cp;
  locale_t loc = utf8_locale();
  return loc ? towupper_l(cp, loc) : cp;
}

uint32_t uni_tolower(uint32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
  locale_t loc = utf8_locale();
  return loc ? towlower_l(cp, loc) : cp;
}

namespace {
constexpr uint32_t kSharpS = 0xDF;            // 'ß': upper and casefold give two letters
constexpr uint32_t kDottedCapitalI = 0x130;   // 'İ': lower keeps its dot as a combining mark
constexpr uint32_t kCombiningDot = 0x307;
}  // namespace

void uni_append_upper(std::string& out, uint32_t cp) {
  if (cp == kSharpS) { out += "SS"; return; }
  append_utf8(out, uni_toupper(cp));
}

void uni_append_lower(std::string& out, uint32_t cp) {
  if (cp == kDottedCapitalI) { out += 'i'; append_utf8(out, kCombiningDot); return; }
  append_utf8(out, uni_tolower(cp));
}

void uni_append_fold(std::string& out, uint32_t cp) {
  if (cp == kSharpS) { out += "ss"; return; }
  uni_append_lower(out, cp);
}

}  // namespace aio
