// _subprocess: what subprocess.aio needs from the system: starting a program with posix_spawn
// (its standard streams redirected, other descriptors closed), waiting for it, and pumping
// its pipes with poll() while the interpreter lock is released.
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/path_arg.h"
#include "stdlib/stdlib.h"

extern char** environ;

namespace aio {

namespace {

constexpr size_t kReadChunk = 1 << 15;
constexpr int kStdStreams = 3;
constexpr int kFirstInheritedFd = 3;  // descriptors from here up are closed in the child

bool str_list(const Value& v, const char* what, std::vector<std::string>& out) {
  std::vector<Value> items;
  if (!collect(v, items)) return false;
  for (const Value& item : items) {
    std::string s;
    if (!path_arg(item, s)) return false;
    out.push_back(std::move(s));
  }
  if (out.empty()) {
    raise(exc.ValueError, std::string(what) + " must not be empty");
    return false;
  }
  return true;
}

// The child's environment as "KEY=value" strings, from a dict.
bool env_strings(const Value& env, std::vector<std::string>& out) {
  if (!is_exact(env, types.dict)) {
    raise(exc.TypeError, "env must be a dict");
    return false;
  }
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(as<DictObj>(env), pos, e)) {
    std::string k, v;
    if (!path_arg(e->key, k) || !path_arg(e->value, v)) return false;
    out.push_back(k + "=" + v);
  }
  return true;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

// The errno chdir(dir) would fail with, or 0: posix_spawn reports a bad cwd as if exec failed.
int chdir_error(const std::string& dir) {
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) return errno;
  if (!S_ISDIR(st.st_mode)) return ENOTDIR;
  return access(dir.c_str(), X_OK) == 0 ? 0 : errno;
}

// spawn(argv, executable, cwd, env, (stdin, stdout, stderr), close_fds, new_session) -> pid.
// A stream given as -1 is inherited; any other fd is duplicated onto it.
Value sp_spawn(const Args& a) {
  if (!check_args(a, "spawn", 7, 7)) return Value::raised();
  std::vector<std::string> argv, env;
  std::string executable, cwd;
  if (!str_list(a[0], "args", argv)) return Value::raised();
  if (!a[1].is_none() && !path_arg(a[1], executable)) return Value::raised();
  if (!a[2].is_none() && !path_arg(a[2], cwd)) return Value::raised();
  if (!a[3].is_none() && !env_strings(a[3], env)) return Value::raised();
  std::vector<Value> fds;
  if (!collect(a[4], fds) || fds.size() != kStdStreams) return raise(exc.TypeError, "spawn() needs three stream fds");
  int close_fds = truthy(a[5]), new_session = truthy(a[6]);
  if (close_fds < 0 || new_session < 0) return Value::raised();
  SpawnSetup setup;
  for (int target = 0; target < kStdStreams; target++) {
    int64_t fd;
    if (!index_of(fds[target], fd)) return Value::raised();
    if (fd >= 0) posix_spawn_file_actions_adddup2(&setup.actions, int(fd), target);
  }
  if (close_fds) posix_spawn_file_actions_addclosefrom_np(&setup.actions, kFirstInheritedFd);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, cwd.c_str());
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (new_session) flags |= POSIX_SPAWN_SETSID;
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setsigdefault(&setup.attr, &all);  // handlers the interpreter set do not carry over
  posix_spawnattr_setflags(&setup.attr, flags);
  std::vector<char*> c_argv = c_strings(argv);
  std::vector<char*> c_env = a[3].is_none() ? std::vector<char*>() : c_strings(env);
  const std::string& program = executable.empty() ? argv[0] : executable;
  pid_t pid;
  int err = program.find('/') == std::string::npos
                ? posix_spawnp(&pid, program.c_str(), &setup.actions, &setup.attr, c_argv.data(),
                               a[3].is_none() ? environ : c_env.data())
                : posix_spawn(&pid, program.c_str(), &setup.actions, &setup.attr, c_argv.data(),
                              a[3].is_none() ? environ : c_env.data());
  if (err != 0) {
    int cwd_err = cwd.empty() ? 0 : chdir_error(cwd);
    return cwd_err ? raise_os_error(cwd_err, cwd) : raise_os_error(err, program);
  }
  return Value::integer(pid);
}

// The returncode waitpid's status means: the exit code, or -signal.
int64_t returncode(int status) {
  if (WIFSIGNALED(status)) return -int64_t(WTERMSIG(status));
  return WEXITSTATUS(status);
}

// wait(pid, block) -> returncode, or None when not blocking and the child still runs.
Value sp_wait(const Args& a) {
  int64_t pid;
  if (!check_args(a, "wait", 2, 2) || !index_of(a[0], pid)) return Value::raised();
  int block = truthy(a[1]);
  if (block < 0) return Value::raised();
  int status = 0;
  pid_t r;
  {
    GilReleased others_run;
    do r = waitpid(pid_t(pid), &status, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
  }
  if (r < 0) return raise_os_error(errno);
  if (r == 0) return Value();
  return Value::integer(returncode(status));
}

struct Pump {
  int in_fd, out_fd, err_fd;
  std::string_view data;  // still to write to in_fd
  std::string out, err;
  size_t written = 0;
};

// All input is written: the child sees end of file.
void close_input(Pump& p) {
  close(p.in_fd);
  p.in_fd = -1;
}

// One poll round: false when nothing is left to do.
bool pump_once(Pump& p, int timeout_ms) {
  pollfd fds[kStdStreams];
  int n = 0;
  if (p.in_fd >= 0) fds[n++] = {p.in_fd, POLLOUT, 0};
  if (p.out_fd >= 0) fds[n++] = {p.out_fd, POLLIN, 0};
  if (p.err_fd >= 0) fds[n++] = {p.err_fd, POLLIN, 0};
  if (n == 0) return false;
  int ready = poll(fds, nfds_t(n), timeout_ms);
  if (ready <= 0) return ready < 0 && errno == EINTR;
  for (int i = 0; i < n; i++) {
    if (!fds[i].revents) continue;
    if (fds[i].fd == p.in_fd) {
      // At most PIPE_BUF: POLLOUT promises that much room, so the write cannot block.
      ssize_t w = write(p.in_fd, p.data.data() + p.written, std::min<size_t>(PIPE_BUF, p.data.size() - p.written));
      if (w > 0) p.written += size_t(w);
      else if (errno != EAGAIN && errno != EINTR) p.written = p.data.size();  // EPIPE: the child stopped reading
      if (p.written == p.data.size()) close_input(p);
      continue;
    }
    bool is_out = fds[i].fd == p.out_fd;
    char buf[kReadChunk];
    ssize_t r = read(fds[i].fd, buf, sizeof buf);
    if (r > 0) (is_out ? p.out : p.err).append(buf, size_t(r));
    else if (r == 0 || (errno != EAGAIN && errno != EINTR)) (is_out ? p.out_fd : p.err_fd) = -1;
  }
  return true;
}

// pump(in_fd, data, out_fd, err_fd, timeout) -> (written, out, err, out_open, err_open): writes
// data to in_fd, closing it once all is written, and reads out_fd and err_fd (each -1 when
// absent) until they reach end of file, or timeout seconds (None: no limit) pass.
Value sp_pump(const Args& a) {
  int64_t in_fd, out_fd, err_fd;
  if (!check_args(a, "pump", 5, 5) || !index_of(a[0], in_fd) || !index_of(a[2], out_fd) || !index_of(a[3], err_fd))
    return Value::raised();
  if (!a[1].is_none() && !is_byteslike(a[1])) return raise(exc.TypeError, "pump() data must be bytes");
  double timeout = -1;
  if (a[4].is_float()) timeout = a[4].as_float();
  else if (a[4].is_int()) timeout = double(a[4].as_int());
  else if (!a[4].is_none()) return raise(exc.TypeError, "pump() timeout must be a number or None");
  Pump p{int(in_fd), int(out_fd), int(err_fd), a[1].is_none() ? std::string_view() : std::string_view(bytes_of(a[1])), {}, {}};
  if (p.in_fd >= 0 && p.data.empty()) close_input(p);
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::duration<double>(std::max(timeout, 0.0));
  {
    GilReleased others_run;
    for (;;) {
      int wait_ms = -1;
      if (timeout >= 0) {
        double left = std::chrono::duration<double>(deadline - Clock::now()).count();
        if (left <= 0) break;
        wait_ms = int(std::ceil(left * 1000));
      }
      if (!pump_once(p, wait_ms)) break;
    }
  }
  return new_tuple({Value::integer(int64_t(p.written)), new_bytes(std::move(p.out)), new_bytes(std::move(p.err)),
                    Value::boolean(p.out_fd >= 0), Value::boolean(p.err_fd >= 0)});
}

}  // namespace

void init_subprocess_native(const Value& module) {
  add_function(module, "spawn", sp_spawn);
  add_function(module, "wait", sp_wait);
  add_function(module, "pump", sp_pump);
}

}  // namespace aio
