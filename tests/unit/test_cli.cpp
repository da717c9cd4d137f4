// The command line: options, sys.argv, error messages and exit statuses as python3 has them,
// and Ctrl-C in a script. Each test runs the built aio binary.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr int kTimeoutMs = 20000;  // generous: CI machines are shared
constexpr int kInterrupted = 128 + SIGINT;

struct Result {
  std::string out, err;
  int status = -1;  // the exit code, or 128 + the signal that ended the process (as a shell shows it)
};

// Runs aio with `args`, feeding `input` on stdin. For each text in `interrupt_after`, in turn,
// SIGINT is sent once stdout shows it.
Result run_aio(const std::vector<std::string>& args, const std::string& input = "",
               const std::vector<std::string>& interrupt_after = {}) {
  int in[2], out[2], err[2];
  REQUIRE(pipe(in) == 0);
  REQUIRE(pipe(out) == 0);
  REQUIRE(pipe(err) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    signal(SIGINT, SIG_DFL);  // as from a terminal, whatever the test runner ignores
    std::vector<char*> argv{const_cast<char*>(AIO_BINARY)};
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(AIO_BINARY, argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  ssize_t w = write(in[1], input.data(), input.size());
  (void)w;
  close(in[1]);
  Result r;
  size_t next_interrupt = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  bool out_open = true, err_open = true;
  while ((out_open || err_open) && std::chrono::steady_clock::now() < deadline) {
    pollfd fds[2] = {{out_open ? out[0] : -1, POLLIN, 0}, {err_open ? err[0] : -1, POLLIN, 0}};
    if (poll(fds, 2, 100) < 0) continue;
    char buf[4096];
    for (int i = 0; i < 2; i++) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) (i == 0 ? out_open : err_open) = false;
      else (i == 0 ? r.out : r.err).append(buf, (size_t)n);
    }
    if (next_interrupt < interrupt_after.size() && r.out.find(interrupt_after[next_interrupt]) != std::string::npos) {
      next_interrupt++;
      kill(pid, SIGINT);
    }
  }
  if (out_open || err_open) kill(pid, SIGKILL);
  close(out[0]);
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// run_aio with Ctrl-C sent after each of `interrupt_after`: the program must end promptly
// (the bound is generous: the machine may be loaded) and with python3's status for SIGINT.
constexpr auto kInterruptBound = std::chrono::seconds(10);
Result run_interrupted(const std::vector<std::string>& args, const std::vector<std::string>& interrupt_after) {
  auto start = std::chrono::steady_clock::now();
  Result r = run_aio(args, "", interrupt_after);
  CHECK(std::chrono::steady_clock::now() - start < kInterruptBound);
  CHECK(r.status == kInterrupted);
  return r;
}

// A script in a fresh temporary directory.
std::string script(const std::string& name, const std::string& text) {
  static std::string dir = [] {
    char tmpl[] = "/tmp/aio_test_cli_XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  std::string path = dir + "/" + name;
  mkdir(path.substr(0, path.rfind('/')).c_str(), 0700);  // one level of subfolder
  std::ofstream(path) << text;
  return path;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const char* kUsageLine = "usage: " AIO_BINARY " [option] ... [-c cmd | file | -] [arg] ...\n";

}  // namespace

TEST_CASE("a missing script: python3's message, status 2", "[test_cli]") {
  Result r = run_aio({"/nonexistent/x.aio"});
  CHECK(r.status == 2);
  CHECK(r.err == AIO_BINARY ": can't open file '/nonexistent/x.aio': [Errno 2] No such file or directory\n");
  CHECK(r.out.empty());
}

TEST_CASE("a relative missing script is named by its absolute path", "[test_cli]") {
  Result r = run_aio({"surely_missing.aio"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "/surely_missing.aio': [Errno 2] No such file or directory\n"));
}

TEST_CASE("a directory runs its __main__; without one, python3's message and status 1", "[test_cli]") {
  std::string main_file = script("pkg/__main__.aio", "import sys, helper\nprint(sys.argv, helper.X)\n");
  std::string dir = main_file.substr(0, main_file.rfind('/'));
  script("pkg/helper.aio", "X = 42\n");
  Result r = run_aio({dir, "a"});
  CHECK(r.status == 0);
  CHECK(r.out == "['" + dir + "', 'a'] 42\n");
  std::string empty = dir + "/empty";
  mkdir(empty.c_str(), 0700);
  r = run_aio({empty});
  CHECK(r.status == 1);
  CHECK(r.err == AIO_BINARY ": can't find '__main__' module in '" + empty + "'\n");
}

TEST_CASE("unknown options: usage, status 2", "[test_cli]") {
  Result r = run_aio({"--frobnicate"});
  CHECK(r.status == 2);
  CHECK(r.err == std::string("unknown option --frobnicate\n") + kUsageLine + "Try `" AIO_BINARY " -h' for more information.\n");
  r = run_aio({"-Z"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "Unknown option: -Z\n"));
  CHECK(contains(r.err, kUsageLine));
  r = run_aio({"-qZ", "x.aio"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "Unknown option: -Z\n"));
}

TEST_CASE("-c without its argument: status 2", "[test_cli]") {
  Result r = run_aio({"-c"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "Argument expected for the -c option\n"));
  CHECK(contains(r.err, kUsageLine));
}

TEST_CASE("-V and --version", "[test_cli]") {
  for (const char* flag : {"-V", "--version"}) {
    Result r = run_aio({flag});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("Python 3.11", 0) == 0);
  }
}

TEST_CASE("-h lists every option", "[test_cli]") {
  Result r = run_aio({"-h"});
  CHECK(r.status == 0);
  for (const char* opt : {"-c", "-i", "-q", "-u", "-V", "--version", "-h", "--help", "--virtual-time", "--check", "--debug"})
    CHECK(contains(r.out, opt));
  CHECK(run_aio({"--help"}).out == r.out);
}

TEST_CASE("sys.argv as python3 sets it", "[test_cli]") {
  const std::string show = "import sys; print(sys.argv)";
  CHECK(run_aio({"-c", show, "a", "-x", "--y"}).out == "['-c', 'a', '-x', '--y']\n");
  CHECK(run_aio({"-c" + show, "b"}).out == "['-c', 'b']\n");
  std::string path = script("argv.aio", show + "\n");
  CHECK(run_aio({path, "x", "-c", "y"}).out == "['" + path + "', 'x', '-c', 'y']\n");
  CHECK(run_aio({"-q", "--", path, "-i"}).out == "['" + path + "', '-i']\n");
  CHECK(run_aio({"-", "a", "b"}, show + "\n").out == "['-', 'a', 'b']\n");
  CHECK(run_aio({}, show + "\n").out == "['']\n");
}

TEST_CASE("a program on stdin runs as a script: no prompts, no echo", "[test_cli]") {
  Result r = run_aio({}, "x = 1\nx\nprint(x + 1)\n");
  CHECK(r.status == 0);
  CHECK(r.out == "2\n");
  CHECK(r.err.empty());
}

TEST_CASE("exit statuses", "[test_cli]") {
  CHECK(run_aio({"-c", "pass"}).status == 0);
  Result r = run_aio({"-c", "1/0"});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "ZeroDivisionError: division by zero\n"));
  CHECK(run_aio({"-c", "import sys; sys.exit(3)"}).status == 3);
  r = run_aio({"-c", "x = ("});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "SyntaxError: '(' was never closed\n"));
}

TEST_CASE("--check parses and compiles without running", "[test_cli]") {
  Result r = run_aio({"--check", script("ok.aio", "print('ran')\nasync def f():\n    await g()\n")});
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  std::string bad = script("bad.aio", "print('ran')\ndef f(:\n    pass\n");
  r = run_aio({"--check", bad});
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "  File \"" + bad + "\", line 2\n    def f(:\n          ^\nSyntaxError: invalid syntax\n");
  r = run_aio({"--check", "-c", "return 5"});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "SyntaxError: 'return' outside function\n"));
}

TEST_CASE("-i runs the program, then the REPL in its globals", "[test_cli]") {
  Result r = run_aio({"-i", "-c", "x = 5"}, "x + 1\n");
  CHECK(r.status == 0);
  CHECK(r.out == "6\n");
  CHECK(!contains(r.err, "aio 0.1"));  // no banner after a program, as python3
  r = run_aio({"-i", "-c", "1/0"}, "print('still here')\n");
  CHECK(contains(r.err, "ZeroDivisionError"));
  CHECK(r.out == "still here\n");
  r = run_aio({"-i", script("lib.aio", "async def twice(x):\n    return 2 * x\n")}, "await twice(21)\n");
  CHECK(r.out == "42\n");
}

TEST_CASE("-i with a pipe: prompts on stderr, -q drops the banner, SystemExit ends it", "[test_cli]") {
  Result r = run_aio({"-i"}, "1 + 1\n");
  CHECK(r.out == "2\n");
  CHECK(contains(r.err, "aio 0.1"));
  CHECK(contains(r.err, ">>> "));
  r = run_aio({"-i", "-q"}, "def f():\n    return 7\n\nf()\n");
  CHECK(r.out == "7\n");
  CHECK(r.err == ">>> ... ... >>> >>> ");
  r = run_aio({"-i", "-q"}, "raise SystemExit(4)\nprint('not reached')\n");
  CHECK(r.status == 4);
  CHECK(r.out.empty());
}

TEST_CASE("-u writes stdout through at once", "[test_cli]") {
  // Without -u a pipe gets nothing before the buffer fills or the program ends: here the
  // text must arrive while the program still sleeps (Ctrl-C then ends it).
  Result r = run_interrupted({"-u", "-c", "import time\nprint('x', end='')\ntime.sleep(100)"}, {"x"});
  CHECK(r.out == "x");
}

TEST_CASE("--virtual-time skips the waiting", "[test_cli]") {
  auto start = std::chrono::steady_clock::now();
  Result r = run_aio({"--virtual-time", "-c", "import asyncio\nawait asyncio.sleep(3600)\nprint('done')"});
  CHECK(r.out == "done\n");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("--debug: asyncio debug mode, slow callbacks, where never-awaited coroutines were made", "[test_cli]") {
  const std::string prog = "import asyncio\nprint(asyncio.new_event_loop().get_debug())";
  CHECK(run_aio({"--debug", "-c", prog}).out == "True\n");
  CHECK(run_aio({"-c", prog}).out == "False\n");
  std::string path = script("debug.aio",
                            "import asyncio, time\n"
                            "async def f():\n"
                            "    pass\n"
                            "async def main():\n"
                            "    f()\n"
                            "    time.sleep(0.15)\n"
                            "asyncio.run(main())\n");
  Result r = run_aio({"--debug", path});
  CHECK(contains(r.err, "RuntimeWarning: coroutine 'f' was never awaited\n"
                        "Coroutine created at (most recent call last)\n"
                        "  File \"" + path + "\", line 7, in <module>\n"
                        "    asyncio.run(main())\n"
                        "  File \"" + path + "\", line 5, in main\n"
                        "    f()\n"));
  CHECK(contains(r.err, "Executing <Task "));
  CHECK(contains(r.err, " took 0."));
  r = run_aio({path});
  CHECK(!contains(r.err, "Coroutine created at"));
  CHECK(!contains(r.err, "Executing"));
}

TEST_CASE("never-awaited coroutines are reported where they were dropped, as python3 does", "[test_cli]") {
  std::string path = script("never_awaited.aio",
                            "import asyncio\n"
                            "async def work():\n"
                            "    return 1\n"
                            "async def main():\n"
                            "    asyncio.sleep(1)\n"
                            "    work()\n"
                            "    print('done')\n"
                            "asyncio.run(main())\n");
  Result r = run_aio({path});
  CHECK(r.out == "done\n");
  const std::string tracemalloc = "RuntimeWarning: Enable tracemalloc to get the object allocation traceback\n";
  CHECK(r.err == path + ":5: RuntimeWarning: coroutine 'sleep' was never awaited\n  asyncio.sleep(1)\n" + tracemalloc +
                     path + ":6: RuntimeWarning: coroutine 'work' was never awaited\n  work()\n" + tracemalloc);
}

TEST_CASE("printing into a closed pipe raises BrokenPipeError (status 1), as python3", "[test_cli]") {
  std::string path = script("closed_pipe.aio", "for i in range(100000):\n    print(i)\n");
  // head takes one line and exits: aio's next write meets a pipe with no reader.
  std::string runner = script("closed_pipe.sh", std::string("'") + AIO_BINARY + "' '" + path + "' 2>'" + path +
                                                    ".err' | head -1 >/dev/null\n"
                                                    "echo ${PIPESTATUS[0]}\ntail -1 '" + path + ".err'\n");
  FILE* p = popen(("bash '" + runner + "'").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[256];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  CHECK(out == "1\nBrokenPipeError: [Errno 32] Broken pipe\n");
}

TEST_CASE("Ctrl-C in a script cancels the main task; its cleanup runs; status 130", "[test_cli]") {
  std::string path = script("interrupted.aio",
                            "import asyncio\n"
                            "async def main():\n"
                            "    try:\n"
                            "        print('start', flush=True)\n"
                            "        await asyncio.sleep(100)\n"
                            "    finally:\n"
                            "        print('cleanup', flush=True)\n"
                            "asyncio.run(main())\n");
  Result r = run_interrupted({path}, {"start"});
  CHECK(r.out == "start\ncleanup\n");
  CHECK(r.err == "Traceback (most recent call last):\n"
                 "  File \"" + path + "\", line 5, in main\n"
                 "    await asyncio.sleep(100)\n"
                 "asyncio.exceptions.CancelledError\n\n"
                 "During handling of the above exception, another exception occurred:\n\n"
                 "Traceback (most recent call last):\n"
                 "  File \"" + path + "\", line 8, in <module>\n"
                 "    asyncio.run(main())\n"
                 "KeyboardInterrupt\n");
}

TEST_CASE("a second Ctrl-C interrupts a cleanup that takes too long", "[test_cli]") {
  std::string path = script("stubborn.aio",
                            "import asyncio\n"
                            "async def main():\n"
                            "    try:\n"
                            "        print('start', flush=True)\n"
                            "        await asyncio.sleep(100)\n"
                            "    finally:\n"
                            "        print('cleanup', flush=True)\n"
                            "        await asyncio.sleep(100)\n"
                            "asyncio.run(main())\n");
  Result r = run_interrupted({path}, {"start", "cleanup"});
  CHECK(r.out == "start\ncleanup\n");
  CHECK(r.err == "Traceback (most recent call last):\n"
                 "  File \"" + path + "\", line 9, in <module>\n"
                 "    asyncio.run(main())\n"
                 "KeyboardInterrupt\n");
}

TEST_CASE("Ctrl-C interrupts code that never awaits: KeyboardInterrupt's traceback, status 130", "[test_cli]") {
  std::string path = script("busy.aio", "print('start', flush=True)\nwhile True: pass\n");
  Result r = run_interrupted({path}, {"start"});
  CHECK(r.out == "start\n");
  CHECK(r.err == "Traceback (most recent call last):\n"
                 "  File \"" + path + "\", line 2, in <module>\n"
                 "    while True: pass\n"
                 "KeyboardInterrupt\n");
}

TEST_CASE("KeyboardInterrupt can be caught, and finally blocks run", "[test_cli]") {
  std::string path = script("caught.aio",
                            "def spin():\n"
                            "    n = 0\n"
                            "    while True:\n"
                            "        n += 1\n"
                            "print('start', flush=True)\n"
                            "try:\n"
                            "    spin()\n"
                            "except KeyboardInterrupt:\n"
                            "    print('caught')\n"
                            "finally:\n"
                            "    print('finally')\n"
                            "print('after')\n");
  Result r = run_aio({path}, "", {"start"});
  CHECK(r.status == 0);
  CHECK(r.out == "start\ncaught\nfinally\nafter\n");
  CHECK(r.err.empty());
}

TEST_CASE("Ctrl-C cuts time.sleep and lock waits short", "[test_cli]") {
  std::string sleeper = script("sleeper.aio",
                               "import time\n"
                               "print('start', flush=True)\n"
                               "try:\n"
                               "    time.sleep(100)\n"
                               "finally:\n"
                               "    print('finally')\n");
  std::string waiter = script("waiter.aio", "import threading\nprint('start', flush=True)\nthreading.Event().wait()\n");
  for (const auto& path : {sleeper, waiter}) {
    Result r = run_interrupted({path}, {"start"});
    CHECK(contains(r.err, "Traceback (most recent call last):\n"));
    CHECK(contains(r.err, "\nKeyboardInterrupt\n"));
  }
  Result r = run_aio({sleeper}, "", {"start"});
  CHECK(r.out == "start\nfinally\n");
  CHECK(contains(r.err, "line 4, in <module>\n    time.sleep(100)\nKeyboardInterrupt\n"));
}

TEST_CASE("asyncio.run: the first Ctrl-C cancels a task that never awaits, the second interrupts it", "[test_cli]") {
  std::string path = script("busy_task.aio",
                            "import asyncio\n"
                            "async def main():\n"
                            "    print('start', flush=True)\n"
                            "    try:\n"
                            "        while not asyncio.current_task().cancelling(): pass\n"
                            "        print('cancelling', flush=True)\n"
                            "        while True: pass\n"
                            "    finally:\n"
                            "        print('cleanup', flush=True)\n"
                            "asyncio.run(main())\n");
  Result r = run_interrupted({path}, {"start", "cancelling"});
  CHECK(r.out == "start\ncancelling\ncleanup\n");
  CHECK(r.err == "Traceback (most recent call last):\n"
                 "  File \"" + path + "\", line 10, in <module>\n"
                 "    asyncio.run(main())\n"
                 "  File \"" + path + "\", line 7, in main\n"
                 "    while True: pass\n"
                 "KeyboardInterrupt\n");
}

TEST_CASE("input() reads lines from stdin; EOFError at its end", "[test_cli]") {
  std::string path = script("ask.aio", "x = input('name? ')\nprint(repr(x))\nprint(input())\ninput()\n");
  Result r = run_aio({path}, "ann\nbob\n");
  CHECK(r.status == 1);
  CHECK(r.out == "name? 'ann'\nbob\n");
  CHECK(contains(r.err, "line 4, in <module>\n    input()\nEOFError: EOF when reading a line\n"));
}

TEST_CASE("Ctrl-C while exit waits for threads: reported as ignored, the status stays", "[test_cli]") {
  std::string path = script("wait_at_exit.aio",
                            "import threading, time\n"
                            "def linger():\n"
                            "    time.sleep(0.3)  # the program has ended by now\n"
                            "    print('start', flush=True)\n"
                            "    time.sleep(100)\n"
                            "threading.Thread(target=linger).start()\n");
  Result r = run_aio({path}, "", {"start"});
  CHECK(r.status == 0);
  CHECK(r.out == "start\n");
  CHECK(r.err.rfind("Exception ignored in: <module 'threading'", 0) == 0);
  CHECK(contains(r.err, "\nKeyboardInterrupt"));
}

TEST_CASE("an endless recursion's traceback is folded as python3 folds it: three frames and a count", "[test_cli]") {
  std::string path = script("endless.aio", "def f():\n    f()\n\n\nf()\n");
  Result r = run_aio({path});
  CHECK(r.status == 1);
  std::string frame = "  File \"" + path + "\", line 2, in f\n    f()\n";
  CHECK(r.err == "Traceback (most recent call last):\n"
                 "  File \"" + path + "\", line 5, in <module>\n"
                 "    f()\n" +
                 frame + frame + frame +
                 "  [Previous line repeated 996 more times]\n"
                 "RecursionError: maximum recursion depth exceeded\n");
}
