// Loop core: scheduling and the iteration (see loop.h for the phases).
#include "runtime/loop.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <utility>

#include "runtime/signals.h"

namespace aio::rt {

namespace {
constexpr double kForever = -1;
constexpr double kMaxWait = 24 * 3600;      // asyncio's MAXIMUM_SELECT_TIMEOUT
constexpr double kClockResolution = 1e-9;  // CLOCK_MONOTONIC's: a timer this close is due
constexpr double kMillisPerSecond = 1000;
}  // namespace

Loop::Loop(LoopOptions options)
    : clock_(options.clock),
      before_block_(options.before_block),
      after_block_(options.after_block),
      pool_(inbox_, options.pool_threads), signals_(NSIG) {
  if (inbox_.fd() < 0) {
    init_error_ = errno;
    return;
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    init_error_ = errno;
    return;
  }
  epoll_event ev = {};
  ev.events = EPOLLIN;
  ev.data.fd = inbox_.fd();
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, inbox_.fd(), &ev) < 0) init_error_ = errno;
}

Loop::~Loop() { close(); }

uint32_t Loop::next_gen() {
  if (++last_gen_ == 0) ++last_gen_;  // 0 means "no watcher"
  return last_gen_;
}

Handle Loop::call_soon(Callback cb) {
  if (closed_) return {};
  return Handle{ready_.push(std::move(cb)) + 1, Handle::kReady};
}

Handle Loop::call_at(double when, TimerCallback cb) {
  if (closed_) return {};
  TimerId id = timers_.add(when, std::move(cb));
  return Handle{id.gen, id.slot};
}

Handle Loop::call_later(double delay, TimerCallback cb) { return call_at(time() + delay, std::move(cb)); }

bool Loop::cancel(Handle h) {
  if (!h) return false;
  if (h.slot != Handle::kReady) return timers_.cancel(TimerId{h.slot, static_cast<uint32_t>(h.id)});
  Callback* queued = ready_.find(h.id - 1);
  if (!queued || !*queued) return false;
  Callback dead = std::move(*queued);  // destroyed after the ring is consistent again
  return true;
}

void Loop::call_soon_threadsafe(Callback cb) { inbox_.post(std::move(cb), false); }

void Loop::submit(Callback work, Callback done) {
  if (closed_) return;
  ++jobs_;
  pool_.submit(std::move(work), std::move(done));
}

// Sources outside the loop that may make a callback ready at any moment.
bool Loop::waits_on_outside() const {
  return watched_fds_ > 0 || jobs_ > 0 || !children_.empty() || holds_ > 0;
}

bool Loop::has_pending_work() const {
  return !ready_.empty() || timers_.live() > 0 || waits_on_outside() || inbox_.pending();
}

// Phase 1. Returns the number of epoll events to queue. With callbacks already runnable we
// only poll if fds are watched: everything else reports through atomic flags.
int Loop::wait_for_events() {
  bool runnable = !ready_.empty() || stopping_ || inbox_.pending() ||
                  signal_epoch() != seen_signal_epoch_;
  if (runnable) return watched_fds_ > 0 ? poll(0) : 0;
  std::optional<double> next = timers_.next_deadline();
  if (clock_.is_virtual() && !waits_on_outside()) {
    if (!next) return poll(kForever);  // only another thread or a signal can wake us
    clock_.jump_to(time() + wait_granted(*next - time()));
    return 0;
  }
  return poll(next ? std::clamp(*next - time(), 0.0, kMaxWait) : kForever);
}

// epoll waits whole milliseconds, rounded up: a timer fires up to 1 ms late. A virtual jump is
// rounded the same way, so lateness accumulates (and orders near-simultaneous timers) as in real time.
double Loop::wait_granted(double timeout) { return std::ceil(timeout * kMillisPerSecond) / kMillisPerSecond; }

int Loop::poll(double timeout) {
  int ms = timeout < 0 ? -1 : static_cast<int>(wait_granted(timeout) * kMillisPerSecond);
  bool blocks = ms != 0;
  if (blocks) {
    clock_.begin_wait();
    if (before_block_) before_block_();
  }
  int n = epoll_wait(epoll_fd_, events_, kMaxEvents, ms);
  if (blocks) {
    if (after_block_) after_block_();
    clock_.end_wait();
  }
  return n > 0 ? n : 0;  // EINTR: a signal arrived, which collect_signals handles
}

void Loop::collect_posts() {
  inbox_.take(posts_);
  for (Inbox::Item& item : posts_) {
    if (item.finishes_job) --jobs_;
    ready_.push(std::move(item.cb));
  }
  posts_.clear();
}

void Loop::queue_due_timers() {
  double now = time() + kClockResolution;
  while (std::optional<TimerId> id = timers_.pop_due(now))
    ready_.push([this, id = *id] { fire_timer(id); });
}

void Loop::fire_timer(TimerId id) {
  if (TimerCallback cb = timers_.take(id)) cb.consume();
}

// A watcher's callback may remove or replace its own watcher while it runs, so it is
// borrowed for the call and handed back only if the same registration is still in place.
void Loop::fire(FindWatcher find, int key, uint32_t gen) {
  Watcher* w = (this->*find)(key, gen);
  if (!w || !w->cb) return;
  Callback cb = std::move(w->cb);
  cb();
  if ((w = (this->*find)(key, gen))) w->cb = std::move(cb);
}

// Phase 4: only what is queued now; callbacks scheduled meanwhile wait for the next iteration.
void Loop::run_ready() {
  for (size_t n = ready_.size(); n > 0 && !ready_.empty(); --n) {
    Callback cb = ready_.pop();
    if (!cb) continue;
    clock_.tick();
    cb.consume();
  }
}

void Loop::run_once() {
  if (closed_) return;
  int events = wait_for_events();
  collect_posts();
  collect_signals();
  queue_fd_events(events);
  queue_due_timers();
  run_ready();
}

void Loop::run_forever() {
  running_ = true;
  do run_once();
  while (!stopping_ && !closed_);
  stopping_ = false;
  running_ = false;
}

void Loop::close() {
  if (closed_) return;
  closed_ = true;
  pool_.shutdown();
  for (int sig = 1; sig < NSIG; ++sig)
    if (owns_signal(sig)) signal_restore(sig);
  reaping_ = false;
  inbox_.close();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  epoll_fd_ = -1;
  // Callbacks go last, moved out first: their destructors may call back into the loop,
  // which now refuses new work.
  ready_.clear();
  TimerHeap timers = std::exchange(timers_, TimerHeap{});
  std::vector<FdWatch> fds = std::move(fds_);
  std::vector<Watcher> signals = std::move(signals_);
  std::vector<Child> children = std::move(children_);
  Callback wakeup = std::move(wakeup_.cb);
  wakeup_fd_ = -1;
  wakeup_.gen = 0;
  fds_.clear();
  signals_.clear();
  children_.clear();
  watched_fds_ = 0;
  jobs_ = 0;
  holds_ = 0;
}

}  // namespace aio::rt
