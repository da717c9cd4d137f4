// aio's command line, shaped like python3's: aio [option] ... [-c cmd | file | -] [arg] ...
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/repl.h"
#include "interp/generator.h"
#include "interp/interp.h"
#include "interp/interrupt.h"
#include "stdlib/asyncio.h"
#include "stdlib/builtins.h"
#include "stdlib/std_streams.h"
#include "stdlib/stdlib.h"

namespace {

constexpr size_t kStackSize = size_t(512) << 20;   // the interpreter thread's native stack
constexpr size_t kStackReserve = size_t(1) << 20;  // left free below the RecursionError line
constexpr const char* kVersion = "Python 3.11.7 (aio 0.1)";
constexpr const char* kUsage = "usage: %s [option] ... [-c cmd | file | -] [arg] ...\n";
constexpr int kUsageError = 2;  // python3's status for a bad command line or an unreadable script
constexpr int kNoMainModule = 1;  // a directory without __main__

struct Options {
  std::string command;
  bool has_command = false;
  bool interactive = false;  // -i: the REPL after the program
  bool quiet = false;
  bool unbuffered = false;
  bool version = false;
  bool virtual_time = false;
  bool check = false;
  bool debug = false;
  std::vector<std::string> rest;  // the script (or '-') and its arguments; after -c, just arguments
};

// What the interpreter thread runs.
struct Job {
  Options opts;
  bool has_program = false;  // a file, stdin or -c; otherwise the REPL alone
  std::string source, filename;
  std::vector<std::string> argv;
  int status = 0;
  bool interrupted = false;
};

void* run_job(void* p) {
  auto* job = static_cast<Job*>(p);
  aio::Interp interp;
  aio::interp_init(interp);
  aio::register_stdlib(interp);
  aio::init_builtins(interp.builtins_module);
  aio::bind_builtin_types(interp.builtins_module);
  aio::interrupt_install();  // Ctrl-C raises KeyboardInterrupt on this thread, as python3's main thread
  char here;
  // Integer arithmetic: the limit lies outside any object, where pointer arithmetic is undefined.
  aio::tstate->stack_limit = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(&here) - (kStackSize - kStackReserve));
  interp.argv = job->argv;
  // Absolute, as CPython's sys.path[0]: imported modules' paths read the same in tracebacks.
  interp.script_dir = std::filesystem::absolute(job->filename).lexically_normal().parent_path().string();
  if (job->opts.check) {
    job->status = aio::check_main(job->source, job->filename);
    return nullptr;
  }
  if (job->has_program) job->status = aio::run_main(interp, job->source, job->filename);
  if (!job->has_program || job->opts.interactive) {
    aio::ReplOptions ro;
    ro.banner = !job->opts.quiet && !job->has_program;
    job->status = aio::run_repl(interp, ro);
  }
  aio::finalize_stdlib(interp);
  job->interrupted = interp.interrupted;
  return nullptr;
}

// The interpreter thread's stack, mapped by us rather than by glibc: in a forked child (a process
// pool worker) that starts a thread, glibc unmaps the stacks it made for the parent's other
// threads, and the interpreter itself lives on this one. The lowest page is a guard.
void* map_stack() {
  void* p = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                 -1, 0);
  if (p == MAP_FAILED) return nullptr;
  mprotect(p, size_t(sysconf(_SC_PAGESIZE)), PROT_NONE);
  return p;
}

int run_on_big_stack(Job& job) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  void* stack = map_stack();
  if (stack) pthread_attr_setstack(&attr, stack, kStackSize);
  else pthread_attr_setstacksize(&attr, kStackSize);
  pthread_t th;
  if (pthread_create(&th, &attr, run_job, &job) != 0) {
    run_job(&job);
  } else {
    pthread_join(th, nullptr);
  }
  pthread_attr_destroy(&attr);
  if (stack) munmap(stack, kStackSize);
  return job.status;
}

int usage_error(const char* prog, const std::string& message) {
  fprintf(stderr, "%s\n", message.c_str());
  fprintf(stderr, kUsage, prog);
  fprintf(stderr, "Try `%s -h' for more information.\n", prog);
  return kUsageError;
}

// python3's rule: options end at the first argument that is not one (the script or '-') or
// right after -c's command; what follows is sys.argv material even if it starts with '-'.
// -c is taken out here (CLI11 would refuse a command starting with '-'); `options` gets the
// rest for CLI11, `rest` the arguments. False after printing python3's message for a bad option.
bool split_args(int argc, char** argv, CLI::App& app, Options& o, std::vector<std::string>& options) {
  options.push_back(argv[0]);
  int i = 1;
  for (; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--") {
      i++;
      break;
    }
    if (a == "-" || a[0] != '-') break;
    if (a[1] == '-') {
      if (!app.get_option_no_throw(a.substr(0, a.find('=')))) return usage_error(argv[0], "unknown option " + a), false;
      options.push_back(a);
      continue;
    }
    size_t c = 1;
    for (; c < a.size() && a[c] != 'c'; c++)
      if (!app.get_option_no_throw(std::string("-") + a[c]))
        return usage_error(argv[0], std::string("Unknown option: -") + a[c]), false;
    if (c > 1) options.push_back(a.substr(0, c));
    if (c == a.size()) continue;
    if (c + 1 < a.size()) {
      o.command = a.substr(c + 1);  // -cCODE
    } else if (++i < argc) {
      o.command = argv[i];
    } else {
      return usage_error(argv[0], "Argument expected for the -c option"), false;
    }
    o.has_command = true;
    i++;
    break;
  }
  for (; i < argc; i++) o.rest.push_back(argv[i]);
  return true;
}

bool read_source(const char* prog, const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    char abs[PATH_MAX];
    std::string shown = path;
    // python3 names the file by its absolute path.
    if (path[0] != '/' && getcwd(abs, sizeof abs)) shown = std::string(abs) + "/" + path;
    fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n", prog, shown.c_str(), err, strerror(err));
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// python3 runs a directory's __main__ (here __main__.aio, else __main__.py): `path` becomes it.
bool find_dir_main(const char* prog, std::string& path) {
  for (const char* name : {"__main__.aio", "__main__.py"}) {
    std::string candidate = path + "/" + name;
    if (access(candidate.c_str(), F_OK) == 0) {
      path = candidate;
      return true;
    }
  }
  fprintf(stderr, "%s: can't find '__main__' module in '%s'\n", prog, path.c_str());
  return false;
}

// The help text starts with python3's usage line (in the description): CLI11's own is left out.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App*, std::string) const override { return ""; }
};

// An uncaught KeyboardInterrupt ends the process as SIGINT would (the shell sees 130), as python3 does.
[[noreturn]] void die_by_sigint() {
  signal(SIGINT, SIG_DFL);
  kill(getpid(), SIGINT);
  _exit(128 + SIGINT);
}

}  // namespace

// Buffers this large are always mmapped, so their memory goes back to the system when freed.
// glibc otherwise raises the threshold after the first such free, and the buffers of a burst
// (a list of 100k tasks growing, the ready queue filling) then stay in the heap for good.
constexpr int kMmapThresholdBytes = 128 * 1024;

int main(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  // As CPython: a write to a closed pipe fails with EPIPE (BrokenPipeError) instead of killing us.
  signal(SIGPIPE, SIG_IGN);
  CLI::App app{"aio: a native runner for Python-style asyncio scripts.\n"
               "usage: aio [option] ... [-c cmd | file | -] [arg] ...\n"
               "With no file (or '-') and a terminal on stdin: the interactive prompt, where 'await' works."};
  app.name("aio");
  app.formatter(std::make_shared<HelpFormatter>());
  Options o;
  std::string shown_command;  // -c is parsed by split_args; declared here for --help
  app.add_option("-c", shown_command, "program passed in as string (terminates option list)");
  app.add_flag("-i", o.interactive, "inspect interactively after running the script or -c command");
  app.add_flag("-q", o.quiet, "don't print the version banner on interactive startup");
  app.add_flag("-u", o.unbuffered, "force the stdout and stderr streams to be unbuffered");
  app.add_flag("-V,--version", o.version, "print the version number and exit");
  app.add_flag("--virtual-time", o.virtual_time,
               "event-loop clocks jump to the next timer whenever nothing is runnable: "
               "same output and loop.time() deltas, without the waiting");
  app.add_flag("--check", o.check, "only parse and compile the program; report syntax errors (exit 1)");
  app.add_flag("--debug", o.debug,
               "asyncio debug mode: report callbacks slower than 100 ms and where never-awaited "
               "coroutines were created");
  std::vector<std::string> options;
  if (!split_args(argc, argv, app, o, options)) return kUsageError;
  std::vector<char*> cli_argv;
  for (auto& s : options) cli_argv.push_back(s.data());
  try {
    app.parse((int)cli_argv.size(), cli_argv.data());
  } catch (const CLI::ParseError& e) {
    if (app.exit(e) == 0) return 0;
    return kUsageError;
  }
  if (o.version) {
    printf("%s\n", kVersion);
    return 0;
  }
  aio::set_virtual_time(o.virtual_time);
  aio::set_default_debug(o.debug);
  aio::set_coroutine_origin_tracking(o.debug);
  if (o.unbuffered) aio::set_stdout_unbuffered();
  Job job;
  job.opts = o;
  if (o.has_command) {
    job.has_program = true;
    job.source = o.command;
    job.filename = "<string>";
    job.argv.push_back("-c");
    job.argv.insert(job.argv.end(), o.rest.begin(), o.rest.end());
  } else if (!o.rest.empty() && o.rest[0] != "-") {
    job.has_program = true;
    job.filename = o.rest[0];
    if (is_directory(job.filename) && !find_dir_main(argv[0], job.filename)) return kNoMainModule;
    if (!read_source(argv[0], job.filename, job.source)) return kUsageError;
    job.argv = o.rest;
  } else {
    // stdin: a terminal gets the REPL; anything else is read whole and run as a script.
    job.argv = o.rest.empty() ? std::vector<std::string>{""} : o.rest;
    job.filename = "<stdin>";
    if (!isatty(STDIN_FILENO) && !o.interactive) {
      std::stringstream ss;
      ss << std::cin.rdbuf();
      job.source = ss.str();
      job.has_program = true;
    }
  }
  if (o.check && !job.has_program) return usage_error(argv[0], "--check needs a file, -c or a program on stdin");
  int status = run_on_big_stack(job);
  // Daemon threads may still be parked in the interpreter: leave without running destructors.
  fflush(stdout);
  fflush(stderr);
  if (job.interrupted) die_by_sigint();
  _exit(status);
}
