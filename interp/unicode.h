// Unicode character classes and case mappings for str's predicates and case methods.
// ASCII is answered from tables of our own; other code points ask glibc's C.UTF-8 locale,
// corrected where Python's rules differ from C's (digits are never alpha, for instance).
#pragma once
#include <cstdint>
#include <string>

namespace aio {

bool uni_isspace(uint32_t cp);      // str.isspace and split()'s whitespace
bool uni_isdecimal(uint32_t cp);    // Unicode category Nd
bool uni_isdigit(uint32_t cp);      // Nd plus superscripts and circled digits
bool uni_isnumeric(uint32_t cp);    // digits plus fractions, Roman and CJK numerals
bool uni_isalpha(uint32_t cp);
bool uni_isupper(uint32_t cp);
bool uni_islower(uint32_t cp);
bool uni_isprintable(uint32_t cp);  // what repr() leaves unescaped
bool uni_islinebreak(uint32_t cp);  // what splitlines() splits at
inline bool uni_isalnum(uint32_t cp) { return uni_isalpha(cp) || uni_isnumeric(cp); }
inline bool uni_iscased(uint32_t cp) { return uni_isupper(cp) || uni_islower(cp); }

uint32_t uni_toupper(uint32_t cp);
uint32_t uni_tolower(uint32_t cp);
// Full mappings append to out: they may grow a character ('ß'.upper() is 'SS').
void uni_append_upper(std::string& out, uint32_t cp);
void uni_append_lower(std::string& out, uint32_t cp);
void uni_append_fold(std::string& out, uint32_t cp);

}  // namespace aio
