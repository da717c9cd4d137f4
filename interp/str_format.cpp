// Text templates: printf-style `fmt % args` (the engine is format_spec's percent_format; this
// file fetches and converts the arguments) and str.format's replacement fields.
#include <cstring>

#include "interp/ast.h"  // int.h names BinOpKind without including it
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/float_repr.h"
#include "interp/format_spec.h"
#include "interp/int.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

namespace {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;

tl::expected<void, NumError> raised_error() {
  return tl::unexpected(NumError{NumError::Kind::Raised, ""});
}

// ---- fmt % args ----

class ValuePercentArgs : public PercentArgs {
 public:
  explicit ValuePercentArgs(const Value& args) : args_(args) {
    if (is_exact(args, types.tuple) || isinstance(args, types.tuple)) {
      items_ = &tuple_items(args);
    } else {
      static Value getitem_name = intern("__getitem__");
      is_mapping_ = args.is_obj() && !is_str(args) && type_lookup(type_of(args), getitem_name);
    }
  }

  tl::expected<void, NumError> select_key(std::string_view key) override {
    if (!is_mapping_) return tl::unexpected(type_error("format requires a mapping"));
    Value v = getitem(args_, new_str(key));
    if (v.is_raised()) return raised_error();
    current_ = std::move(v);
    has_key_ = true;
    return {};
  }

  tl::expected<int64_t, NumError> next_star() override {
    Value v;
    if (!take_positional(v)) return tl::unexpected(type_error("not enough arguments for format string"));
    if (!v.is_int() && !v.is_bool()) return tl::unexpected(type_error("* wants int"));
    return v.as_int();
  }

  tl::expected<void, NumError> next_arg() override {
    if (has_key_) { has_key_ = false; return {}; }
    if (!take_positional(current_))
      return tl::unexpected(type_error("not enough arguments for format string"));
    return {};
  }

  tl::expected<std::string, NumError> convert(const PercentSpec& spec) override {
    switch (spec.conv) {
      case 'd': case 'i': case 'u': return convert_decimal(spec);
      case 'o': case 'x': case 'X': return convert_integer(spec);
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': return convert_float(spec);
      case 'c': return convert_char(spec);
      default: return convert_text(spec);
    }
  }

  // After the template: every positional argument must have been used.
  bool all_used() const {
    if (items_) return next_ >= items_->size();
    return is_mapping_ || next_ > 0;
  }

 private:
  bool take_positional(Value& out) {
    if (items_) {
      if (next_ >= items_->size()) return false;
      out = (*items_)[next_++];
      return true;
    }
    if (next_ > 0) return false;
    next_ = 1;
    out = args_;
    return true;
  }

  tl::expected<std::string, NumError> format_intlike(const Value& v, const PercentSpec& spec) {
    if (v.is_int() || v.is_bool()) return percent_format_int(v.as_int(), spec);
    if (is_bigint(v)) return percent_format_int(as<BigIntObj>(v)->v, spec);
    int64_t i;  // an __index__ object
    if (!index_of(v, i)) return tl::unexpected(NumError{NumError::Kind::Raised, ""});
    return percent_format_int(i, spec);
  }

  bool has_index(const Value& v) {
    static Value index_name = intern("__index__");
    return is_intlike(v) || isinstance(v, types.int_) ||
           (v.is_obj() && type_lookup(type_of(v), index_name));
  }

  tl::expected<std::string, NumError> convert_decimal(const PercentSpec& spec) {
    if (current_.is_float()) {
      auto b = float_to_bigint(current_.as_float());
      if (!b) return tl::unexpected(b.error());
      return percent_format_int(*b, spec);
    }
    if (!has_index(current_))
      return tl::unexpected(type_error(std::string("%") + spec.conv +
                                       " format: a real number is required, not " + type_name(current_)));
    return format_intlike(current_, spec);
  }

  tl::expected<std::string, NumError> convert_integer(const PercentSpec& spec) {
    if (!has_index(current_))
      return tl::unexpected(type_error(std::string("%") + spec.conv +
                                       " format: an integer is required, not " + type_name(current_)));
    return format_intlike(current_, spec);
  }

  tl::expected<std::string, NumError> convert_float(const PercentSpec& spec) {
    if (current_.is_float()) return percent_format_float(current_.as_float(), spec);
    if (current_.is_int() || current_.is_bool()) return percent_format_float(double(current_.as_int()), spec);
    if (is_bigint(current_)) {
      auto d = as<BigIntObj>(current_)->v.to_double();
      if (!d) return tl::unexpected(d.error());
      return percent_format_float(*d, spec);
    }
    return tl::unexpected(type_error("must be real number, not " + type_name(current_)));
  }

  tl::expected<std::string, NumError> convert_char(const PercentSpec& spec) {
    std::string text;
    if (is_str(current_) && as<StrObj>(current_)->length == 1) {
      text = str_of(current_);
    } else if (current_.is_int() || current_.is_bool()) {
      int64_t cp = current_.as_int();
      if (cp < 0 || cp > kMaxCodePoint)
        return tl::unexpected(overflow_error("%c arg not in range(0x110000)"));
      append_utf8(text, uint32_t(cp));
    } else {
      return tl::unexpected(type_error("%c requires int or char"));
    }
    return percent_pad(text, spec);
  }

  tl::expected<std::string, NumError> convert_text(const PercentSpec& spec) {
    std::string text;
    bool ok = spec.conv == 's' ? str_string(current_, text) : repr_string(current_, text);
    if (!ok) return tl::unexpected(NumError{NumError::Kind::Raised, ""});
    if (spec.conv == 'a') text = ascii_escape(text);
    return percent_pad(text, spec);
  }

  const Value& args_;
  const std::vector<Value>* items_ = nullptr;
  bool is_mapping_ = false;
  size_t next_ = 0;
  Value current_;
  bool has_key_ = false;
};

}  // namespace

Value str_mod(const Value& fmt, const Value& args) {
  ValuePercentArgs pa(args);
  auto r = percent_format(str_of(fmt), pa);
  if (!r) return raise_num(r.error());
  if (!pa.all_used()) return raise(exc.TypeError, "not all arguments converted during string formatting");
  return new_str(std::move(*r));
}

// ---- str.format ----

namespace {

constexpr int kMaxFormatDepth = 2;  // a spec may hold fields, whose specs may not

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Where replacement fields find their arguments: positional values and keywords, or a mapping.
struct FormatArgs {
  const Value* pos = nullptr;
  size_t npos = 0;
  const Args* kw = nullptr;     // str.format's keywords
  const Value* mapping = nullptr;  // format_map's mapping
  int auto_index = 0;           // next automatic number; -1 once numbering was manual
  bool manual = false;
};

class Formatter {
 public:
  explicit Formatter(FormatArgs& args) : args_(args) {}

  bool render(std::string_view tmpl, int depth, std::string& out) {
    if (depth >= kMaxFormatDepth) return fail(exc.ValueError, "Max string recursion exceeded");
    for (size_t i = 0; i < tmpl.size();) {
      char c = tmpl[i];
      if (c == '}') {
        if (i + 1 < tmpl.size() && tmpl[i + 1] == '}') { out += '}'; i += 2; continue; }
        return fail(exc.ValueError, "Single '}' encountered in format string");
      }
      if (c != '{') { out += c; ++i; continue; }
      if (i + 1 < tmpl.size() && tmpl[i + 1] == '{') { out += '{'; i += 2; continue; }
      size_t end = matching_brace(tmpl, i);
      if (end == std::string_view::npos) {
        // CPython words an unterminated field differently from a stray brace at the end.
        const char* msg = i + 1 == tmpl.size() ? "Single '{' encountered in format string"
                                                : "expected '}' before end of string";
        return fail(exc.ValueError, msg);
      }
      if (!field(tmpl.substr(i + 1, end - i - 1), depth, out)) return false;
      i = end + 1;
    }
    return true;
  }

 private:
  static size_t matching_brace(std::string_view t, size_t open) {
    int level = 0;
    bool in_name = true;       // the field name runs up to its first ':' or '!'
    bool in_brackets = false;  // braces inside the name's '[key]' are part of the key
    for (size_t j = open; j < t.size(); ++j) {
      char c = t[j];
      if (in_name && level == 1) {
        if (c == '[') in_brackets = true;
        else if (c == ']') in_brackets = false;
        else if (!in_brackets && (c == ':' || c == '!')) in_name = false;
        if (in_brackets) continue;
      }
      if (c == '{') ++level;
      else if (c == '}' && --level == 0) return j;
    }
    return std::string_view::npos;
  }

  static bool fail(Type* t, const char* msg) {
    raise(t, msg);
    return false;
  }

  // One "{name!conv:spec}" without its braces.
  bool field(std::string_view body, int depth, std::string& out) {
    size_t name_end = 0;
    for (bool bracket = false; name_end < body.size(); ++name_end) {
      char c = body[name_end];
      if (c == '[') bracket = true;
      else if (c == ']') bracket = false;
      else if (!bracket && (c == '!' || c == ':')) break;
    }
    std::string_view name = body.substr(0, name_end);
    char conv = 0;
    std::string_view spec;
    size_t rest = name_end;
    if (rest < body.size() && body[rest] == '!') {
      if (rest + 1 >= body.size())
        return fail(exc.ValueError, "end of string while looking for conversion specifier");
      conv = body[rest + 1];
      rest += 2;
      if (rest < body.size() && body[rest] != ':')
        return fail(exc.ValueError, "expected ':' after conversion specifier");
    }
    if (rest < body.size()) spec = body.substr(rest + 1);

    Value obj = lookup(name);
    if (obj.is_raised()) return false;
    if (conv && !convert(conv, obj)) return false;
    std::string spec_text(spec);
    if (spec.find('{') != std::string_view::npos) {
      spec_text.clear();
      if (!render(spec, depth + 1, spec_text)) return false;
    }
    Value text = format_value(obj, new_str(std::move(spec_text)));
    if (text.is_raised()) return false;
    out += str_of(text);
    return true;
  }

  static bool convert(char conv, Value& obj) {
    std::string text;
    switch (conv) {
      case 's': if (!str_string(obj, text)) return false; break;
      case 'r': if (!repr_string(obj, text)) return false; break;
      case 'a': if (!repr_string(obj, text)) return false; text = ascii_escape(text); break;
      default: {
        std::string msg = "Unknown conversion specifier ";
        append_utf8(msg, uint32_t(uint8_t(conv)));
        raise(exc.ValueError, msg);
        return false;
      }
    }
    obj = new_str(std::move(text));
    return true;
  }

  // The first part of a field name: a number, a keyword, or nothing (automatic numbering).
  Value first(std::string_view head) {
    if (head.empty() || all_digits(head)) {
      size_t index;
      if (head.empty()) {
        if (args_.manual)
          return raise(exc.ValueError, "cannot switch from manual field specification to automatic field numbering");
        index = args_.auto_index++;
      } else {
        if (args_.auto_index > 0)
          return raise(exc.ValueError, "cannot switch from automatic field numbering to manual field specification");
        args_.manual = true;
        index = std::stoul(std::string(head));
      }
      if (args_.mapping) return raise(exc.ValueError, "Format string contains positional fields");
      if (index >= args_.npos)
        return raise(exc.IndexError, "Replacement index " + std::to_string(index) +
                                         " out of range for positional args tuple");
      return args_.pos[index];
    }
    Value key = new_str(head);
    if (args_.mapping) return getitem(*args_.mapping, key);
    for (size_t i = 0; args_.kw && i < args_.kw->nkw(); ++i)
      if (str_of((*args_.kw->kwnames)[i]) == head) return args_.kw->kwvals[i];
    return raise_value(make_exception(exc.KeyError, {key}));
  }

  // name, then any chain of .attr and [key].
  Value lookup(std::string_view name) {
    size_t i = 0;
    while (i < name.size() && name[i] != '.' && name[i] != '[') ++i;
    Value obj = first(name.substr(0, i));
    while (!obj.is_raised() && i < name.size()) {
      if (name[i] == '.') {
        size_t j = ++i;
        while (i < name.size() && name[i] != '.' && name[i] != '[') ++i;
        if (i == j) return raise(exc.ValueError, "Empty attribute in format string");
        obj = getattr(obj, intern(name.substr(j, i - j)));
      } else {
        size_t close = name.find(']', i);
        if (close == std::string_view::npos) return raise(exc.ValueError, "Missing ']' in format string");
        std::string_view key = name.substr(i + 1, close - i - 1);
        if (key.empty()) return raise(exc.ValueError, "Empty attribute in format string");
        Value k = all_digits(key) ? Value::integer(std::stoll(std::string(key))) : new_str(key);
        obj = getitem(obj, k);
        i = close + 1;
        if (i < name.size() && name[i] != '.' && name[i] != '[')
          return raise(exc.ValueError, "Only '.' or '[' may follow ']' in format field specifier");
      }
    }
    return obj;
  }

  FormatArgs& args_;
};

Value run_format(const Value& fmt, FormatArgs& args) {
  std::string out;
  Formatter f(args);
  if (!f.render(str_of(fmt), 0, out)) return Value::raised();
  return new_str(std::move(out));
}

}  // namespace

Value str_format(const Args& a) {
  FormatArgs fa;
  fa.pos = a.pos + 1;
  fa.npos = a.npos - 1;
  fa.kw = &a;
  return run_format(a[0], fa);
}

Value str_format_map(const Args& a) {
  if (!check_args(a, "format_map", 2, 2)) return Value::raised();
  FormatArgs fa;
  fa.mapping = &a.pos[1];
  return run_format(a[0], fa);
}

}  // namespace aio
