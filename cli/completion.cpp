// Completion: the word before the cursor is a dotted name; its last part is completed against
// the keywords and names in scope, or against dir() of what the rest of it names.
#include "cli/completion.h"

#include <algorithm>
#include <cctype>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio::cli {

namespace {

constexpr const char* kKeywords[] = {
    "False", "None",   "True",    "and",      "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",      "elif", "else",   "except", "finally",  "for",
    "from",  "global", "if",      "import",   "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",   "raise",   "return",   "try",  "while",  "with",   "yield",
};

bool word_char(char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '.' || (unsigned char)c >= 0x80; }

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// Private names only when the user has typed the underscore, as rlcompleter does.
bool offered(const std::string& name, const std::string& prefix) {
  return starts_with(name, prefix) && (name[0] != '_' || (!prefix.empty() && prefix[0] == '_'));
}

void add_dict_names(const Value& dict, const std::string& prefix, std::vector<std::string>& out) {
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(as<DictObj>(dict), pos, e))
    if (is_str(e->key) && offered(str_of(e->key), prefix)) out.push_back(str_of(e->key));
}

// The object a dotted name refers to, looked up without calling anything but getattr.
Value resolve(const Value& globals, const std::string& dotted) {
  size_t dot = dotted.find('.');
  Value name = intern(dotted.substr(0, dot));
  Value* v = dict_find_str(as<DictObj>(globals), name);
  if (!v) v = dict_find_str(tstate->interp->builtins, name);
  if (!v) return Value::raised();
  Value obj = *v;
  while (dot != std::string::npos && !obj.is_raised()) {
    size_t next = dotted.find('.', dot + 1);
    obj = getattr(obj, intern(dotted.substr(dot + 1, next == std::string::npos ? next : next - dot - 1)));
    dot = next;
  }
  return obj;
}

void add_attributes(const Value& globals, const std::string& word, std::vector<std::string>& out) {
  size_t dot = word.rfind('.');
  std::string base = word.substr(0, dot), prefix = word.substr(dot + 1);
  Value obj = resolve(globals, base);
  if (obj.is_raised()) return;
  Value* dir = dict_find_str(tstate->interp->builtins, intern("dir"));
  if (!dir) return;
  Value names = call(*dir, {obj});
  std::vector<Value> items;
  if (names.is_raised() || !collect(names, items)) return;
  for (auto& n : items)
    if (is_str(n) && offered(str_of(n), prefix)) out.push_back(base + "." + str_of(n));
}

}  // namespace

Completions complete_names(const Value& globals, const std::string& before_cursor) {
  Completions c;
  c.word_start = before_cursor.size();
  while (c.word_start > 0 && word_char(before_cursor[c.word_start - 1])) c.word_start--;
  std::string word = before_cursor.substr(c.word_start);
  if (!word.empty() && std::isdigit((unsigned char)word[0])) return c;
  ScriptThread lock;
  if (word.find('.') != std::string::npos) {
    add_attributes(globals, word, c.words);
  } else {
    for (const char* k : kKeywords)
      if (starts_with(k, word)) c.words.push_back(k);
    add_dict_names(globals, word, c.words);
    add_dict_names(Value::borrow(tstate->interp->builtins), word, c.words);
  }
  if (tstate->exc.is_obj()) take_exception();
  std::sort(c.words.begin(), c.words.end());
  c.words.erase(std::unique(c.words.begin(), c.words.end()), c.words.end());
  return c;
}

}  // namespace aio::cli
