// os.path: posixpath's string algorithms (join, split, splitext, normpath) and stat queries.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/path_arg.h"
#include "stdlib/stdlib.h"

namespace aio {

bool path_arg(const Value& v, std::string& out) {
  if (is_str(v)) {
    out = str_of(v);
    return true;
  }
  if (Value* f = type_lookup(type_of(v), intern("__fspath__"))) {
    Value r = call(*f, {v});
    if (r.is_raised()) return false;
    if (is_str(r)) {
      out = str_of(r);
      return true;
    }
  }
  raise(exc.TypeError, "expected str, bytes or os.PathLike object, not " + type_name(v));
  return false;
}

namespace {

Value str(std::string s) { return new_str(std::move(s)); }

bool one_path(const Args& a, const char* name, std::string& p) {
  return check_args(a, name, 1, 1) && path_arg(a[0], p);
}

// head and tail as posixpath.split: the head keeps a root of only slashes.
std::pair<std::string, std::string> split_path(const std::string& p) {
  size_t i = p.rfind('/') + 1;  // npos + 1 == 0
  std::string head = p.substr(0, i), tail = p.substr(i);
  if (!head.empty() && head.find_first_not_of('/') != std::string::npos)
    head.erase(head.find_last_not_of('/') + 1);
  return {head, tail};
}

std::string normpath(const std::string& path) {
  if (path.empty()) return ".";
  size_t initial = path[0] == '/' ? 1 : 0;
  if (initial && path.compare(0, 2, "//") == 0 && path.compare(0, 3, "///") != 0) initial = 2;
  std::vector<std::string> comps;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string comp = path.substr(start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp != ".." || (!initial && comps.empty()) || (!comps.empty() && comps.back() == ".."))
      comps.push_back(comp);
    else if (!comps.empty())
      comps.pop_back();
  }
  std::string out(initial, '/');
  for (size_t k = 0; k < comps.size(); k++) out += (k ? "/" : "") + comps[k];
  return out.empty() ? "." : out;
}

std::string current_dir() {
  char buf[PATH_MAX];
  return getcwd(buf, sizeof buf) ? buf : ".";
}

Value path_join(const Args& a) {
  if (!no_kwargs(a, "join")) return Value::raised();
  if (a.npos == 0) return raise(exc.TypeError, "join() missing 1 required positional argument: 'a'");
  std::string path;
  if (!path_arg(a[0], path)) return Value::raised();
  for (size_t i = 1; i < a.npos; i++) {
    std::string b;
    if (!path_arg(a[i], b)) return Value::raised();
    if (!b.empty() && b[0] == '/') path = b;
    else if (path.empty() || path.back() == '/') path += b;
    else path += "/" + b;
  }
  return str(path);
}

Value path_split(const Args& a) {
  std::string p;
  if (!one_path(a, "split", p)) return Value::raised();
  auto [head, tail] = split_path(p);
  return new_tuple({str(head), str(tail)});
}

Value path_basename(const Args& a) {
  std::string p;
  if (!one_path(a, "basename", p)) return Value::raised();
  return str(split_path(p).second);
}

Value path_dirname(const Args& a) {
  std::string p;
  if (!one_path(a, "dirname", p)) return Value::raised();
  return str(split_path(p).first);
}

Value path_splitext(const Args& a) {
  std::string p;
  if (!one_path(a, "splitext", p)) return Value::raised();
  size_t sep = p.rfind('/'), dot = p.rfind('.');
  size_t name_start = sep == std::string::npos ? 0 : sep + 1;
  if (dot != std::string::npos && (sep == std::string::npos || dot > sep))
    for (size_t k = name_start; k < dot; k++)
      if (p[k] != '.') return new_tuple({str(p.substr(0, dot)), str(p.substr(dot))});
  return new_tuple({str(p), str("")});
}

Value path_normpath(const Args& a) {
  std::string p;
  if (!one_path(a, "normpath", p)) return Value::raised();
  return str(normpath(p));
}

Value path_abspath(const Args& a) {
  std::string p;
  if (!one_path(a, "abspath", p)) return Value::raised();
  if (p.empty() || p[0] != '/') p = current_dir() + "/" + p;
  return str(normpath(p));
}

Value path_realpath(const Args& a) {
  std::string p;
  if (!one_path(a, "realpath", p)) return Value::raised();
  char buf[PATH_MAX];
  if (realpath(p.c_str(), buf)) return str(buf);
  if (p.empty() || p[0] != '/') p = current_dir() + "/" + p;
  return str(normpath(p));
}

Value path_isabs(const Args& a) {
  std::string p;
  if (!one_path(a, "isabs", p)) return Value::raised();
  return Value::boolean(!p.empty() && p[0] == '/');
}

Value path_expanduser(const Args& a) {
  std::string p;
  if (!one_path(a, "expanduser", p)) return Value::raised();
  const char* home = getenv("HOME");
  if (!home || p.empty() || p[0] != '~' || (p.size() > 1 && p[1] != '/')) return str(p);
  std::string h = home;
  if (h.size() > 1 && h.back() == '/') h.pop_back();
  return str(h + p.substr(1));
}

// The stat queries: false (not an error) when the path cannot be stat'ed.
template <bool (*Test)(const struct stat&)>
Value stat_test(const Args& a) {
  std::string p;
  if (!one_path(a, "exists", p)) return Value::raised();
  struct stat st;
  return Value::boolean(stat(p.c_str(), &st) == 0 && Test(st));
}

bool any_file(const struct stat&) { return true; }
bool regular_file(const struct stat& st) { return S_ISREG(st.st_mode); }
bool directory(const struct stat& st) { return S_ISDIR(st.st_mode); }

Value path_islink(const Args& a) {
  std::string p;
  if (!one_path(a, "islink", p)) return Value::raised();
  struct stat st;
  return Value::boolean(lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode));
}

// True for a dangling symlink too.
Value path_lexists(const Args& a) {
  std::string p;
  if (!one_path(a, "lexists", p)) return Value::raised();
  struct stat st;
  return Value::boolean(lstat(p.c_str(), &st) == 0);
}

Value path_getsize(const Args& a) {
  std::string p;
  struct stat st;
  if (!one_path(a, "getsize", p)) return Value::raised();
  if (stat(p.c_str(), &st) != 0) return raise_os_error(errno, p);
  return Value::integer(st.st_size);
}

Value path_getmtime(const Args& a) {
  std::string p;
  struct stat st;
  if (!one_path(a, "getmtime", p)) return Value::raised();
  if (stat(p.c_str(), &st) != 0) return raise_os_error(errno, p);
  return Value::real(double(st.st_mtim.tv_sec) + double(st.st_mtim.tv_nsec) * 1e-9);
}

}  // namespace

void init_os_path(const Value& module) {
  struct Entry { const char* name; NativeFn fn; };
  static const Entry entries[] = {
      {"join", path_join},           {"split", path_split},         {"basename", path_basename},
      {"dirname", path_dirname},     {"splitext", path_splitext},   {"normpath", path_normpath},
      {"abspath", path_abspath},     {"realpath", path_realpath},   {"isabs", path_isabs},
      {"expanduser", path_expanduser}, {"exists", stat_test<any_file>}, {"isfile", stat_test<regular_file>},
      {"isdir", stat_test<directory>}, {"islink", path_islink},     {"getsize", path_getsize},
      {"getmtime", path_getmtime},   {"lexists", path_lexists},
  };
  for (const Entry& e : entries) add_function(module, e.name, e.fn);
  init_os_path_lib(module);
  dict_set_str(module_dict(module), intern("sep"), intern("/"));
}

}  // namespace aio
