// aio's command line: run a file, a -c string, or (later) the REPL.
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "interp/interp.h"
#include "stdlib/asyncio.h"
#include "stdlib/builtins.h"
#include "stdlib/stdlib.h"

namespace {

constexpr size_t kStackSize = size_t(512) << 20;   // the interpreter thread's native stack
constexpr size_t kStackReserve = size_t(1) << 20;  // left free below the RecursionError line
constexpr const char* kVersion = "Python 3.11.7 (aio 0.1)";

struct Job {
  std::string source, filename;
  std::vector<std::string> argv;
  int status = 0;
};

void* run_job(void* p) {
  auto* job = static_cast<Job*>(p);
  aio::Interp interp;
  aio::interp_init(interp);
  aio::register_stdlib(interp);
  aio::init_builtins(interp.builtins_module);
  aio::bind_builtin_types(interp.builtins_module);
  char here;
  // Integer arithmetic: the limit lies outside any object, where pointer arithmetic is undefined.
  aio::tstate->stack_limit = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(&here) - (kStackSize - kStackReserve));
  interp.argv = job->argv;
  std::string dir = job->filename;
  size_t slash = dir.rfind('/');
  interp.script_dir = slash == std::string::npos ? "." : dir.substr(0, slash);
  job->status = aio::run_main(interp, job->source, job->filename);
  aio::finalize_stdlib(interp);
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aio: a native runner for Python-style asyncio scripts"};
  std::string command;
  bool version = false;
  bool virtual_time = false;
  std::vector<std::string> rest;
  app.add_option("-c", command, "program passed in as string");
  app.add_flag("-V,--version", version, "print the version and exit");
  app.add_flag("--virtual-time", virtual_time,
               "event-loop clocks jump to the next timer whenever nothing is runnable: "
               "same output and loop.time() deltas, without the waiting");
  app.add_option("args", rest, "script file and its arguments");
  app.allow_extras();
  app.prefix_command();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (version) {
    printf("%s\n", kVersion);
    return 0;
  }
  for (auto& x : app.remaining()) rest.push_back(x);
  aio::set_virtual_time(virtual_time);
  Job job;
  if (!command.empty() || app.count("-c")) {
    job.source = command;
    job.filename = "<string>";
    job.argv.push_back("-c");
    job.argv.insert(job.argv.end(), rest.begin(), rest.end());
  } else if (!rest.empty()) {
    job.filename = rest[0];
    std::ifstream in(job.filename, std::ios::binary);
    if (!in) {
      fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n", argv[0], job.filename.c_str(), errno,
              strerror(errno));
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    job.source = ss.str();
    job.argv = rest;
  } else {
    fprintf(stderr, "usage: aio [option] ... [-c cmd | file] [arg] ...\n");
    return 2;
  }
  int status = run_on_big_stack(job);
  // Daemon threads may still be parked in the interpreter: leave without running destructors.
  fflush(stdout);
  fflush(stderr);
  _exit(status);
}
