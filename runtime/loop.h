// Loop: the event loop, with the structure of asyncio's BaseEventLoop._run_once.
// One iteration (run_once) has four phases:
//  1. wait: if callbacks are ready (or stop() was called), epoll_wait(0) runs only when fds are
//     watched; pool completions, call_soon_threadsafe and signals raise atomic flags, so they
//     need no syscall. Otherwise block in epoll until the nearest timer (the eventfd lets other
//     threads and signals cut it short); but a virtual clock with nothing outside to wait for
//     (fds, pool jobs, children, hold()) jumps straight to the next deadline instead.
//  2. collect: posts from other threads and pool completions join the ready queue, then arrived
//     signals (SIGCHLD reaps children), then fd events, each as a ready callback.
//  3. timers: every timer due by now moves to the ready queue in (deadline, sequence) order.
//  4. run: exactly the callbacks ready at this point run, FIFO; whatever they schedule waits
//     for the next iteration. run_forever repeats iterations until stop() is seen after one.
// All of it runs on the loop's thread; only call_soon_threadsafe may be called from elsewhere,
// and only the work given to submit() runs elsewhere.
#pragma once
#include <sys/epoll.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/callback.h"
#include "runtime/clock.h"
#include "runtime/inbox.h"
#include "runtime/ring.h"
#include "runtime/thread_pool.h"
#include "runtime/timer_heap.h"

namespace aio::rt {

using Errno = int;  // 0 on success, otherwise an errno value

// Names a scheduled callback or timer so it can be cancelled. Default-constructed: names nothing.
struct Handle {
  static constexpr uint32_t kReady = UINT32_MAX;  // slot value of a call_soon handle
  uint64_t id = 0;                                 // ready-queue sequence + 1, or timer generation
  uint32_t slot = kReady;
  explicit operator bool() const { return id != 0; }
  // A timer's handle packs into a TimerId (8 bytes) and back.
  static Handle of_timer(TimerId t) { return Handle{t.gen, t.slot}; }
  TimerId timer_id() const { return TimerId{slot, static_cast<uint32_t>(id)}; }
};

struct LoopOptions {
  ClockMode clock = ClockMode::Real;
  unsigned pool_threads = ThreadPool::default_size();
  // Called around every blocking wait: the embedder lets other threads run meanwhile.
  void (*before_block)() = nullptr;
  void (*after_block)() = nullptr;
};

enum class RunResult {
  Done,     // the predicate became true
  Stopped,  // stop() was called
  Idle,     // nothing left that could ever run: no callbacks, timers, fds, jobs or children
};

class Loop {
 public:
  explicit Loop(LoopOptions options = {});
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  Errno init_error() const { return init_error_; }  // nonzero if epoll or eventfd failed

  double time() const { return clock_.now(); }
  bool has_virtual_clock() const { return clock_.is_virtual(); }

  // Scheduling. On a closed loop the callback is dropped and the handle names nothing.
  Handle call_soon(Callback cb);
  // A timer's callable gets one word inline (a larger one is boxed).
  Handle call_at(double when, TimerCallback cb);
  Handle call_later(double delay, TimerCallback cb);
  bool cancel(Handle h);  // true if it had not run yet and now never will

  // Any thread.
  void call_soon_threadsafe(Callback cb);

  // File descriptors (level-triggered). A callback runs once per iteration while the fd is
  // ready; adding replaces an earlier callback for the same fd and direction.
  Errno add_reader(int fd, Callback cb);
  Errno add_writer(int fd, Callback cb);
  bool remove_reader(int fd);  // true if there was one
  bool remove_writer(int fd);

  // An fd whose readiness wakes the loop to run cb, without counting as pending work (the
  // interpreter's eventfd for signals its handlers act on). One at a time; fd -1 removes it.
  Errno set_wakeup(int fd, Callback cb);
  bool has_wakeup() const { return wakeup_fd_ >= 0; }

  // Signals, process-wide: a signal has one handler in one loop at a time.
  Errno add_signal_handler(int sig, Callback cb);
  bool remove_signal_handler(int sig);

  // Runs work on a pool thread, then done on the loop thread.
  void submit(Callback work, Callback done);

  // Calls cb(wait_status) on the loop thread once pid exits (reaped with waitpid on SIGCHLD).
  // An unknown pid reports status 255 << 8 (exit code 255), as asyncio does.
  Errno watch_child(pid_t pid, ChildCallback cb);
  bool unwatch_child(pid_t pid);

  // Counts an outside source (e.g. a thread that will call call_soon_threadsafe) as pending
  // work: has_pending_work stays true and the virtual clock waits in real time meanwhile.
  void hold() { ++holds_; }
  void release() { --holds_; }

  void run_once();
  void run_forever();
  // Runs iterations until done() holds (checked before each), stop(), or nothing is left.
  template <class Pred>
  RunResult run_until(Pred&& done);
  void stop() { stopping_ = true; }
  bool is_running() const { return running_; }

  // True if anything can still make a callback run: ready callbacks, live timers, watched fds,
  // pool jobs, watched children, holds, or posts not yet collected. Signal handlers do not
  // count: a program must not wait on a signal that may never come.
  bool has_pending_work() const;

  // Drops everything pending, joins the pool threads, restores signals, closes the fds.
  void close();
  bool is_closed() const { return closed_; }

 private:
  // A persistent callback (fd or signal); gen 0 means none is registered.
  struct Watcher {
    Callback cb;
    uint32_t gen = 0;
  };
  struct FdWatch {
    Watcher reader;
    Watcher writer;
    uint32_t registered = 0;  // epoll event mask currently in the kernel
  };
  struct Child {
    pid_t pid;
    ChildCallback cb;
  };
  static constexpr int kMaxEvents = 64;

  using FindWatcher = Watcher* (Loop::*)(int key, uint32_t gen);

  uint32_t next_gen();
  bool waits_on_outside() const;
  int wait_for_events();
  int poll(double timeout);
  void collect_posts();
  void collect_signals();
  void queue_fd_events(int n);
  void queue_due_timers();
  void run_ready();
  static double wait_granted(double timeout);
  void fire(FindWatcher find, int key, uint32_t gen);
  void fire_timer(TimerId id);

  Errno add_fd_watch(int fd, Watcher FdWatch::*side, Callback cb);
  bool remove_fd_watch(int fd, Watcher FdWatch::*side);
  Errno sync_epoll(int fd);
  Watcher* find_fd_watcher(int fd, uint32_t gen);
  Watcher* find_wakeup_watcher(int fd, uint32_t gen);

  bool owns_signal(int sig) const;
  Errno claim_signal(int sig);
  void release_signal(int sig);
  Watcher* find_signal_watcher(int sig, uint32_t gen);
  void reap_children();

  Clock clock_;
  void (*before_block_)() = nullptr;
  void (*after_block_)() = nullptr;
  Ring<Callback> ready_;
  TimerHeap timers_;
  Inbox inbox_;
  ThreadPool pool_;
  int epoll_fd_ = -1;
  Errno init_error_ = 0;

  std::vector<FdWatch> fds_;
  size_t watched_fds_ = 0;  // fds with a nonzero registered mask
  int wakeup_fd_ = -1;
  Watcher wakeup_;
  std::vector<Watcher> signals_;
  uint32_t seen_signal_epoch_ = 0;
  std::vector<Child> children_;
  bool reaping_ = false;  // our SIGCHLD handler is installed for children_
  size_t jobs_ = 0;       // submitted, completion not yet collected
  size_t holds_ = 0;
  uint32_t last_gen_ = 0;

  std::vector<Inbox::Item> posts_;  // scratch for collect_posts
  epoll_event events_[kMaxEvents];
  bool stopping_ = false;
  bool running_ = false;
  bool closed_ = false;
};

template <class Pred>
RunResult Loop::run_until(Pred&& done) {
  running_ = true;
  RunResult result;
  for (;;) {
    if (done()) {
      result = RunResult::Done;
      break;
    }
    if (stopping_) {
      result = RunResult::Stopped;
      break;
    }
    if (!has_pending_work()) {
      result = RunResult::Idle;
      break;
    }
    run_once();
  }
  stopping_ = false;
  running_ = false;
  return result;
}

}  // namespace aio::rt
