// Name <-> code point, over the generated table: names sorted and front-coded in blocks, so a
// lookup binary-searches the blocks' first names and then decodes one block.
#include "interp/unicode_name.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace aio {

// The generated table (build/unicode_names.cpp, from tools/unicode_names.cmake).
extern const char kUnicodeNameBlob[];
extern const uint32_t kUnicodeNameCodes[];    // per entry, in name order; aliases flagged
extern const uint32_t kUnicodeNameBlocks[];   // blob offset of each block's first entry
extern const uint16_t kUnicodeNameByCode[];   // entries (aliases left out) in code order
extern const uint32_t kUnicodeCjkRanges[][2];  // the unified ideographs, named by rule
extern const size_t kUnicodeNameCount, kUnicodeByCodeCount, kUnicodeCjkRangeCount;

namespace {

constexpr size_t kNameBlock = 16;  // entries per block: tools/unicode_names.cmake's NAME_BLOCK
constexpr uint32_t kAliasFlag = 0x80000000;
constexpr std::string_view kCjkPrefix = "CJK UNIFIED IDEOGRAPH-";
constexpr std::string_view kHangulPrefix = "HANGUL SYLLABLE ";

// Hangul syllables are L + V + T jamo: code = base + (L * count(V) + V) * count(T) + T.
constexpr uint32_t kHangulBase = 0xAC00;
constexpr const char* kJamoL[] = {"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S",
                                  "SS", "", "J", "JJ", "C", "K", "T", "P", "H"};
constexpr const char* kJamoV[] = {"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE",
                                  "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"};
constexpr const char* kJamoT[] = {"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG",
                                  "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S",
                                  "SS", "NG", "J", "C", "K", "T", "P", "H"};
constexpr uint32_t kCountL = std::size(kJamoL), kCountV = std::size(kJamoV), kCountT = std::size(kJamoT);
constexpr uint32_t kHangulCount = kCountL * kCountV * kCountT;

bool is_unified_ideograph(uint32_t cp) {
  for (size_t i = 0; i < kUnicodeCjkRangeCount; i++)
    if (cp >= kUnicodeCjkRanges[i][0] && cp <= kUnicodeCjkRanges[i][1]) return true;
  return false;
}

// The longest jamo of `column` that s starts with (CPython's find_syllable); -1 when none.
template <size_t N>
int take_jamo(std::string_view& s, const char* const (&column)[N]) {
  int found = -1;
  size_t best = 0;
  for (size_t i = 0; i < N; i++) {
    size_t len = std::strlen(column[i]);
    if ((found < 0 || len > best) && s.substr(0, len) == column[i]) {
      found = static_cast<int>(i);
      best = len;
    }
  }
  s.remove_prefix(best);
  return found;
}

// The jamo part of a Hangul syllable's name.
std::optional<uint32_t> hangul_code(std::string_view s) {
  int l = take_jamo(s, kJamoL), v = take_jamo(s, kJamoV), t = take_jamo(s, kJamoT);
  if (l < 0 || v < 0 || t < 0 || !s.empty()) return std::nullopt;
  return kHangulBase + (uint32_t(l) * kCountV + uint32_t(v)) * kCountT + uint32_t(t);
}

// Four or five uppercase hex digits naming a unified ideograph.
std::optional<uint32_t> cjk_code(std::string_view hex) {
  if (hex.size() != 4 && hex.size() != 5) return std::nullopt;
  uint32_t cp = 0;
  for (char c : hex) {
    if (c >= '0' && c <= '9') cp = cp * 16 + uint32_t(c - '0');
    else if (c >= 'A' && c <= 'F') cp = cp * 16 + uint32_t(c - 'A' + 10);
    else return std::nullopt;
  }
  if (!is_unified_ideograph(cp)) return std::nullopt;
  return cp;
}

size_t block_count() { return (kUnicodeNameCount + kNameBlock - 1) / kNameBlock; }

// Walks the entries of one block, rebuilding each name from its shared prefix and its rest.
struct BlockReader {
  const char* p;
  size_t index;
  std::string name;
  explicit BlockReader(size_t block) : p(kUnicodeNameBlob + kUnicodeNameBlocks[block]), index(block * kNameBlock) {}
  bool next() {
    if (index >= kUnicodeNameCount) return false;
    size_t shared = static_cast<unsigned char>(*p++);
    size_t len = std::strlen(p);
    name.resize(shared);
    name.append(p, len);
    p += len + 1;
    return true;
  }
};

std::optional<uint32_t> table_code(const std::string& upper) {
  // The last block whose first name is <= upper.
  size_t lo = 0, hi = block_count();
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (std::strcmp(kUnicodeNameBlob + kUnicodeNameBlocks[mid] + 1, upper.c_str()) <= 0) lo = mid;
    else hi = mid;
  }
  BlockReader r(lo);
  for (size_t k = 0; k < kNameBlock && r.next(); k++, r.index++)
    if (r.name == upper) return kUnicodeNameCodes[r.index] & ~kAliasFlag;
  return std::nullopt;
}

std::string entry_name(size_t index) {
  BlockReader r(index / kNameBlock);
  while (r.next() && r.index < index) r.index++;
  return r.name;
}

}  // namespace

std::optional<uint32_t> unicode_lookup(std::string_view name) {
  // The rule-named ranges match case-sensitively (as CPython), the table case-insensitively.
  if (name.starts_with(kHangulPrefix)) return hangul_code(name.substr(kHangulPrefix.size()));
  if (name.starts_with(kCjkPrefix)) return cjk_code(name.substr(kCjkPrefix.size()));
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return table_code(upper);
}

std::optional<std::string> unicode_name(uint32_t cp) {
  if (is_unified_ideograph(cp)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%X", cp);
    return std::string(kCjkPrefix) + hex;
  }
  if (cp >= kHangulBase && cp < kHangulBase + kHangulCount) {
    uint32_t s = cp - kHangulBase;
    return std::string(kHangulPrefix) + kJamoL[s / (kCountV * kCountT)] + kJamoV[s / kCountT % kCountV] +
           kJamoT[s % kCountT];
  }
  const uint16_t* end = kUnicodeNameByCode + kUnicodeByCodeCount;
  const uint16_t* at = std::lower_bound(kUnicodeNameByCode, end, cp,
                                        [](uint16_t entry, uint32_t c) { return kUnicodeNameCodes[entry] < c; });
  if (at == end || kUnicodeNameCodes[*at] != cp) return std::nullopt;
  return entry_name(*at);
}

}  // namespace aio
