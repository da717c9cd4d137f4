// File objects over stdio streams: open()'s mode rules and errors as CPython's io module.
#include "stdlib/file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "interp/bytes.h"
#include "interp/descr.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/line_input.h"
#include "stdlib/path_arg.h"

namespace aio {

namespace {

constexpr size_t kReadChunk = 1 << 16;

struct FileTypes {
  Type *base, *text, *reader, *writer, *random;
};

FileTypes& file_types();

// The parsed mode string: one of r w a x, optional '+', 'b' or 't'.
struct Mode {
  char kind = 0;
  bool plus = false, binary = false;
};

bool parse_mode(const std::string& s, Mode& m) {
  bool text = false;
  int kinds = 0;
  for (char c : s) {
    if (std::string_view("rwaxbt+").find(c) == std::string_view::npos || s.find(c) != s.rfind(c)) {
      raise(exc.ValueError, "invalid mode: '" + s + "'");
      return false;
    }
    if (c == '+') m.plus = true;
    else if (c == 'b') m.binary = true;
    else if (c == 't') text = true;
    else { m.kind = c; kinds++; }
  }
  if (text && m.binary) {
    raise(exc.ValueError, "can't have text and binary mode at once");
    return false;
  }
  if (kinds != 1) {
    raise(exc.ValueError, "must have exactly one of create/read/write/append mode");
    return false;
  }
  return true;
}

const char* fopen_mode(const Mode& m) {
  switch (m.kind) {
    case 'r': return m.plus ? "r+" : "r";
    case 'w': return m.plus ? "w+" : "w";
    case 'a': return m.plus ? "a+" : "a";
    default: return m.plus ? "w+x" : "wx";
  }
}

Type* type_for(const Mode& m) {
  FileTypes& ft = file_types();
  if (!m.binary) return ft.text;
  if (m.plus) return ft.random;
  return m.kind == 'r' ? ft.reader : ft.writer;
}

FileObj* self_file(const Args& a) { return as<FileObj>(a[0]); }

bool check_open(FileObj* f) {
  if (f->fp) return true;
  raise(exc.ValueError, "I/O operation on closed file.");
  return false;
}

bool check_readable(FileObj* f) {
  if (!check_open(f)) return false;
  if (f->readable) return true;
  raise(exc.OSError, "not readable");
  return false;
}

bool check_writable(FileObj* f) {
  if (!check_open(f)) return false;
  if (f->writable) return true;
  raise(exc.OSError, "not writable");
  return false;
}

// Universal newlines: \r\n and a lone \r read as \n in text mode.
std::string translate_newlines(std::string s) {
  if (s.find('\r') == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] != '\r') { out += s[i]; continue; }
    out += '\n';
    if (i + 1 < s.size() && s[i + 1] == '\n') i++;
  }
  return out;
}

// newline='\r\n' or '\r' on write: each '\n' written becomes that.
std::string replace_newlines(const std::string& s, const std::string& newline) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += newline;
    else out += c;
  }
  return out;
}

// Python spells the codec names many ways; the codecs here want one.
std::string normalize_encoding(std::string e) {
  for (char& c : e) c = (c == '_') ? '-' : static_cast<char>(tolower(c));
  if (e == "utf8") return "utf-8";
  return e;
}

// Bytes read become str (text mode) or bytes.
Value finish_read(FileObj* f, std::string data) {
  if (f->binary) return new_bytes(std::move(data));
  std::string text = f->universal_newlines ? translate_newlines(std::move(data)) : std::move(data);
  return bytes_decode(text, normalize_encoding(f->encoding), "strict");
}

std::string read_all(FILE* fp) {
  std::string data;
  char buf[kReadChunk];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0) data.append(buf, n);
  return data;
}

// Reads `count` units: bytes in binary mode, whole UTF-8 code points in text mode. False when
// Ctrl-C interrupted the wait for input (KeyboardInterrupt raised).
bool read_count(FileObj* f, int64_t count, std::string& data) {
  for (int64_t i = 0; i < count; i++) {
    if (!wait_readable(f->fp)) return false;
    int c = fgetc(f->fp);
    if (c == EOF) break;
    data += static_cast<char>(c);
    if (f->binary) continue;
    unsigned char lead = static_cast<unsigned char>(c);
    int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    for (int k = 0; k < extra && (c = fgetc(f->fp)) != EOF; k++) data += static_cast<char>(c);
  }
  return true;
}

// One line including its '\n'; at most `limit` bytes when limit >= 0. Empty at EOF. False when
// Ctrl-C interrupted the wait for input (KeyboardInterrupt raised).
bool read_line(FILE* fp, int64_t limit, std::string& line) {
  while (limit < 0 || static_cast<int64_t>(line.size()) < limit) {
    if (!wait_readable(fp)) return false;
    int c = fgetc(fp);
    if (c == EOF) break;
    line += static_cast<char>(c);
    if (c == '\n') break;
  }
  return true;
}

bool optional_size(const Args& a, const char* name, int64_t& out) {
  out = -1;
  const Value* v = arg_or_kw(a, 1, name);
  if (!v || v->is_none()) return true;
  return index_of(*v, out);
}

Value file_read(const Args& a) {
  FileObj* f = self_file(a);
  int64_t n;
  if (!check_readable(f) || !optional_size(a, "size", n)) return Value::raised();
  if (n < 0) return finish_read(f, read_all(f->fp));
  std::string data;
  if (!read_count(f, n, data)) return Value::raised();
  return finish_read(f, std::move(data));
}

Value file_readline(const Args& a) {
  FileObj* f = self_file(a);
  int64_t n;
  if (!check_readable(f) || !optional_size(a, "size", n)) return Value::raised();
  std::string line;
  if (!read_line(f->fp, n, line)) return Value::raised();
  return finish_read(f, std::move(line));
}

Value file_readlines(const Args& a) {
  FileObj* f = self_file(a);
  if (!check_readable(f)) return Value::raised();
  std::vector<Value> lines;
  for (;;) {
    std::string line;
    if (!read_line(f->fp, -1, line)) return Value::raised();
    if (line.empty()) break;
    Value v = finish_read(f, std::move(line));
    if (v.is_raised()) return v;
    lines.push_back(std::move(v));
  }
  return new_list(std::move(lines));
}

Value file_next(const Args& a) {
  FileObj* f = self_file(a);
  if (!check_readable(f)) return Value::raised();
  std::string line;
  if (!read_line(f->fp, -1, line)) return Value::raised();
  if (line.empty()) return raise_value(make_exception(exc.StopIteration, {}));
  return finish_read(f, std::move(line));
}

Value file_iter(const Args& a) {
  if (!check_open(self_file(a))) return Value::raised();
  return a[0];
}

// The bytes a write() puts in the file; false when the argument has the wrong type.
bool encode_for_write(FileObj* f, const Value& v, std::string& out, int64_t& written) {
  if (f->binary) {
    if (!is_byteslike(v)) {
      raise(exc.TypeError, "a bytes-like object is required, not '" + type_name(v) + "'");
      return false;
    }
    out = bytes_of(v);
    written = static_cast<int64_t>(out.size());
    return true;
  }
  if (!is_str(v)) {
    raise(exc.TypeError, "write() argument must be str, not " + type_name(v));
    return false;
  }
  written = static_cast<int64_t>(as<StrObj>(v)->length);
  std::string codec = normalize_encoding(f->encoding);
  std::string text = str_of(v);
  if (!f->write_newline.empty()) text = replace_newlines(text, f->write_newline);
  if (codec == "utf-8") {
    out = std::move(text);
    return true;
  }
  Value b = str_encode(text, codec, "strict");
  if (b.is_raised()) return false;
  out = bytes_of(b);
  return true;
}

bool write_value(FileObj* f, const Value& v, int64_t& written) {
  std::string data;
  if (!encode_for_write(f, v, data, written)) return false;
  if (fwrite(data.data(), 1, data.size(), f->fp) == data.size()) return true;
  raise_os_error(errno, "");
  return false;
}

Value file_write(const Args& a) {
  if (!check_args(a, "write", 2, 2)) return Value::raised();
  FileObj* f = self_file(a);
  int64_t written;
  if (!check_writable(f) || !write_value(f, a[1], written)) return Value::raised();
  return Value::integer(written);
}

Value file_writelines(const Args& a) {
  if (!check_args(a, "writelines", 2, 2)) return Value::raised();
  FileObj* f = self_file(a);
  if (!check_writable(f)) return Value::raised();
  Value it = get_iter(a[1]);
  if (it.is_raised()) return it;
  Value item;
  int64_t written;
  while (next_item(it, item))
    if (!write_value(f, item, written)) return Value::raised();
  return item.is_raised() ? item : Value();
}

void close_file(FileObj* f) {
  if (!f->fp) return;
  if (f->owned) fclose(f->fp);
  f->fp = nullptr;
}

Value file_close(const Args& a) {
  close_file(self_file(a));
  return Value();
}

Value file_flush(const Args& a) {
  FileObj* f = self_file(a);
  if (!check_open(f)) return Value::raised();
  fflush(f->fp);
  return Value();
}

Value file_enter(const Args& a) {
  if (!check_open(self_file(a))) return Value::raised();
  return a[0];
}

Value file_exit(const Args& a) {
  close_file(self_file(a));
  return Value();
}

Value file_fileno(const Args& a) {
  FileObj* f = self_file(a);
  if (!check_open(f)) return Value::raised();
  return Value::integer(fileno(f->fp));
}

Value file_seek(const Args& a) {
  if (!check_args(a, "seek", 2, 3)) return Value::raised();
  FileObj* f = self_file(a);
  int64_t offset, whence = SEEK_SET;
  if (!check_open(f) || !index_of(a[1], offset)) return Value::raised();
  if (a.npos > 2 && !index_of(a[2], whence)) return Value::raised();
  if (fseek(f->fp, offset, static_cast<int>(whence)) != 0) return raise_os_error(errno);
  return Value::integer(ftell(f->fp));
}

Value file_tell(const Args& a) {
  FileObj* f = self_file(a);
  if (!check_open(f)) return Value::raised();
  return Value::integer(ftell(f->fp));
}

Value file_readable(const Args& a) { return Value::boolean(self_file(a)->readable); }
Value file_writable(const Args& a) { return Value::boolean(self_file(a)->writable); }

Value file_repr(const Args& a) {
  FileObj* f = self_file(a);
  std::string out = "<_io." + f->type->name + " name=" + (f->name_is_fd ? f->name : str_repr(f->name));
  if (!f->binary) out += " mode=" + str_repr(f->mode) + " encoding=" + str_repr(f->encoding);
  return new_str(out + ">");
}

Value get_closed(const Value& self) { return Value::boolean(as<FileObj>(self)->fp == nullptr); }
Value get_name(const Value& self) {
  const FileObj* f = as<FileObj>(self);
  return f->name_is_fd ? Value::integer(std::stoll(f->name)) : new_str(f->name);
}
Value get_mode(const Value& self) { return new_str(as<FileObj>(self)->mode); }
Value get_encoding(const Value& self) { return new_str(as<FileObj>(self)->encoding); }

FileTypes make_file_types() {
  FileTypes ft;
  ft.base = new Type("_IOBase", types.object);
  ft.text = new Type("TextIOWrapper", ft.base);
  ft.reader = new Type("BufferedReader", ft.base);
  ft.writer = new Type("BufferedWriter", ft.base);
  ft.random = new Type("BufferedRandom", ft.base);
  for (Type* t : {ft.base, ft.text, ft.reader, ft.writer, ft.random}) t->module = "_io";
  Type* b = ft.base;
  add_method(b, "read", file_read);
  add_method(b, "readline", file_readline);
  add_method(b, "readlines", file_readlines);
  add_method(b, "write", file_write);
  add_method(b, "writelines", file_writelines);
  add_method(b, "close", file_close);
  add_method(b, "flush", file_flush);
  add_method(b, "fileno", file_fileno);
  add_method(b, "seek", file_seek);
  add_method(b, "tell", file_tell);
  add_method(b, "readable", file_readable);
  add_method(b, "writable", file_writable);
  add_method(b, "__enter__", file_enter);
  add_method(b, "__exit__", file_exit);
  add_method(b, "__iter__", file_iter);
  add_method(b, "__next__", file_next);
  add_method(b, "__repr__", file_repr);
  add_getset(b, "closed", get_closed);
  add_getset(b, "name", get_name);
  add_getset(b, "mode", get_mode);
  add_getset(ft.text, "encoding", get_encoding);
  return ft;
}

FileTypes& file_types() {
  static FileTypes ft = make_file_types();
  return ft;
}

}  // namespace

FileObj::FileObj(Type* t, FILE* f, std::string n, std::string m)
    : Object(t), fp(f), name(std::move(n)), mode(std::move(m)), encoding("UTF-8") {
  binary = mode.find('b') != std::string::npos;
  bool plus = mode.find('+') != std::string::npos;
  readable = mode[0] == 'r' || plus;
  writable = mode[0] != 'r' || plus;
  owned = true;
}

FileObj::~FileObj() { close_file(this); }

Value wrap_file(FILE* fp, const std::string& name, const std::string& mode, bool owned) {
  Mode m;
  if (!parse_mode(mode, m)) return Value::raised();
  auto* f = new FileObj(type_for(m), fp, name, mode);
  f->owned = owned;
  return Value::adopt(f);
}

namespace {

// open(fd): a stream over the descriptor, or over a duplicate when closefd=False (closing the
// file object then leaves fd open). Null with the error raised; name is the fd's digits.
FILE* open_fd(const Args& a, const Value& file, const Mode& m, std::string& name) {
  int64_t fd = file.as_int();
  const Value* closefd = arg_or_kw(a, 6, "closefd");
  int keep = closefd ? !truthy(*closefd) : 0;
  if (keep < 0) return nullptr;
  name = std::to_string(fd);
  int use = keep ? dup(int(fd)) : int(fd);
  FILE* fp = use < 0 ? nullptr : fdopen(use, fopen_mode(m));
  if (!fp) {
    raise_os_error(errno);
    if (keep && use >= 0) close(use);
  }
  return fp;
}

}  // namespace

Value builtin_open(const Args& a) {
  const Value* file = arg_or_kw(a, 0, "file");
  const Value* mode_arg = arg_or_kw(a, 1, "mode");
  const Value* enc = arg_or_kw(a, 3, "encoding");
  if (!file) return raise(exc.TypeError, "open() missing required argument 'file' (pos 1)");
  std::string path;
  bool by_fd = file->is_int();
  if (!by_fd && !path_arg(*file, path)) return Value::raised();
  if (mode_arg && !is_str(*mode_arg))
    return raise(exc.TypeError, "open() argument 'mode' must be str, not " + type_name(*mode_arg));
  std::string mode = mode_arg ? str_of(*mode_arg) : "r";
  Mode m;
  if (!parse_mode(mode, m)) return Value::raised();
  if (m.binary && enc && !enc->is_none())
    return raise(exc.ValueError, "binary mode doesn't take an encoding argument");
  const Value* newline = arg_or_kw(a, 5, "newline");
  if (newline && !newline->is_none()) {
    if (!is_str(*newline)) return raise(exc.TypeError, "open() argument 'newline' must be str or None, not " + type_name(*newline));
    const std::string& nl = str_of(*newline);
    if (nl != "" && nl != "\n" && nl != "\r" && nl != "\r\n") return raise(exc.ValueError, "illegal newline value: " + nl);
    if (m.binary) return raise(exc.ValueError, "binary mode doesn't take a newline argument");
  }
  FILE* fp = by_fd ? open_fd(a, *file, m, path) : fopen(path.c_str(), fopen_mode(m));
  if (!fp) return by_fd ? Value::raised() : raise_os_error(errno, path);
  struct stat st;
  if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(fp);
    return raise_os_error(EISDIR, path);
  }
  auto* f = new FileObj(type_for(m), fp, path, mode);
  f->name_is_fd = by_fd;
  if (newline && is_str(*newline)) {
    f->universal_newlines = false;
    if (str_of(*newline) == "\r" || str_of(*newline) == "\r\n") f->write_newline = str_of(*newline);
  }
  if (enc && is_str(*enc)) f->encoding = str_of(*enc);
  return Value::adopt(f);
}

}  // namespace aio
