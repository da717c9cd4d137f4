// The re module's native core (_re): patterns compiled by PCRE2 from the translated syntax
// (re_translate.cpp), and re.Pattern's methods. re.aio adds flags, re.error and the cache.
// Searches repeat as CPython's do: after an empty match the next one must not be empty at the
// same place (PCRE2_NOTEMPTY_ATSTART is exactly sre's must_advance).
#include <algorithm>
#include <climits>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/native_iter.h"
#include "stdlib/re_objects.h"
#include "stdlib/stdlib.h"

namespace aio {

Type* re_pattern_type = nullptr;

namespace {

Type* scanner_type = nullptr;
Object* error_class = nullptr;  // re.error, handed over by re.aio (kept for the process's life)

constexpr size_t kReprPatternChars = 200;  // CPython's %.200R for the pattern
constexpr size_t kPcreMessageSize = 256;

// Patterns see only "\n" as a newline, as in Python; a str may hold lone surrogates.
pcre2_compile_context* compile_context() {
  static pcre2_compile_context* ctx = [] {
    pcre2_compile_context* c = pcre2_compile_context_create(nullptr);
    pcre2_set_newline(c, PCRE2_NEWLINE_LF);
    pcre2_set_compile_extra_options(c, PCRE2_EXTRA_ALLOW_SURROGATE_ESCAPES);
    return c;
  }();
  return ctx;
}

// CPython's matcher has no step or memory limit; neither do ours.
pcre2_match_context* match_context() {
  static pcre2_match_context* ctx = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(c, UINT32_MAX);
    pcre2_set_heap_limit(c, UINT32_MAX);
    return c;
  }();
  return ctx;
}

std::string pcre_message(int code) {
  PCRE2_UCHAR buf[kPcreMessageSize];
  pcre2_get_error_message(code, buf, sizeof buf);
  return reinterpret_cast<const char*>(buf);
}

uint32_t compile_options(unsigned flags, bool text) {
  uint32_t options = PCRE2_ALT_CIRCUMFLEX;  // multiline ^ also matches after a final newline
  if (text) options |= PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  if (flags & re::kIgnoreCase) options |= PCRE2_CASELESS;
  if (flags & re::kMultiline) options |= PCRE2_MULTILINE;
  if (flags & re::kDotAll) options |= PCRE2_DOTALL;
  return options;
}

Value compile_pattern(const Value& source, unsigned flags) {
  bool text = is_str(source);
  if (!text && !is_bytes(source)) return raise(exc.TypeError, "first argument must be string or compiled pattern");
  auto syntax = re::translate(text ? str_of(source) : bytes_of(source), flags, text);
  if (!syntax) return raise_re_error(syntax.error(), source);
  int err;
  PCRE2_SIZE at;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(syntax->pcre.data()), syntax->pcre.size(),
                                   compile_options(syntax->flags, text), &err, &at, compile_context());
  if (!code) return raise_re_error({re::SyntaxError::Re, pcre_message(err), -1}, source);
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // without JIT support, matching interprets
  auto* p = new PatternObj(re_pattern_type);
  Value result = Value::adopt(p);
  p->source = source;
  p->text = text;
  p->code = code;
  p->spans = pcre2_match_data_create_from_pattern(code, nullptr);
  p->groupindex = new_dict();
  for (auto& [name, gid] : syntax->names) dict_set(as_dict(p->groupindex), new_str(name), Value::integer(gid));
  p->syntax = std::move(*syntax);
  return result;
}

PatternObj* self_pattern(const Args& a) { return as<PatternObj>(a[0]); }

bool get_subject(const PatternObj* p, const Value& v, Subject& out) {
  bool text = is_str(v);
  if (!text && !is_byteslike(v)) {
    raise(exc.TypeError, "expected string or bytes-like object, got '" + type_name(v) + "'");
    return false;
  }
  if (text != p->text) {
    raise(exc.TypeError, text ? "cannot use a bytes pattern on a string-like object"
                              : "cannot use a string pattern on a bytes-like object");
    return false;
  }
  out.given = v;
  out.data = is_bytearray(v) ? new_bytes(bytes_of(v)) : v;
  out.text = text;
  return true;
}

// pos and endpos as Match objects report them (characters, clamped) and as searched (bytes).
struct Bounds {
  int64_t pos = 0, endpos = 0;
  size_t start = 0, end = 0;
};

bool get_bounds(const Args& a, size_t idx, const Subject& s, Offsets& off, Bounds& out) {
  int64_t len = s.length();
  out.pos = 0;
  out.endpos = len;
  const Value* pos = arg_or_kw(a, idx, "pos");
  const Value* endpos = arg_or_kw(a, idx + 1, "endpos");
  if ((pos && !index_of(*pos, out.pos)) || (endpos && !index_of(*endpos, out.endpos))) return false;
  out.pos = std::clamp<int64_t>(out.pos, 0, len);
  out.endpos = std::clamp<int64_t>(out.endpos, 0, len);
  out.start = off.bytes(out.pos);
  out.end = off.bytes(std::max(out.pos, out.endpos));  // endpos before pos: nothing after pos
  return true;
}

enum class Anchor { Search, Start, Full };

// One search between byte offsets; 1: matched (spans in p->spans), 0: none, -1: raised.
int search_once(PatternObj* p, std::string_view data, size_t start, size_t end, Anchor how, bool must_advance) {
  uint32_t options = 0;
  if (how != Anchor::Search) options |= PCRE2_ANCHORED;
  if (how == Anchor::Full) options |= PCRE2_ENDANCHORED;
  if (must_advance) options |= PCRE2_NOTEMPTY_ATSTART;
  auto subject = reinterpret_cast<PCRE2_SPTR>(data.data());
  int rc = pcre2_match(p->code, subject, end, start, options, p->spans, match_context());
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT)  // the interpreter's stack is the heap: no such limit
    rc = pcre2_match(p->code, subject, end, start, options | PCRE2_NO_JIT, p->spans, match_context());
  if (rc >= 0) return 1;
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  raise(exc.RuntimeError, "regular expression matching failed: " + pcre_message(rc));
  return -1;
}

const PCRE2_SIZE* spans_of(const PatternObj* p) { return pcre2_get_ovector_pointer(p->spans); }

// match, fullmatch, search.
Value find(const Args& a, const char* fname, Anchor how) {
  if (!at_most(a, fname, 3)) return Value::raised();
  const Value* string = required_arg(a, 1, fname, "string");
  Subject s;
  if (!string || !get_subject(self_pattern(a), *string, s)) return Value::raised();
  Offsets off = s.offsets();
  Bounds b;
  if (!get_bounds(a, 2, s, off, b)) return Value::raised();
  int found = search_once(self_pattern(a), s.view(), b.start, b.end, how, false);
  if (found <= 0) return found < 0 ? Value::raised() : Value();
  return new_match(a[0], s, off, b.pos, b.endpos);
}

Value pattern_match(const Args& a) { return find(a, "match", Anchor::Start); }
Value pattern_fullmatch(const Args& a) { return find(a, "fullmatch", Anchor::Full); }
Value pattern_search(const Args& a) { return find(a, "search", Anchor::Search); }

// The successive matches of a pattern over a subject (findall, finditer, sub, split).
struct Scan {
  PatternObj* p;
  std::string_view data;
  size_t at, end;
  bool must_advance = false;
  bool done = false;
  // Finds the next match: 1, 0 at the end, -1 raised.
  int next() {
    if (done || at > end) return 0;
    int found = search_once(p, data, at, end, Anchor::Search, must_advance);
    if (found <= 0) {
      done = true;
      return found;
    }
    const PCRE2_SIZE* ov = spans_of(p);
    must_advance = ov[0] == ov[1];
    at = ov[1];
    return 1;
  }
};

Value slice_value(const Subject& s, size_t b, size_t e) {
  std::string_view part = s.view().substr(b, e - b);
  return s.text ? new_str(part) : new_bytes(std::string(part));
}

Value group_value(const PatternObj* p, const Subject& s, size_t g, const Value& unmatched) {
  const PCRE2_SIZE* ov = spans_of(p);
  return ov[2 * g] == PCRE2_UNSET ? unmatched : slice_value(s, ov[2 * g], ov[2 * g + 1]);
}

// Arguments shared by findall and finditer: string, pos, endpos.
bool scan_args(const Args& a, const char* fname, Subject& s, Bounds& b) {
  if (!at_most(a, fname, 3)) return false;
  const Value* string = required_arg(a, 1, fname, "string");
  if (!string || !get_subject(self_pattern(a), *string, s)) return false;
  Offsets off = s.offsets();
  return get_bounds(a, 2, s, off, b);
}

Value pattern_findall(const Args& a) {
  Subject s;
  Bounds b;
  if (!scan_args(a, "findall", s, b)) return Value::raised();
  PatternObj* p = self_pattern(a);
  Value empty = slice_value(s, 0, 0);
  Scan scan{p, s.view(), b.start, b.end};
  std::vector<Value> out;
  int found;
  while ((found = scan.next()) > 0) {
    if (p->syntax.groups == 0) {
      out.push_back(group_value(p, s, 0, empty));
    } else if (p->syntax.groups == 1) {
      out.push_back(group_value(p, s, 1, empty));
    } else {
      std::vector<Value> groups;
      for (int g = 1; g <= p->syntax.groups; g++) groups.push_back(group_value(p, s, size_t(g), empty));
      out.push_back(new_tuple(std::move(groups)));
    }
  }
  return found < 0 ? Value::raised() : new_list(std::move(out));
}

// finditer's iterator (CPython's callable_iterator over a scanner).
struct ScannerObj : Object {
  Value pattern;
  Subject subject;
  Offsets offsets;
  Bounds bounds;
  Scan scan;
  ScannerObj(Value p, Subject s, Bounds b)
      : Object(scanner_type),
        pattern(std::move(p)),
        subject(std::move(s)),
        offsets(subject.offsets()),
        bounds(b),
        scan{as<PatternObj>(pattern), subject.view(), b.start, b.end} {}
};

Value pattern_finditer(const Args& a) {
  Subject s;
  Bounds b;
  if (!scan_args(a, "finditer", s, b)) return Value::raised();
  return Value::adopt(new ScannerObj(a[0], std::move(s), b));
}

Value scanner_next(const Args& a) {
  auto* it = as<ScannerObj>(a[0]);
  int found = it->scan.next();
  if (found <= 0) return found < 0 ? Value::raised() : stop_iteration();
  return new_match(it->pattern, it->subject, it->offsets, it->bounds.pos, it->bounds.endpos);
}

Value no_new(const Args& a) { return raise(exc.TypeError, "cannot create '" + as<Type>(a[0])->name + "' instances"); }

// A count or maxsplit argument.
bool limit_arg(const Args& a, size_t idx, const char* name, int64_t& out) {
  out = 0;
  const Value* v = arg_or_kw(a, idx, name);
  return !v || index_of(*v, out);
}

// The text a callable replacement returned, checked as str.join / bytes.join would.
bool append_replacement(const Subject& s, const Value& item, size_t index, std::string& out) {
  if (item.is_none()) return true;
  if (s.text ? is_str(item) : is_byteslike(item)) {
    out += s.text ? str_of(item) : bytes_of(item);
    return true;
  }
  raise(exc.TypeError, "sequence item " + std::to_string(index) + ": expected " +
                           (s.text ? "str instance, " : "a bytes-like object, ") + type_name(item) + " found");
  return false;
}

// sub and subn: the new text and the number of replacements.
Value substitute(const Args& a, const char* fname, bool with_count) {
  if (!at_most(a, fname, 3)) return Value::raised();
  const Value* repl = required_arg(a, 1, fname, "repl");
  const Value* string = repl ? required_arg(a, 2, fname, "string") : nullptr;
  PatternObj* p = self_pattern(a);
  Subject s;
  int64_t count;
  if (!string || !get_subject(p, *string, s) || !limit_arg(a, 3, "count", count)) return Value::raised();
  bool literal_repl = !is_callable(*repl);
  std::vector<re::TemplatePiece> pieces;
  if (literal_repl && !is_str(*repl) && !is_byteslike(*repl))
    return raise(exc.TypeError, "decoding to str: need a bytes-like object, " + type_name(*repl) + " found");
  if (literal_repl) {
    if (is_str(*repl) != s.text)
      return raise(exc.TypeError, std::string("sequence item 0: expected ") + (s.text ? "str instance, " : "a bytes-like object, ") +
                                      type_name(*repl) + " found");
    auto parsed = re::parse_template(s.text ? str_of(*repl) : bytes_of(*repl), s.text, p->syntax);
    if (!parsed) return raise_re_error(parsed.error(), *repl);
    pieces = std::move(*parsed);
  }
  Offsets off = s.offsets();
  std::string_view data = s.view();
  Scan scan{p, data, 0, data.size()};
  std::string out;
  size_t last = 0, items = 0;
  int64_t n = 0;
  int found = 0;
  while ((count == 0 || n < count) && (found = scan.next()) > 0) {
    const PCRE2_SIZE* ov = spans_of(p);
    size_t b = ov[0], e = ov[1];
    if (last < b) {
      out += data.substr(last, b - last);
      items++;
    }
    Value m = new_match(a[0], s, off, 0, s.length());
    if (literal_repl) {
      expand_into(as<MatchObj>(m), pieces, out);
    } else {
      Value item = call(*repl, {m});
      if (item.is_raised() || !append_replacement(s, item, items, out)) return Value::raised();
    }
    items++;
    last = e;
    n++;
  }
  if (found < 0) return Value::raised();
  out += data.substr(last);
  Value text = s.text ? new_str(std::move(out)) : new_bytes(std::move(out));
  return with_count ? new_tuple({text, Value::integer(n)}) : text;
}

Value pattern_sub(const Args& a) { return substitute(a, "sub", false); }
Value pattern_subn(const Args& a) { return substitute(a, "subn", true); }

Value pattern_split(const Args& a) {
  if (!at_most(a, "split", 2)) return Value::raised();
  const Value* string = required_arg(a, 1, "split", "string");
  PatternObj* p = self_pattern(a);
  Subject s;
  int64_t maxsplit;
  if (!string || !get_subject(p, *string, s) || !limit_arg(a, 2, "maxsplit", maxsplit)) return Value::raised();
  std::string_view data = s.view();
  Scan scan{p, data, 0, data.size()};
  std::vector<Value> out;
  size_t last = 0;
  int64_t n = 0;
  int found = 0;
  while ((maxsplit == 0 || n < maxsplit) && (found = scan.next()) > 0) {
    const PCRE2_SIZE* ov = spans_of(p);
    out.push_back(slice_value(s, last, ov[0]));
    for (int g = 1; g <= p->syntax.groups; g++) out.push_back(group_value(p, s, size_t(g), Value()));
    last = ov[1];
    n++;
  }
  if (found < 0) return Value::raised();
  out.push_back(slice_value(s, last, data.size()));
  return new_list(std::move(out));
}

// "re.IGNORECASE|re.DOTALL", as CPython's pattern_repr writes a pattern's flags.
std::string flags_text(unsigned flags, bool text) {
  static const std::pair<unsigned, const char*> kNames[] = {
      {re::kTemplate, "re.TEMPLATE"}, {re::kIgnoreCase, "re.IGNORECASE"}, {re::kLocale, "re.LOCALE"},
      {re::kMultiline, "re.MULTILINE"}, {re::kDotAll, "re.DOTALL"}, {re::kUnicode, "re.UNICODE"},
      {re::kVerbose, "re.VERBOSE"}, {re::kDebug, "re.DEBUG"}, {re::kAscii, "re.ASCII"},
  };
  // UNICODE is implied for str patterns: shown only beside another type flag
  if (text && (flags & (re::kLocale | re::kUnicode | re::kAscii)) == re::kUnicode) flags &= ~re::kUnicode;
  std::string out;
  for (auto& [bit, name] : kNames) {
    if (!(flags & bit)) continue;
    out += (out.empty() ? "" : "|") + std::string(name);
    flags &= ~bit;
  }
  if (flags) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%x", flags);
    out += (out.empty() ? "" : "|") + std::string(buf);
  }
  return out;
}

Value pattern_repr(const Args& a) {
  PatternObj* p = self_pattern(a);
  std::string source;
  if (!repr_string(p->source, source)) return Value::raised();
  size_t cut = 0;
  for (size_t n = 0; n < kReprPatternChars && cut < source.size(); n++) decode_utf8(source, cut);
  source.resize(cut);
  std::string flags = flags_text(p->syntax.flags, p->text);
  return new_str("re.compile(" + source + (flags.empty() ? "" : ", " + flags) + ")");
}

Value pattern_eq(const Args& a) {
  if (!check_args(a, "__eq__", 2, 2)) return Value::raised();
  if (!is_exact(a[1], re_pattern_type)) return not_implemented();
  PatternObj *x = self_pattern(a), *y = as<PatternObj>(a[1]);
  if (x == y) return Value::boolean(true);
  if (x->text != y->text || x->syntax.flags != y->syntax.flags) return Value::boolean(false);
  int same = equals(x->source, y->source);
  return same < 0 ? Value::raised() : Value::boolean(same);
}

Value pattern_hash(const Args& a) {
  int64_t h;
  if (!hash_value(self_pattern(a)->source, h)) return Value::raised();
  return Value::integer(h ^ int64_t(self_pattern(a)->syntax.flags));
}

Value pattern_self(const Args& a) { return a[0]; }

Value get_source(const Value& self) { return as<PatternObj>(self)->source; }
Value get_flags(const Value& self) { return Value::integer(as<PatternObj>(self)->syntax.flags); }
Value get_groups(const Value& self) { return Value::integer(as<PatternObj>(self)->syntax.groups); }
Value get_groupindex(const Value& self) { return dict_copy(as_dict(as<PatternObj>(self)->groupindex)); }

// _re.compile(pattern, flags)
Value re_compile(const Args& a) {
  if (!check_args(a, "compile", 2, 2)) return Value::raised();
  int64_t flags;
  if (!index_of(a[1], flags)) return Value::raised();
  return compile_pattern(a[0], unsigned(flags));
}

// _re.set_error(cls): the class natives raise for bad patterns (re.error, defined in re.aio).
Value re_set_error(const Args& a) {
  if (!check_args(a, "set_error", 1, 1)) return Value::raised();
  if (!a[0].is_obj()) return raise(exc.TypeError, "set_error() needs a class");
  if (error_class) decref(error_class);
  error_class = a[0].obj();
  incref(error_class);
  return Value();
}

void make_types() {
  Type* t = re_pattern_type = new Type("re.Pattern", types.object);  // CPython's tp_name
  t->module = "re";
  add_attr(t, "__qualname__", new_str("Pattern"));
  struct Entry {
    const char* name;
    NativeFn fn;
  };
  static const Entry methods[] = {
      {"__new__", no_new}, {"match", pattern_match}, {"fullmatch", pattern_fullmatch},
      {"search", pattern_search}, {"findall", pattern_findall}, {"finditer", pattern_finditer},
      {"sub", pattern_sub}, {"subn", pattern_subn}, {"split", pattern_split},
      {"__repr__", pattern_repr}, {"__eq__", pattern_eq}, {"__hash__", pattern_hash},
      {"__copy__", pattern_self}, {"__deepcopy__", pattern_self},
  };
  for (const Entry& e : methods) add_method(t, e.name, e.fn);
  add_getset(t, "pattern", get_source);
  add_getset(t, "flags", get_flags);
  add_getset(t, "groups", get_groups);
  add_getset(t, "groupindex", get_groupindex);
  scanner_type = new_iter_type("callable_iterator", no_new, scanner_next);
  init_re_match_type();
  add_method(re_match_type, "__new__", no_new);
}

}  // namespace

Value raise_re_error(const re::SyntaxError& e, const Value& pattern) {
  switch (e.kind) {
    case re::SyntaxError::Value: return raise(exc.ValueError, e.msg);
    case re::SyntaxError::Overflow: return raise(exc.OverflowError, e.msg);
    case re::SyntaxError::Index: return raise(exc.IndexError, e.msg);
    case re::SyntaxError::Re: break;
  }
  if (!error_class) return raise(exc.RuntimeError, e.msg);  // _re used without re
  // errors found after parsing (a look-behind's width, PCRE2's limits) have no position
  Value where = e.pos < 0 ? Value() : pattern;
  Value err = call(Value::borrow(error_class), {new_str(e.msg), where, e.pos < 0 ? Value() : Value::integer(e.pos)});
  return err.is_raised() ? err : raise_value(std::move(err));
}

void init_re_native(const Value& module) {
  if (!re_pattern_type) make_types();
  DictObj* d = module_dict(module);
  dict_set_str(d, intern("Pattern"), Value::borrow(re_pattern_type));
  dict_set_str(d, intern("Match"), Value::borrow(re_match_type));
  add_function(module, "compile", re_compile);
  add_function(module, "set_error", re_set_error);
}

}  // namespace aio
