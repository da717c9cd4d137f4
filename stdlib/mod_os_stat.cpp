// os.stat, os.lstat, os.scandir (DirEntry), os.fspath, chmod, access, utime, links and
// os.get_terminal_size: what pathlib, shutil and
// argparse's help width build on.
#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/native_iter.h"
#include "stdlib/path_arg.h"
#include "stdlib/stdlib.h"
#include "stdlib/structseq.h"

namespace aio {

namespace {

constexpr double kNanosecond = 1e-9;

// os.stat_result; unlike CPython its items 7-9 are the float times (the attributes agree).
Type* stat_result_type() {
  static Type* t = new_structseq_type("stat_result", "os.stat_result",
                                      {"st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid",
                                       "st_size", "st_atime", "st_mtime", "st_ctime"});
  return t;
}

Value seconds(const timespec& ts) { return Value::real(double(ts.tv_sec) + double(ts.tv_nsec) * kNanosecond); }

Value stat_result(const struct stat& st) {
  return new_structseq(stat_result_type(),
                       {Value::integer(st.st_mode), Value::integer(int64_t(st.st_ino)),
                        Value::integer(int64_t(st.st_dev)), Value::integer(int64_t(st.st_nlink)),
                        Value::integer(st.st_uid), Value::integer(st.st_gid), Value::integer(st.st_size),
                        seconds(st.st_atim), seconds(st.st_mtim), seconds(st.st_ctim)});
}

// stat(path) or lstat(path): follow says whether a final symlink is followed.
Value stat_path(const std::string& p, bool follow) {
  struct stat st;
  int r = follow ? stat(p.c_str(), &st) : lstat(p.c_str(), &st);
  if (r != 0) return raise_os_error(errno, p);
  return stat_result(st);
}

bool follow_symlinks(const Args& a, bool& follow) {
  follow = true;
  const Value* f = kwarg(a, "follow_symlinks");
  if (!f) return true;
  int t = truthy(*f);
  follow = t > 0;
  return t >= 0;
}

Value os_stat(const Args& a) {
  std::string p;
  bool follow;
  const Value* path = arg_or_kw(a, 0, "path");
  if (!path) return raise(exc.TypeError, "stat() missing required argument 'path' (pos 1)");
  if (!check_kwnames(a, "stat", {"path", "dir_fd", "follow_symlinks"}) || !path_arg(*path, p) ||
      !follow_symlinks(a, follow))
    return Value::raised();
  return stat_path(p, follow);
}

Value os_lstat(const Args& a) {
  std::string p;
  const Value* path = arg_or_kw(a, 0, "path");
  if (!path) return raise(exc.TypeError, "lstat() missing required argument 'path' (pos 1)");
  if (!path_arg(*path, p)) return Value::raised();
  return stat_path(p, false);
}

Value os_get_terminal_size(const Args& a) {
  static Type* t = new_structseq_type("terminal_size", "os.terminal_size", {"columns", "lines"});
  int64_t fd = STDOUT_FILENO;
  if (!check_args(a, "get_terminal_size", 0, 1) || (a.npos == 1 && !index_of(a[0], fd))) return Value::raised();
  winsize ws;
  if (ioctl(int(fd), TIOCGWINSZ, &ws) != 0) return raise_os_error(errno);
  return new_structseq(t, {Value::integer(ws.ws_col), Value::integer(ws.ws_row)});
}

// ---- scandir ----

struct DirEntryObj : Object {
  Value name, path;
  unsigned char kind;  // dirent's d_type (DT_UNKNOWN when the file system does not say)
  DirEntryObj(Type* t, Value n, Value p, unsigned char k) : Object(t), name(std::move(n)), path(std::move(p)), kind(k) {}
};

struct ScandirObj : Object {
  std::vector<Value> entries;
  size_t next = 0;
  explicit ScandirObj(Type* t) : Object(t) {}
};

DirEntryObj* entry_of(const Args& a) { return as<DirEntryObj>(a[0]); }

Value entry_getattr(const Args& a) {
  DirEntryObj* e = entry_of(a);
  const std::string& n = str_of(a[1]);
  if (n == "name") return e->name;
  if (n == "path") return e->path;
  return raise(exc.AttributeError, "'posix.DirEntry' object has no attribute '" + n + "'");
}

Value entry_repr(const Args& a) {
  std::string r;
  if (!repr_string(entry_of(a)->name, r)) return Value::raised();
  return new_str("<DirEntry " + r + ">");
}

Value entry_fspath(const Args& a) { return entry_of(a)->path; }

// The entry's mode: from d_type when it answers the question, else from (l)stat; false when
// the file is gone.
bool entry_mode(DirEntryObj* e, bool follow, mode_t& mode) {
  if (e->kind != DT_UNKNOWN && !(follow && e->kind == DT_LNK)) {
    mode = e->kind == DT_DIR ? S_IFDIR : e->kind == DT_REG ? S_IFREG : e->kind == DT_LNK ? S_IFLNK : 0;
    return true;
  }
  struct stat st;
  const std::string& p = str_of(e->path);
  if ((follow ? stat(p.c_str(), &st) : lstat(p.c_str(), &st)) != 0) return false;
  mode = st.st_mode;
  return true;
}

template <mode_t Kind>
Value entry_is(const Args& a) {
  bool follow;
  if (!follow_symlinks(a, follow)) return Value::raised();
  mode_t mode;
  return Value::boolean(entry_mode(entry_of(a), follow && Kind != S_IFLNK, mode) && (mode & S_IFMT) == Kind);
}

Value entry_stat(const Args& a) {
  bool follow;
  if (!follow_symlinks(a, follow)) return Value::raised();
  return stat_path(str_of(entry_of(a)->path), follow);
}

Type* dir_entry_type() {
  static Type* t = [] {
    auto* dt = new Type("DirEntry", types.object);
    dt->module = "posix";
    add_method(dt, "__getattr__", entry_getattr);
    add_method(dt, "__repr__", entry_repr);
    add_method(dt, "__fspath__", entry_fspath);
    add_method(dt, "is_dir", entry_is<S_IFDIR>);
    add_method(dt, "is_file", entry_is<S_IFREG>);
    add_method(dt, "is_symlink", entry_is<S_IFLNK>);
    add_method(dt, "stat", entry_stat);
    dt->has_getattr = true;
    return dt;
  }();
  return t;
}

Value scandir_next(const Args& a) {
  auto* it = as<ScandirObj>(a[0]);
  if (it->next >= it->entries.size()) return stop_iteration();
  return it->entries[it->next++];
}

Value scandir_close(const Args& a) {
  auto* it = as<ScandirObj>(a[0]);
  it->next = it->entries.size();
  return Value();
}

Value scandir_exit(const Args& a) {
  scandir_close(a);
  return Value::boolean(false);
}

Type* scandir_type() {
  static Type* t = [] {
    auto* st = new Type("ScandirIterator", types.object);
    st->module = "posix";
    add_method(st, "__iter__", iter_self);
    add_method(st, "__next__", scandir_next);
    add_method(st, "__enter__", iter_self);
    add_method(st, "__exit__", scandir_exit);
    add_method(st, "close", scandir_close);
    return st;
  }();
  return t;
}

// The entries are read at once (as listdir does); the iterator hands them out.
Value os_scandir(const Args& a) {
  std::string p = ".";
  if (!check_args(a, "scandir", 0, 1) || (a.npos == 1 && !path_arg(a[0], p))) return Value::raised();
  DIR* d = opendir(p.c_str());
  if (!d) return raise_os_error(errno, p);
  std::string prefix = a.npos == 0 ? "./" : p.empty() || p.back() == '/' ? p : p + "/";
  auto* it = new ScandirObj(scandir_type());
  Value result = Value::adopt(it);
  while (dirent* e = readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    it->entries.push_back(Value::adopt(new DirEntryObj(dir_entry_type(), new_str(n), new_str(prefix + std::string(n)), e->d_type)));
  }
  closedir(d);
  return result;
}

Value os_chmod(const Args& a) {
  std::string p;
  int64_t mode;
  if (!check_args(a, "chmod", 2, 2) || !path_arg(a[0], p) || !index_of(a[1], mode)) return Value::raised();
  if (chmod(p.c_str(), mode_t(mode)) != 0) return raise_os_error(errno, p);
  return Value();
}

// access(path, mode): F_OK, R_OK, W_OK, X_OK as the module's constants.
Value os_access(const Args& a) {
  std::string p;
  int64_t mode;
  if (!check_args(a, "access", 2, 2) || !path_arg(a[0], p) || !index_of(a[1], mode)) return Value::raised();
  return Value::boolean(access(p.c_str(), int(mode)) == 0);
}

// utime(path) or utime(path, None): both times set to now (explicit times are not supported).
Value os_utime(const Args& a) {
  std::string p;
  if (!check_args(a, "utime", 1, 2) || !path_arg(a[0], p)) return Value::raised();
  if (a.npos == 2 && !a[1].is_none()) return raise(exc.NotImplementedError, "utime() with explicit times");
  if (utimensat(AT_FDCWD, p.c_str(), nullptr, 0) != 0) return raise_os_error(errno, p);
  return Value();
}

// symlink(src, dst) and link(src, dst): two paths, one system call.
template <int (*Call)(const char*, const char*)>
Value link_call(const Args& a) {
  std::string from, to;
  if (!check_args(a, "symlink", 2, 2) || !path_arg(a[0], from) || !path_arg(a[1], to)) return Value::raised();
  if (Call(from.c_str(), to.c_str()) != 0) return raise_os_error(errno, from, to);
  return Value();
}

Value os_readlink(const Args& a) {
  std::string p;
  if (!check_args(a, "readlink", 1, 1) || !path_arg(a[0], p)) return Value::raised();
  char buf[PATH_MAX];
  ssize_t n = readlink(p.c_str(), buf, sizeof buf);
  if (n < 0) return raise_os_error(errno, p);
  return new_str(std::string_view(buf, size_t(n)));
}

Value os_fspath(const Args& a) {
  std::string p;
  if (!check_args(a, "fspath", 1, 1) || !path_arg(a[0], p)) return Value::raised();
  return is_str(a[0]) ? a[0] : new_str(p);
}

}  // namespace

void init_os_stat(const Value& module) {
  add_function(module, "stat", os_stat);
  add_function(module, "lstat", os_lstat);
  add_function(module, "scandir", os_scandir);
  add_function(module, "get_terminal_size", os_get_terminal_size);
  add_function(module, "fspath", os_fspath);
  add_function(module, "chmod", os_chmod);
  add_function(module, "access", os_access);
  add_function(module, "utime", os_utime);
  add_function(module, "symlink", link_call<symlink>);
  add_function(module, "link", link_call<link>);
  add_function(module, "readlink", os_readlink);
  struct Constant { const char* name; int value; };
  static const Constant constants[] = {{"F_OK", F_OK}, {"R_OK", R_OK}, {"W_OK", W_OK}, {"X_OK", X_OK}};
  for (const Constant& c : constants) dict_set_str(module_dict(module), intern(c.name), Value::integer(c.value));
}

}  // namespace aio
