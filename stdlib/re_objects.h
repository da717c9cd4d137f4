// The re module's native objects: compiled patterns (over PCRE2) and match objects.
#pragma once
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string>
#include <string_view>
#include <vector>

#include "interp/object.h"
#include "stdlib/re_syntax.h"

namespace aio {

struct PatternObj : Object {
  Value source;  // the pattern as given: str or bytes
  re::Translation syntax;
  pcre2_code* code = nullptr;
  pcre2_match_data* spans = nullptr;  // reused by every search: results are copied out at once
  bool text = true;                   // a str pattern
  Value groupindex;                   // dict: name -> group number
  explicit PatternObj(Type* t) : Object(t) {}
  ~PatternObj() override;
};

// Byte offsets in UTF-8 text to character offsets and back, walking from the previous answer
// (successive matches move forward, so a whole scan stays linear).
class Offsets {
 public:
  Offsets(std::string_view s, bool identity) : s_(s), identity_(identity) {}
  int64_t chars(size_t byte);
  size_t bytes(int64_t chars);

 private:
  std::string_view s_;
  bool identity_;  // ASCII text or bytes: offsets are the same
  size_t byte_ = 0;
  int64_t char_ = 0;
};

// What a pattern searches: str, bytes, or a bytearray's bytes copied (callbacks may resize it).
struct Subject {
  Value given;  // Match.string
  Value data;   // the str or bytes searched
  bool text = true;
  std::string_view view() const;
  int64_t length() const;  // in characters
  Offsets offsets() const;
};

struct MatchObj : Object {
  Value pattern;  // a PatternObj
  Value string;   // Subject::given
  Value data;     // Subject::data
  int64_t pos = 0, endpos = 0;
  std::vector<int64_t> bytes;  // start and end of each group in bytes of data; -1: unmatched
  std::vector<int64_t> chars;  // the same in characters
  int lastindex = -1;
  explicit MatchObj(Type* t) : Object(t) {}
  PatternObj* re() const { return static_cast<PatternObj*>(pattern.obj()); }
};

// CPython's check for a method taking at most `max` arguments after self; false: raised.
bool at_most(const Args& a, const char* fname, size_t max);

extern Type* re_pattern_type;
extern Type* re_match_type;

// A match object for the spans the last search of `pattern` left in pattern->spans.
Value new_match(const Value& pattern, const Subject& s, Offsets& off, int64_t pos, int64_t endpos);
// Group g's text (None when it did not take part); g is already checked.
Value match_group(const MatchObj* m, size_t g, const Value& dflt);
// The replacement for one match: template pieces with the groups' text.
void expand_into(const MatchObj* m, const std::vector<re::TemplatePiece>& pieces, std::string& out);
// Raises what a SyntaxError describes: re.error(msg, pattern, pos), ValueError, ...
Value raise_re_error(const re::SyntaxError& e, const Value& pattern);
void init_re_match_type();

}  // namespace aio
