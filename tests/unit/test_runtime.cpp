// The runtime event loop on its own: ordering, timers, clocks, fds, threads, signals, children.
#include <signal.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/loop.h"

using namespace aio::rt;

namespace {

LoopOptions virtual_clock() { return LoopOptions{.clock = ClockMode::Virtual}; }

// Runs iterations until flag is set; fails the test instead of hanging when the loop goes idle.
void run_until_set(Loop& loop, const bool& flag) {
  RunResult r = loop.run_until([&] { return flag; });
  REQUIRE(r == RunResult::Done);
}

// Owns a resource but may be moved by copying bytes: opted in to inline storage.
struct CountsDrops {
  int* drops;
  explicit CountsDrops(int* d) : drops(d) {}
  CountsDrops(CountsDrops&& o) noexcept : drops(std::exchange(o.drops, nullptr)) {}
  ~CountsDrops() {
    if (drops) ++*drops;
  }
  void operator()() const {}
};

}  // namespace

template <>
inline constexpr bool aio::rt::trivially_relocatable<CountsDrops> = true;

TEST_CASE("call_soon runs callbacks FIFO", "[test_runtime]") {
  Loop loop;
  REQUIRE(loop.init_error() == 0);
  std::vector<int> order;
  for (int i = 0; i < 1000; ++i) loop.call_soon([&order, i] { order.push_back(i); });
  loop.run_once();
  REQUIRE(order.size() == 1000);
  for (int i = 0; i < 1000; ++i) REQUIRE(order[i] == i);
  REQUIRE_FALSE(loop.has_pending_work());
}

TEST_CASE("callbacks scheduled during an iteration run in the next one", "[test_runtime]") {
  Loop loop;
  std::string log;
  loop.call_soon([&] {
    log += "a";
    loop.call_soon([&] { log += "c"; });
  });
  loop.call_soon([&] { log += "b"; });
  loop.run_once();
  REQUIRE(log == "ab");
  REQUIRE(loop.has_pending_work());
  loop.run_once();
  REQUIRE(log == "abc");
}

TEST_CASE("timers fire by deadline, equal deadlines FIFO", "[test_runtime]") {
  Loop loop(virtual_clock());
  double t0 = loop.time();
  std::string log;
  loop.call_at(t0 + 2, [&] { log += "d"; });
  loop.call_at(t0 + 1, [&] { log += "a"; });
  loop.call_at(t0 + 1, [&] { log += "b"; });
  loop.call_at(t0 + 1, [&] { log += "c"; });
  loop.call_later(0, [&] { log += "0"; });
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(log == "0abcd");
  REQUIRE(loop.time() - t0 == Approx(2));
}

TEST_CASE("a virtual clock waits as epoll does and charges each callback a microsecond", "[test_runtime]") {
  Loop loop(virtual_clock());
  double t0 = loop.time();
  double fired_at = 0;
  loop.call_at(t0 + 0.0004, [&] { fired_at = loop.time(); });
  while (loop.has_pending_work()) loop.run_once();
  // The jump is rounded up to whole milliseconds, as epoll's timeout is: the timer fires late.
  REQUIRE(fired_at - t0 >= 0.001);
  REQUIRE(fired_at - t0 < 0.001 + 2 * kVirtualCallbackSeconds);
  double t1 = loop.time();
  int n = 0;
  loop.call_soon([&] { ++n; });
  loop.call_soon([&] { ++n; });
  loop.run_once();
  REQUIRE(n == 2);
  REQUIRE(loop.time() - t1 == Approx(2 * kVirtualCallbackSeconds));
}

TEST_CASE("ready callbacks run before due timers queued in the same iteration", "[test_runtime]") {
  Loop loop(virtual_clock());
  std::string log;
  loop.call_later(0, [&] { log += "t"; });
  loop.call_soon([&] { log += "s"; });
  loop.run_once();
  REQUIRE(log == "st");
}

TEST_CASE("cancel stops callbacks and timers that have not run", "[test_runtime]") {
  Loop loop(virtual_clock());
  std::string log;
  Handle soon = loop.call_soon([&] { log += "x"; });
  loop.call_soon([&] { log += "s"; });
  Handle later = loop.call_later(5, [&] { log += "y"; });
  loop.call_later(6, [&] { log += "t"; });
  REQUIRE(loop.cancel(soon));
  REQUIRE(loop.cancel(later));
  REQUIRE_FALSE(loop.cancel(soon));
  REQUIRE_FALSE(loop.cancel(later));
  REQUIRE_FALSE(loop.cancel(Handle{}));
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(log == "st");
}

TEST_CASE("cancel reaches a timer already moved to the ready queue", "[test_runtime]") {
  Loop loop(virtual_clock());
  std::string log;
  Handle second;
  double when = loop.time() + 1;
  loop.call_at(when, [&] {
    log += "a";
    REQUIRE(loop.cancel(second));
  });
  second = loop.call_at(when, [&] { log += "b"; });
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(log == "a");
}

TEST_CASE("a cancelled handle cannot touch a later timer in the same slot", "[test_runtime]") {
  Loop loop(virtual_clock());
  int fired = 0;
  Handle old = loop.call_later(1, [&] { ++fired; });
  REQUIRE(loop.cancel(old));
  loop.call_later(1, [&] { ++fired; });
  REQUIRE_FALSE(loop.cancel(old));
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(fired == 1);
}

TEST_CASE("many cancelled timers are compacted and the rest keep their order", "[test_runtime]") {
  Loop loop(virtual_clock());
  std::vector<Handle> handles;
  std::vector<int> order;
  for (int i = 0; i < 1000; ++i)
    handles.push_back(loop.call_later(1 + (i % 7), [&order, i] { order.push_back(i); }));
  for (int i = 0; i < 1000; ++i)
    if (i % 10) REQUIRE(loop.cancel(handles[i]));
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(order.size() == 100);
  for (size_t k = 1; k < order.size(); ++k) {
    int a = order[k - 1], b = order[k];
    REQUIRE((a % 7 < b % 7 || (a % 7 == b % 7 && a < b)));
  }
}

TEST_CASE("cancel finds a queued callback after the ready ring grew", "[test_runtime]") {
  Loop loop;
  int fired = 0;
  Handle first = loop.call_soon([&] { fired += 1000; });
  for (int i = 0; i < 500; ++i) loop.call_soon([&] { ++fired; });
  REQUIRE(loop.cancel(first));
  loop.run_once();
  REQUIRE(fired == 500);
}

TEST_CASE("virtual clock: a 1000 s timer completes at once", "[test_runtime]") {
  Loop loop(virtual_clock());
  double t0 = loop.time();
  auto real0 = std::chrono::steady_clock::now();
  bool done = false;
  loop.call_later(1000, [&] { done = true; });
  run_until_set(loop, done);
  REQUIRE(loop.time() - t0 == Approx(1000));
  REQUIRE(std::chrono::steady_clock::now() - real0 < std::chrono::seconds(1));
}

TEST_CASE("real clock: a 50 ms timer takes at least 50 ms", "[test_runtime]") {
  Loop loop;
  REQUIRE_FALSE(loop.has_virtual_clock());
  double t0 = loop.time();
  bool done = false;
  loop.call_later(0.05, [&] { done = true; });
  run_until_set(loop, done);
  double elapsed = loop.time() - t0;
  REQUIRE(elapsed >= 0.05);
  REQUIRE(elapsed < 2.0);
}

TEST_CASE("fd readiness with a pipe", "[test_runtime]") {
  Loop loop;
  int p[2];
  REQUIRE(pipe(p) == 0);
  std::string got;
  bool writable = false;
  REQUIRE(loop.add_writer(p[1], [&] {
    writable = true;
    REQUIRE(write(p[1], "hi", 2) == 2);
    REQUIRE(loop.remove_writer(p[1]));  // removing itself while it runs is allowed
  }) == 0);
  REQUIRE(loop.add_reader(p[0], [&] {
    char buf[8];
    ssize_t n = read(p[0], buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<size_t>(n));
    loop.remove_reader(p[0]);
  }) == 0);
  REQUIRE(loop.has_pending_work());
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(writable);
  REQUIRE(got == "hi");
  REQUIRE_FALSE(loop.remove_reader(p[0]));
  close(p[0]);
  close(p[1]);
}

TEST_CASE("a reader can replace itself while it runs", "[test_runtime]") {
  Loop loop;
  int p[2];
  REQUIRE(pipe(p) == 0);
  REQUIRE(write(p[1], "x", 1) == 1);
  std::string log;
  REQUIRE(loop.add_reader(p[0], [&] {
    log += "1";
    loop.add_reader(p[0], [&] {
      log += "2";
      char c;
      REQUIRE(read(p[0], &c, 1) == 1);
      loop.remove_reader(p[0]);
    });
  }) == 0);
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(log == "12");
  close(p[0]);
  close(p[1]);
}

TEST_CASE("add_reader reports errors from epoll", "[test_runtime]") {
  Loop loop;
  REQUIRE(loop.add_reader(-1, [] {}) == EBADF);
  int p[2];
  REQUIRE(pipe(p) == 0);
  close(p[0]);
  close(p[1]);
  REQUIRE(loop.add_reader(p[0], [] {}) == EBADF);
  REQUIRE_FALSE(loop.has_pending_work());
}

TEST_CASE("a wakeup fd runs its callback without counting as pending work", "[test_runtime]") {
  Loop loop;
  int p[2];
  REQUIRE(pipe(p) == 0);
  int woken = 0;
  REQUIRE(loop.set_wakeup(p[0], [&] {
    char c;
    REQUIRE(read(p[0], &c, 1) == 1);
    ++woken;
  }) == 0);
  REQUIRE(loop.has_wakeup());
  REQUIRE_FALSE(loop.has_pending_work());
  REQUIRE(write(p[1], "x", 1) == 1);
  loop.call_later(10, [] {});  // without the wakeup the iteration would block for 10 s
  loop.run_once();
  REQUIRE(woken == 1);
  REQUIRE(loop.set_wakeup(-1, {}) == 0);
  REQUIRE_FALSE(loop.has_wakeup());
  REQUIRE(write(p[1], "y", 1) == 1);
  loop.call_soon([] {});
  loop.run_once();
  REQUIRE(woken == 1);
  close(p[0]);
  close(p[1]);
}

TEST_CASE("call_soon_threadsafe wakes a blocked loop", "[test_runtime]") {
  Loop loop;
  bool woke = false;
  auto loop_thread = std::this_thread::get_id();
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.call_soon_threadsafe([&] {
      REQUIRE(std::this_thread::get_id() == loop_thread);
      woke = true;
    });
  });
  while (!woke) loop.run_once();  // blocks in epoll until the post arrives
  other.join();
  REQUIRE(woke);
}

TEST_CASE("hold keeps a virtual-clock loop waiting for another thread", "[test_runtime]") {
  Loop loop(virtual_clock());
  bool woke = false, timer = false;
  loop.call_later(1000, [&] { timer = true; });
  loop.hold();
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.call_soon_threadsafe([&] {
      woke = true;
      loop.release();
    });
  });
  run_until_set(loop, woke);
  other.join();
  REQUIRE_FALSE(timer);  // virtual time only advanced by the real wait
  run_until_set(loop, timer);
}

TEST_CASE("thread pool completion runs on the loop thread", "[test_runtime]") {
  Loop loop(LoopOptions{.clock = ClockMode::Virtual, .pool_threads = 4});
  auto loop_thread = std::this_thread::get_id();
  std::atomic<int> worked{0};
  int done = 0;
  std::vector<std::thread::id> workers(8);
  for (int i = 0; i < 8; ++i)
    loop.submit(
        [&, i] {
          workers[i] = std::this_thread::get_id();
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          ++worked;
        },
        [&] {
          REQUIRE(std::this_thread::get_id() == loop_thread);
          ++done;
        });
  REQUIRE(loop.has_pending_work());
  RunResult r = loop.run_until([&] { return done == 8; });
  REQUIRE(r == RunResult::Done);
  REQUIRE(worked == 8);
  for (auto id : workers) REQUIRE(id != loop_thread);
  REQUIRE_FALSE(loop.has_pending_work());
}

TEST_CASE("virtual clock waits for pool work before jumping to a timer", "[test_runtime]") {
  Loop loop(virtual_clock());
  std::string log;
  loop.call_later(10, [&] { log += "timer"; });
  loop.submit([] { std::this_thread::sleep_for(std::chrono::milliseconds(30)); }, [&] { log += "job,"; });
  while (loop.has_pending_work()) loop.run_once();
  REQUIRE(log == "job,timer");
}

TEST_CASE("signal handler runs on the loop after raise", "[test_runtime]") {
  Loop loop;
  int count = 0;
  REQUIRE(loop.add_signal_handler(SIGUSR1, [&] { ++count; }) == 0);
  REQUIRE_FALSE(loop.has_pending_work());  // a handler alone is not pending work
  raise(SIGUSR1);
  loop.run_once();  // collected and run in the same iteration
  REQUIRE(count == 1);
  REQUIRE(loop.remove_signal_handler(SIGUSR1));
  REQUIRE_FALSE(loop.remove_signal_handler(SIGUSR1));
  REQUIRE(loop.add_signal_handler(SIGKILL, [] {}) == EINVAL);
}

TEST_CASE("stop ends run_forever after the current iteration", "[test_runtime]") {
  Loop loop;
  std::string log;
  loop.call_soon([&] {
    log += "a";
    loop.stop();
    loop.call_soon([&] { log += "c"; });
  });
  loop.call_soon([&] { log += "b"; });
  loop.run_forever();
  REQUIRE(log == "ab");
  REQUIRE_FALSE(loop.is_running());
  loop.run_once();
  REQUIRE(log == "abc");
}

TEST_CASE("run_until reports an idle loop instead of blocking", "[test_runtime]") {
  Loop loop;
  int n = 0;
  loop.call_soon([&] { ++n; });
  REQUIRE(loop.run_until([] { return false; }) == RunResult::Idle);
  REQUIRE(n == 1);
  loop.call_soon([&] { loop.stop(); });
  REQUIRE(loop.run_until([] { return false; }) == RunResult::Stopped);
}

TEST_CASE("children are reaped with their exit status", "[test_runtime]") {
  Loop loop;
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(7);
  int status = -1;
  bool reaped = false;
  REQUIRE(loop.watch_child(pid, [&](int st) {
    status = st;
    reaped = true;
  }) == 0);
  run_until_set(loop, reaped);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 7);
  REQUIRE_FALSE(loop.unwatch_child(pid));
}

TEST_CASE("a child still running is reaped when SIGCHLD arrives", "[test_runtime]") {
  Loop loop(virtual_clock());
  int p[2];
  REQUIRE(pipe(p) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    char c;
    close(p[1]);
    _exit(read(p[0], &c, 1) == 1 ? 3 : 4);  // exits once the parent writes
  }
  close(p[0]);
  int status = -1;
  bool reaped = false;
  REQUIRE(loop.watch_child(pid, [&](int st) {
    status = st;
    reaped = true;
  }) == 0);
  // A watched child is an outside source, so the virtual clock waits for this in real time.
  loop.call_later(0.01, [&] { REQUIRE(write(p[1], "go", 1) == 1); });
  run_until_set(loop, reaped);
  REQUIRE(WEXITSTATUS(status) == 3);
  close(p[1]);
}

TEST_CASE("callbacks own their captures: move-only, boxed, dropped on close", "[test_runtime]") {
  auto token = std::make_shared<int>(0);
  {
    Loop loop;
    std::string big(100, 'x');
    loop.call_soon([token, big] { *token += static_cast<int>(big.size()); });
    loop.call_soon([p = std::make_unique<int>(5), token] { *token += *p; });
    loop.run_once();
    REQUIRE(*token == 105);
    loop.call_soon([token] {});
    loop.call_later(10, [token] {});
    Handle h = loop.call_soon([token] {});
    loop.cancel(h);
    REQUIRE(token.use_count() == 3);
    loop.close();
    REQUIRE(token.use_count() == 1);
    REQUIRE_FALSE(loop.call_soon([token] {}));
    REQUIRE(token.use_count() == 1);
  }
  REQUIRE(token.use_count() == 1);
}

TEST_CASE("Callback stores small trivially copyable callables inline", "[test_runtime]") {
  int hits = 0;
  int* p = &hits;
  Callback a([p] { ++*p; });
  Callback b = std::move(a);
  REQUIRE_FALSE(a);
  b();
  b.consume();
  REQUIRE_FALSE(b);
  REQUIRE(hits == 2);
  ChildCallback c([&](int st) { hits += st; });
  c(10);
  REQUIRE(hits == 12);
}

TEST_CASE("reader and writer on one fd are independent", "[test_runtime]") {
  Loop loop;
  int sv[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  int reads = 0, writes = 0;
  REQUIRE(loop.add_reader(sv[0], [&] {
    char buf[4];
    REQUIRE(read(sv[0], buf, sizeof buf) > 0);
    ++reads;
  }) == 0);
  REQUIRE(loop.add_writer(sv[0], [&] {
    ++writes;
    loop.remove_writer(sv[0]);  // the reader must stay registered
  }) == 0);
  loop.run_once();
  REQUIRE(writes == 1);
  REQUIRE(reads == 0);
  REQUIRE(write(sv[1], "ab", 2) == 2);
  loop.run_once();
  REQUIRE(reads == 1);
  REQUIRE(writes == 1);
  REQUIRE(loop.remove_reader(sv[0]));
  REQUIRE_FALSE(loop.has_pending_work());
  close(sv[0]);
  close(sv[1]);
}

TEST_CASE("a pid reaped elsewhere reports exit status 255", "[test_runtime]") {
  Loop loop;
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(0);
  REQUIRE(waitpid(pid, nullptr, 0) == pid);
  int status = -1;
  bool reaped = false;
  REQUIRE(loop.watch_child(pid, [&](int st) {
    status = st;
    reaped = true;
  }) == 0);
  run_until_set(loop, reaped);
  REQUIRE(WEXITSTATUS(status) == 255);
}

TEST_CASE("closing a loop releases its descriptors and threads", "[test_runtime]") {
  auto open_fds = [] {
    int n = 0;
    for (int fd = 0; fd < 1024; ++fd) n += fcntl(fd, F_GETFD) != -1;
    return n;
  };
  int before = open_fds();
  {
    Loop loop;
    bool done = false;
    loop.submit([] {}, [&] { done = true; });
    REQUIRE(loop.add_signal_handler(SIGUSR2, [] {}) == 0);
    run_until_set(loop, done);
    REQUIRE(open_fds() > before);
    loop.close();
    REQUIRE(loop.is_closed());
    REQUIRE(open_fds() == before);
  }
  struct sigaction sa;
  sigaction(SIGUSR2, nullptr, &sa);
  REQUIRE(sa.sa_handler == SIG_DFL);
}

TEST_CASE("opted-in relocatable callables are inline and destroyed exactly once", "[test_runtime]") {
  static_assert(sizeof(Callback) == 3 * sizeof(void*));
  int drops = 0;
  {
    Callback a{CountsDrops(&drops)};
    Callback b = std::move(a);
    b.consume();
    REQUIRE(drops == 1);
    Callback c{CountsDrops(&drops)};
  }
  REQUIRE(drops == 2);
}
