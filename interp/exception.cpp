// The exception hierarchy, exception objects, and tracebacks printed as CPython prints them.
#include "interp/exception.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <unordered_set>

#include "interp/bytes.h"
#include "interp/code.h"
#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/traceback.h"
#include "interp/tuple.h"

namespace aio {

ExcTypes exc;

ExcObj::ExcObj(Type* t) : Instance(t), args(empty_tuple()) {}

namespace {

Object* exc_alloc(Type* t) { return new ExcObj(t); }

Type* make(const char* name, Type* base) {
  auto* t = new Type(name, base);
  t->alloc = exc_alloc;
  return t;
}

ExcObj* self_exc(const Args& a) { return as<ExcObj>(a[0]); }

Value exc_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  auto* e = static_cast<ExcObj*>(cls->alloc(cls));
  Value ev = Value::adopt(e);
  e->args = new_tuple(std::vector<Value>(a.pos + 1, a.pos + a.npos));
  return ev;
}

Value exc_init(const Args& a) {
  self_exc(a)->args = new_tuple(std::vector<Value>(a.pos + 1, a.pos + a.npos));
  return Value();
}

Value exc_str(const Args& a) {
  auto& args = tuple_items(self_exc(a)->args);
  if (args.empty()) return intern("");
  if (args.size() == 1) return to_str(args[0]);
  return to_str(self_exc(a)->args);
}

// ImportError(*args, name=None, path=None): the two keywords become attributes of e.
bool import_error_keywords(ExcObj* e, const Args& a) {
  for (size_t i = 0; i < a.nkw(); i++) {
    const std::string& k = str_of((*a.kwnames)[i]);
    if (k != "name" && k != "path") {
      raise(exc.TypeError, "'" + k + "' is an invalid keyword argument for " + e->type->name + "()");
      return false;
    }
    dict_set_str(e->dict, (*a.kwnames)[i], a.kwvals[i]);
  }
  return true;
}

// Native exception types get no __init__ call, so __new__ takes the keywords too.
Value import_error_new(const Args& a) {
  Value e = exc_new(a);
  return import_error_keywords(as<ExcObj>(e), a) ? e : Value::raised();
}

Value import_error_init(const Args& a) {
  return import_error_keywords(self_exc(a), a) ? exc_init(a) : Value::raised();
}

// SyntaxError(msg, (filename, lineno, offset, text[, end_lineno, end_offset])): the details
// become attributes (set in __new__: native exception types get no __init__ call).
constexpr const char* kSyntaxDetails[] = {"filename", "lineno", "offset", "text", "end_lineno", "end_offset"};
constexpr size_t kMinSyntaxDetails = 4;

Value syntax_error_new(const Args& a) {
  Value e = exc_new(a);
  if (e.is_raised()) return e;
  auto* x = as<ExcObj>(e);
  auto& args = tuple_items(x->args);
  if (!args.empty()) dict_set_str(x->dict, intern("msg"), args[0]);
  if (args.size() == 2) {
    std::vector<Value> details;
    if (!collect(args[1], details)) return Value::raised();
    if (details.size() < kMinSyntaxDetails || details.size() > std::size(kSyntaxDetails))
      return raise(exc.IndexError, "tuple index out of range");
    for (size_t i = 0; i < details.size(); i++) dict_set_str(x->dict, intern(kSyntaxDetails[i]), details[i]);
  }
  return e;
}

Value syntax_attr(const ExcObj* x, const char* name) {
  Value* v = dict_find_str(x->dict, intern(name));
  return v ? *v : Value();
}

// "msg (file.py, line 3)": the file's base name, as CPython words it.
Value syntax_error_str(const Args& a) {
  auto* x = self_exc(a);
  Value msg = syntax_attr(x, "msg"), filename = syntax_attr(x, "filename"), lineno = syntax_attr(x, "lineno");
  std::string out;
  if (!str_string(msg, out)) return Value::raised();
  bool has_file = is_str(filename), has_line = lineno.is_int();
  if (!has_file && !has_line) return new_str(out);
  std::string where;
  if (has_file) {
    const std::string& f = str_of(filename);
    where = f.substr(f.rfind('/') + 1);  // npos + 1 == 0: no directory
  }
  if (has_line) where += (has_file ? ", line " : "line ") + std::to_string(lineno.as_int());
  return new_str(out + " (" + where + ")");
}

// What a SyntaxError instance says about where it is, for printing it as CPython does.
bool syntax_error_info(const Value& e, SyntaxErrorInfo& info) {
  if (!isinstance(e, exc.SyntaxError)) return false;  // others may have a lineno too (re.error)
  auto* x = as<ExcObj>(e);
  Value lineno = syntax_attr(x, "lineno");
  if (!lineno.is_int()) return false;
  Value filename = syntax_attr(x, "filename"), text = syntax_attr(x, "text"), msg = syntax_attr(x, "msg");
  Value offset = syntax_attr(x, "offset"), end_offset = syntax_attr(x, "end_offset");
  info.type = type_of(e)->name;
  info.filename = is_str(filename) ? str_of(filename) : "<string>";
  info.line = int(lineno.as_int());
  info.text = is_str(text) ? str_of(text) : "";
  info.msg = is_str(msg) ? str_of(msg) : "<no detail available>";
  info.col = offset.is_int() ? int(offset.as_int()) : 0;
  info.end_col = end_offset.is_int() ? int(end_offset.as_int()) : 0;
  return true;
}

Value key_error_str(const Args& a) {
  auto& args = tuple_items(self_exc(a)->args);
  if (args.size() == 1) return repr(args[0]);
  return exc_str(a);
}

// UnicodeEncodeError/UnicodeDecodeError(encoding, object, start, end, reason): CPython's message.
Value unicode_error_str(const Args& a) {
  auto& args = tuple_items(self_exc(a)->args);
  bool encoding = isinstance(a[0], exc.UnicodeEncodeError);
  if (args.size() != 5 || !is_str(args[0]) || !args[2].is_int() || !args[3].is_int() || !is_str(args[4]))
    return exc_str(a);
  int64_t start = args[2].as_int(), end = args[3].as_int();
  std::string msg = "'" + str_of(args[0]) + "' codec can't " + (encoding ? "encode " : "decode ");
  bool one = end == start + 1;
  if (one && encoding && is_str(args[1]) && start >= 0 && (size_t)start < as<StrObj>(args[1])->length) {
    const StrObj* text = as<StrObj>(args[1]);
    size_t at = utf8_offset(text, start), next = at;
    decode_utf8(text->s, next);
    msg += "character '" + ascii_escape(text->s.substr(at, next - at)) + "'";
  } else if (one && !encoding && is_byteslike(args[1]) && start >= 0 && (size_t)start < bytes_of(args[1]).size()) {
    static const char* digits = "0123456789abcdef";
    unsigned char b = bytes_of(args[1])[start];
    msg += std::string("byte 0x") + digits[b >> 4] + digits[b & 15];
  } else {
    msg += std::string(encoding ? "characters" : "bytes") + " in position " + std::to_string(start) + "-" +
           std::to_string(end - 1);
    return new_str(msg + ": " + str_of(args[4]));
  }
  return new_str(msg + " in position " + std::to_string(start) + ": " + str_of(args[4]));
}

Value exc_repr(const Args& a) {
  auto& args = tuple_items(self_exc(a)->args);
  std::string name = type_of(a[0])->name;
  if (args.size() == 1) {
    std::string r;
    if (!repr_string(args[0], r)) return Value::raised();
    return new_str(name + "(" + r + ")");
  }
  std::string r;
  if (!repr_string(self_exc(a)->args, r)) return Value::raised();
  return new_str(name + r);
}

Value exc_with_traceback(const Args& a) { return a[0]; }

Value get_args(const Value& s) { return as<ExcObj>(s)->args; }
bool set_args(const Value& s, Value v) {
  std::vector<Value> items;
  if (!collect(v, items)) return false;
  as<ExcObj>(s)->args = new_tuple(std::move(items));
  return true;
}
Value get_cause(const Value& s) { return as<ExcObj>(s)->cause; }
bool set_cause(const Value& s, Value v) {
  as<ExcObj>(s)->cause = std::move(v);
  as<ExcObj>(s)->suppress_context = true;
  return true;
}
Value get_context(const Value& s) { return as<ExcObj>(s)->context; }
bool set_context(const Value& s, Value v) {
  as<ExcObj>(s)->context = std::move(v);
  return true;
}
Value get_traceback(const Value& s) { return traceback_of(s); }
Value get_suppress(const Value& s) { return Value::boolean(as<ExcObj>(s)->suppress_context); }
bool set_suppress(const Value& s, Value v) {
  as<ExcObj>(s)->suppress_context = v.is_bool() && v.as_bool();
  return true;
}

// The fields of a Unicode error, from its five constructor arguments.
template <size_t I>
Value unicode_error_field(const Value& s) {
  auto& args = tuple_items(as<ExcObj>(s)->args);
  return args.size() == 5 ? args[I] : Value();
}

Value first_arg(const Value& s) {
  auto& args = tuple_items(as<ExcObj>(s)->args);
  return args.empty() ? Value() : args[0];
}

Value system_exit_code(const Value& s) {
  auto& args = tuple_items(as<ExcObj>(s)->args);
  if (args.empty()) return Value();
  if (args.size() == 1) return args[0];
  return as<ExcObj>(s)->args;
}

// OSError(errno, strerror[, filename[, winerror[, filename2]]]): str is "[Errno N] text: 'name'"
// (with " -> 'name2'" for two-path calls such as rename).
Value os_error_str(const Args& a) {
  auto& args = tuple_items(self_exc(a)->args);
  if (args.size() >= 2) {
    std::string s = "[Errno ";
    std::string n, t;
    if (!str_string(args[0], n) || !str_string(args[1], t)) return Value::raised();
    s += n + "] " + t;
    if (args.size() >= 3) {
      std::string fn;
      if (!repr_string(args[2], fn)) return Value::raised();
      s += ": " + fn;
    }
    if (args.size() >= 5 && !args[4].is_none()) {
      std::string fn2;
      if (!repr_string(args[4], fn2)) return Value::raised();
      s += " -> " + fn2;
    }
    return new_str(std::move(s));
  }
  return exc_str(a);
}
// OSError(errno, strerror, ...) makes the subclass errno names, as CPython does.
Value os_error_new(const Args& a) {
  if (a[0].obj() != exc.OSError || a.npos < 3 || !a[1].is_int()) return exc_new(a);
  std::vector<Value> pos(a.pos, a.pos + a.npos);
  pos[0] = Value::borrow(os_error_type(static_cast<int>(a[1].as_int())));
  return exc_new(Args{pos.data(), pos.size()});
}

Value os_errno(const Value& s) {
  auto& args = tuple_items(as<ExcObj>(s)->args);
  return args.size() >= 2 ? args[0] : Value();
}
Value os_strerror(const Value& s) {
  auto& args = tuple_items(as<ExcObj>(s)->args);
  return args.size() >= 2 ? args[1] : Value();
}
Value os_filename(const Value& s) {
  auto& args = tuple_items(as<ExcObj>(s)->args);
  return args.size() >= 3 ? args[2] : Value();
}
Value os_filename2(const Value& s) {
  auto& args = tuple_items(as<ExcObj>(s)->args);
  return args.size() >= 5 ? args[4] : Value();
}

Value name_error_name(const Value& s) {
  Value* v = dict_find_str(as<ExcObj>(s)->dict, intern("name"));
  return v ? *v : Value();
}

}  // namespace

std::string source_line(const Code& code, int line) {
  const auto& lines = code.module->lines;
  if (line < 1 || line > (int)lines.size()) return "";
  const std::string& s = lines[line - 1];
  size_t b = s.find_first_not_of(" \t\f");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  // No-break spaces pasted from web pages count as indentation too.
  while (b + 1 < s.size() && (unsigned char)s[b] == 0xC2 && (unsigned char)s[b + 1] == 0xA0) b += 2;
  return s.substr(b, e - b + 1);
}

namespace {

constexpr int kRecursiveCutoff = 3;  // identical consecutive frames shown before the rest are counted

bool same_place(const TraceEntry& a, const TraceEntry& b) {
  return a.line == b.line && a.code->name == b.code->name && a.code->filename() == b.code->filename();
}

// The line standing for the frames of a run beyond the cutoff; empty when there are none.
std::string repeated_note(int count) {
  int more = count - kRecursiveCutoff;
  if (more <= 0) return "";
  return "  [Previous line repeated " + std::to_string(more) + " more time" + (more > 1 ? "s" : "") + "]\n";
}

}  // namespace

std::string format_trace(const std::vector<TraceEntry>& trace, std::optional<int> limit) {
  std::vector<const TraceEntry*> shown;  // outermost first
  for (auto it = trace.rbegin(); it != trace.rend(); ++it)
    if (!it->code->is_library()) shown.push_back(&*it);
  if (limit && size_t(std::abs(*limit)) < shown.size()) {
    size_t keep = std::abs(*limit);
    if (*limit >= 0) shown.resize(keep);
    else shown.erase(shown.begin(), shown.end() - keep);
  }
  // Runs of one place (a recursion) are cut after kRecursiveCutoff frames, as CPython's StackSummary.format does.
  std::string out;
  const TraceEntry* run = nullptr;
  int count = 0;
  for (const TraceEntry* t : shown) {
    if (!run || !same_place(*run, *t)) {
      out += repeated_note(count);
      run = t;
      count = 0;
    }
    if (++count > kRecursiveCutoff) continue;
    out += "  File \"" + t->code->filename() + "\", line " + std::to_string(t->line) + ", in " + t->code->name + "\n";
    std::string src = source_line(*t->code, t->line);
    if (!src.empty()) out += "    " + src + "\n";
  }
  return out + repeated_note(count);
}

namespace {

// Exception groups print as a tree of boxes, as CPython's traceback module draws them: each
// member's lines are indented by the group depth behind a "| " margin.
constexpr size_t kMaxGroupWidth = 15;  // members shown per group; the rest are counted
constexpr int kMaxGroupDepth = 10;     // nesting shown

struct PrintContext {
  std::optional<int> limit;  // frames kept per traceback: the outermost (>= 0) or innermost (< 0)
  int group_depth = 0;
  bool need_close = false;  // the innermost group's closing rule is still to be drawn
  std::string out;

  std::string indent() const { return std::string(2 * size_t(group_depth), ' '); }

  // Appends text with every line behind the group margin.
  void emit(const std::string& text, char margin = '|') {
    std::string prefix = indent();
    if (group_depth) prefix += std::string(1, margin) + " ";
    for (size_t i = 0; i < text.size();) {
      size_t end = text.find('\n', i);
      end = end == std::string::npos ? text.size() : end + 1;
      out += prefix;
      out.append(text, i, end - i);
      i = end;
    }
  }
};

const std::vector<Value>* group_members(const Value& e) {
  if (!isinstance(e, exc.BaseExceptionGroup)) return nullptr;
  Value* items = dict_find_str(as<ExcObj>(e)->dict, intern("exceptions"));
  return items && is_exact(*items, types.tuple) ? &tuple_items(*items) : nullptr;
}

// Frames of embedded library code are hidden; with none left, no header either.
bool any_frame_shown(const ExcObj* x) {
  return std::any_of(x->traceback.begin(), x->traceback.end(), [](const TraceEntry& t) { return !t.code->is_library(); });
}

// What one exception prints, decided before printing as CPython's TracebackException does:
// an exception already met in the walk is not shown again as a cause or context (the walk is
// depth-first from the last-queued, so which occurrence is shown follows CPython's order).
struct TraceNode {
  Value exc;
  TraceNode *cause = nullptr, *context = nullptr;
  std::vector<TraceNode*> members;  // for an exception group
  const std::vector<Value>* group = nullptr;
};

class TraceTree {
 public:
  TraceNode* build(const Value& e) {
    TraceNode* root = node(e);
    std::vector<TraceNode*> queue{root};
    while (!queue.empty()) {
      TraceNode* n = queue.back();
      queue.pop_back();
      auto* x = as<ExcObj>(n->exc);
      if (is_exception(x->cause) && !seen_.count(x->cause.obj())) n->cause = node(x->cause);
      if (!n->cause && !x->suppress_context && is_exception(x->context) && !seen_.count(x->context.obj()))
        n->context = node(x->context);
      if (n->group)
        for (const Value& m : *n->group) n->members.push_back(node(m));
      if (n->cause) queue.push_back(n->cause);
      if (n->context) queue.push_back(n->context);
      queue.insert(queue.end(), n->members.begin(), n->members.end());
    }
    return root;
  }

 private:
  std::deque<TraceNode> nodes_;
  std::unordered_set<Object*> seen_;

  TraceNode* node(const Value& e) {
    seen_.insert(e.obj());
    nodes_.push_back(TraceNode{e, nullptr, nullptr, {}, group_members(e)});
    return &nodes_.back();
  }
};

void format_node(PrintContext& c, const TraceNode* n, bool chain);

void format_group(PrintContext& c, const TraceNode* n, bool chain) {
  auto* x = as<ExcObj>(n->exc);
  bool top = c.group_depth == 0;
  if (top) c.group_depth++;
  if (any_frame_shown(x)) {
    c.emit("Exception Group Traceback (most recent call last):\n", top ? '+' : '|');
    c.emit(format_trace(x->traceback, c.limit));
  }
  c.emit(exception_line(n->exc) + "\n");
  size_t shown = std::min(n->members.size(), kMaxGroupWidth + 1);
  c.need_close = false;
  for (size_t i = 0; i < shown; i++) {
    bool last = i + 1 == shown, truncated = i >= kMaxGroupWidth;
    if (last) c.need_close = true;  // a nested group may draw it instead
    std::string title = truncated ? "..." : std::to_string(i + 1);
    c.out += c.indent() + (i == 0 ? "+-" : "  ") + "+---------------- " + title + " ----------------\n";
    c.group_depth++;
    if (!truncated) {
      format_node(c, n->members[i], chain);
    } else {
      size_t more = n->members.size() - kMaxGroupWidth;
      c.emit("and " + std::to_string(more) + " more exception" + (more > 1 ? "s" : "") + "\n");
    }
    if (last && c.need_close) {
      c.out += c.indent() + "+------------------------------------\n";
      c.need_close = false;
    }
    c.group_depth--;
  }
  if (top) c.group_depth = 0;
}

// One exception with (when chain) the causes and contexts that led to it, oldest first.
void format_node(PrintContext& c, const TraceNode* n, bool chain) {
  std::vector<std::pair<const char*, const TraceNode*>> links;  // each, after the words linking it to its cause
  for (const TraceNode* at = n; at;) {
    const char* words = nullptr;
    const TraceNode* next = nullptr;
    if (chain && at->cause) {
      words = "\nThe above exception was the direct cause of the following exception:\n\n";
      next = at->cause;
    } else if (chain && at->context) {
      words = "\nDuring handling of the above exception, another exception occurred:\n\n";
      next = at->context;
    }
    links.emplace_back(words, at);
    at = next;
  }
  for (auto it = links.rbegin(); it != links.rend(); ++it) {
    if (it->first) c.emit(it->first);
    const TraceNode* x = it->second;
    if (!x->group) {
      auto* e = as<ExcObj>(x->exc);
      if (any_frame_shown(e)) c.emit("Traceback (most recent call last):\n" + format_trace(e->traceback, c.limit));
      SyntaxErrorInfo info;
      c.emit(syntax_error_info(x->exc, info) ? format_syntax_error(info) : exception_line(x->exc) + "\n");
    } else if (c.group_depth > kMaxGroupDepth) {
      c.emit("... (max_group_depth is " + std::to_string(kMaxGroupDepth) + ")\n");
    } else {
      format_group(c, x, chain);
    }
  }
}

}  // namespace

Value make_exception(Type* t, std::vector<Value>&& args) {
  auto* e = static_cast<ExcObj*>(t->alloc ? t->alloc(t) : new ExcObj(t));
  e->args = new_tuple(std::move(args));
  return Value::adopt(e);
}

Type* os_error_type(int err) {
  Type* t = exc.OSError;
  switch (err) {
    case ENOENT: t = exc.FileNotFoundError; break;
    case EEXIST: t = exc.FileExistsError; break;
    case EACCES:
    case EPERM: t = exc.PermissionError; break;
    case EISDIR: t = exc.IsADirectoryError; break;
    case ENOTDIR: t = exc.NotADirectoryError; break;
    case ETIMEDOUT: t = exc.TimeoutError; break;
    case EPIPE: t = exc.BrokenPipeError; break;
    case ECONNRESET: t = exc.ConnectionResetError; break;
    case ECONNREFUSED: t = exc.ConnectionRefusedError; break;
    case ECONNABORTED: t = exc.ConnectionAbortedError; break;
    case EINTR: t = exc.InterruptedError; break;
    case EAGAIN:
    case EINPROGRESS:
    case EALREADY: t = exc.BlockingIOError; break;
    case ECHILD: t = exc.ChildProcessError; break;
    case ESRCH: t = exc.ProcessLookupError; break;
    default: break;
  }
  return t;
}

Value raise_os_error(int err, const std::string& filename, const std::string& filename2) {
  Type* t = os_error_type(err);
  std::vector<Value> args{Value::integer(err), new_str(std::string(strerror(err)))};
  if (!filename.empty()) args.push_back(new_str(filename));
  if (!filename2.empty()) {
    args.push_back(Value());  // winerror
    args.push_back(new_str(filename2));
  }
  return raise_value(make_exception(t, std::move(args)));
}

Value take_exception() {
  Value e = std::move(tstate->exc);
  tstate->exc = Value();
  return e;
}

bool exception_matches(Type* t) { return tstate->exc.is_obj() && isinstance(tstate->exc, t); }

int exception_isinstance(const Value& e, const Value& t) {
  if (is_exact(t, types.tuple)) {
    for (const Value& x : tuple_items(t)) {
      int r = exception_isinstance(e, x);
      if (r != 0) return r;
    }
    return 0;
  }
  if (!t.is_obj() || !is_subtype(type_of(t), types.type) || !is_subtype(as<Type>(t), exc.BaseException)) {
    raise(exc.TypeError, "catching classes that do not inherit from BaseException is not allowed");
    return -1;
  }
  return isinstance(e, as<Type>(t)) ? 1 : 0;
}

std::string exception_message(const Value& e) {
  std::string s;
  if (!str_string(e, s)) {
    take_exception();
    return "<exception str() failed>";
  }
  return s;
}

std::string exception_line(const Value& e) {
  Type* t = type_of(e);
  std::string name = t->module == "builtins" || t->module == "__main__" ? t->name : t->module + "." + t->name;
  std::string msg = exception_message(e);
  return msg.empty() ? name : name + ": " + msg;
}

std::string format_syntax_error(const SyntaxErrorInfo& e) {
  std::string out = "  File \"" + e.filename + "\", line " + std::to_string(e.line) + "\n";
  if (!e.text.empty()) {
    std::string text = e.text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    size_t lead = text.find_first_not_of(" \t\f");
    if (lead == std::string::npos) lead = text.size();
    std::string stripped = text.substr(lead);
    out += "    " + stripped + "\n";
    if (e.col > 0) {
      int caret = e.col - 1 - (int)lead;
      if (caret < 0) caret = 0;
      int width = e.end_col > e.col ? e.end_col - e.col : 1;
      if (caret + width > (int)stripped.size() + 1) width = std::max(1, (int)stripped.size() + 1 - caret);
      out += "    " + std::string(caret, ' ') + std::string(width, '^') + "\n";
    }
  }
  return out + e.type + ": " + e.msg + "\n";
}

Value raise_syntax_error(const SyntaxErrorInfo& e) {
  Type* t = e.type == "IndentationError" ? exc.IndentationError : e.type == "TabError" ? exc.TabError : exc.SyntaxError;
  Value details = new_tuple({new_str(e.filename), Value::integer(e.line), Value::integer(e.col), new_str(e.text),
                             Value::integer(e.line), Value::integer(e.end_col)});
  Value x = call(Value::borrow(t), {new_str(e.msg), details});
  return x.is_raised() ? x : raise_value(x);
}

std::string format_exception(const Value& e, bool chain, std::optional<int> limit) {
  PrintContext c;
  c.limit = limit;
  TraceTree tree;
  format_node(c, tree.build(e), chain);
  return c.out;
}

void init_exception_types() {
  Type* base = make("BaseException", types.object);
  exc.BaseException = base;
  add_method(base, "__new__", exc_new);
  add_method(base, "__init__", exc_init);
  add_method(base, "__str__", exc_str);
  add_method(base, "__repr__", exc_repr);
  add_method(base, "with_traceback", exc_with_traceback);
  add_getset(base, "args", get_args, set_args);
  add_getset(base, "__cause__", get_cause, set_cause);
  add_getset(base, "__context__", get_context, set_context);
  add_getset(base, "__traceback__", get_traceback);
  add_getset(base, "__suppress_context__", get_suppress, set_suppress);
  exc.SystemExit = make("SystemExit", base);
  add_getset(exc.SystemExit, "code", system_exit_code);
  exc.KeyboardInterrupt = make("KeyboardInterrupt", base);
  exc.GeneratorExit = make("GeneratorExit", base);
  exc.BaseExceptionGroup = make("BaseExceptionGroup", base);
  Type* e = exc.Exception = make("Exception", base);
  exc.ExceptionGroup = make("ExceptionGroup", exc.BaseExceptionGroup);
  exc.StopIteration = make("StopIteration", e);
  add_getset(exc.StopIteration, "value", first_arg);
  exc.StopAsyncIteration = make("StopAsyncIteration", e);
  exc.ArithmeticError = make("ArithmeticError", e);
  exc.ZeroDivisionError = make("ZeroDivisionError", exc.ArithmeticError);
  exc.OverflowError = make("OverflowError", exc.ArithmeticError);
  exc.FloatingPointError = make("FloatingPointError", exc.ArithmeticError);
  exc.AssertionError = make("AssertionError", e);
  exc.AttributeError = make("AttributeError", e);
  exc.BufferError = make("BufferError", e);
  exc.EOFError = make("EOFError", e);
  exc.LookupError = make("LookupError", e);
  exc.IndexError = make("IndexError", exc.LookupError);
  exc.KeyError = make("KeyError", exc.LookupError);
  add_method(exc.KeyError, "__str__", key_error_str);
  exc.MemoryError = make("MemoryError", e);
  exc.NameError = make("NameError", e);
  add_getset(exc.NameError, "name", name_error_name);
  exc.UnboundLocalError = make("UnboundLocalError", exc.NameError);
  exc.TypeError = make("TypeError", e);
  exc.ValueError = make("ValueError", e);
  exc.UnicodeError = make("UnicodeError", exc.ValueError);
  exc.UnicodeDecodeError = make("UnicodeDecodeError", exc.UnicodeError);
  exc.UnicodeEncodeError = make("UnicodeEncodeError", exc.UnicodeError);
  for (Type* t : {exc.UnicodeEncodeError, exc.UnicodeDecodeError}) {
    add_method(t, "__str__", unicode_error_str);
    add_getset(t, "encoding", unicode_error_field<0>);
    add_getset(t, "object", unicode_error_field<1>);
    add_getset(t, "start", unicode_error_field<2>);
    add_getset(t, "end", unicode_error_field<3>);
    add_getset(t, "reason", unicode_error_field<4>);
  }
  exc.UnicodeTranslateError = make("UnicodeTranslateError", exc.UnicodeError);
  exc.RuntimeError = make("RuntimeError", e);
  exc.RecursionError = make("RecursionError", exc.RuntimeError);
  exc.NotImplementedError = make("NotImplementedError", exc.RuntimeError);
  exc.ImportError = make("ImportError", e);
  add_method(exc.ImportError, "__new__", import_error_new);
  add_method(exc.ImportError, "__init__", import_error_init);
  add_attr(exc.ImportError, "name", Value());
  add_attr(exc.ImportError, "path", Value());
  exc.ModuleNotFoundError = make("ModuleNotFoundError", exc.ImportError);
  exc.SyntaxError = make("SyntaxError", e);
  add_method(exc.SyntaxError, "__new__", syntax_error_new);
  add_method(exc.SyntaxError, "__str__", syntax_error_str);
  add_attr(exc.SyntaxError, "msg", Value());
  for (const char* name : kSyntaxDetails) add_attr(exc.SyntaxError, name, Value());
  add_attr(exc.SyntaxError, "print_file_and_line", Value());
  exc.IndentationError = make("IndentationError", exc.SyntaxError);
  exc.TabError = make("TabError", exc.IndentationError);
  exc.SystemError = make("SystemError", e);
  Type* os = exc.OSError = make("OSError", e);
  add_method(os, "__new__", os_error_new);
  add_method(os, "__str__", os_error_str);
  add_getset(os, "errno", os_errno);
  add_getset(os, "strerror", os_strerror);
  add_getset(os, "filename", os_filename);
  add_getset(os, "filename2", os_filename2);
  exc.EnvironmentError = os;
  exc.IOError = os;
  exc.FileNotFoundError = make("FileNotFoundError", os);
  exc.FileExistsError = make("FileExistsError", os);
  exc.PermissionError = make("PermissionError", os);
  exc.IsADirectoryError = make("IsADirectoryError", os);
  exc.NotADirectoryError = make("NotADirectoryError", os);
  exc.TimeoutError = make("TimeoutError", os);
  exc.InterruptedError = make("InterruptedError", os);
  exc.BlockingIOError = make("BlockingIOError", os);
  exc.ChildProcessError = make("ChildProcessError", os);
  exc.ProcessLookupError = make("ProcessLookupError", os);
  exc.ConnectionError = make("ConnectionError", os);
  exc.BrokenPipeError = make("BrokenPipeError", exc.ConnectionError);
  exc.ConnectionResetError = make("ConnectionResetError", exc.ConnectionError);
  exc.ConnectionRefusedError = make("ConnectionRefusedError", exc.ConnectionError);
  exc.ConnectionAbortedError = make("ConnectionAbortedError", exc.ConnectionError);
  Type* w = exc.Warning = make("Warning", e);
  exc.UserWarning = make("UserWarning", w);
  exc.DeprecationWarning = make("DeprecationWarning", w);
  exc.PendingDeprecationWarning = make("PendingDeprecationWarning", w);
  exc.RuntimeWarning = make("RuntimeWarning", w);
  exc.SyntaxWarning = make("SyntaxWarning", w);
  exc.ResourceWarning = make("ResourceWarning", w);
  exc.FutureWarning = make("FutureWarning", w);
  exc.ImportWarning = make("ImportWarning", w);
  exc.UnicodeWarning = make("UnicodeWarning", w);
  exc.BytesWarning = make("BytesWarning", w);
  init_exception_group_types();
}

}  // namespace aio
