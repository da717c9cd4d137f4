// The SIGINT handler and the interrupt handler stack. Only lock-free atomics and write() are
// used in the signal handler; everything else runs on the interrupt thread with the GIL held.
#include "interp/interrupt.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <ctime>

#include "interp/exception.h"
#include "interp/gil.h"

namespace aio {

namespace {

constexpr int64_t kNanos = 1000000000;
constexpr double kLongestWait = 1e9;  // seconds (31 years): beyond it the clock arithmetic overflows

std::atomic<bool> pending{false};
std::atomic<int> wake_fd{-1};
thread_local bool is_interrupt_thread = false;

extern "C" void on_sigint(int) {
  int saved_errno = errno;
  pending.store(true, std::memory_order_release);
  gil_drop_request.store(true, std::memory_order_relaxed);
  int fd = wake_fd.load(std::memory_order_relaxed);
  if (fd >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd, &one, sizeof one);
  }
  errno = saved_errno;
}

bool raise_keyboard_interrupt(void*) {
  raise_value(make_exception(exc.KeyboardInterrupt, {}));
  return false;
}

InterruptHandler handler = raise_keyboard_interrupt;
void* handler_data = nullptr;

void drain_wake_fd() {
  uint64_t count;
  [[maybe_unused]] ssize_t n = read(wake_fd.load(std::memory_order_relaxed), &count, sizeof count);
}

// The wake-up is drained before the flag is cleared: a signal in between leaves both set.
bool take_pending() {
  drain_wake_fd();
  return pending.exchange(false, std::memory_order_acquire);
}

}  // namespace

void interrupt_install() {
  is_interrupt_thread = true;
  if (wake_fd.load() < 0) wake_fd.store(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  struct sigaction sa = {};
  sa.sa_handler = on_sigint;
  sigfillset(&sa.sa_mask);
  // Restarted: plain reads and writes go on; poll, epoll_wait and nanosleep still return EINTR.
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
}

bool interrupt_thread() { return is_interrupt_thread; }

bool interrupt_pending() { return pending.load(std::memory_order_relaxed); }

int interrupt_fd() { return wake_fd.load(std::memory_order_relaxed); }

WaitResult interrupt_wait(int fd, short events, double seconds) {
  using Clock = std::chrono::steady_clock;
  seconds = std::min(seconds, kLongestWait);
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  pollfd fds[2] = {{fd, events, 0}, {is_interrupt_thread ? interrupt_fd() : -1, POLLIN, 0}};
  for (;;) {
    if (is_interrupt_thread && interrupt_pending()) return WaitResult::Interrupted;
    timespec left{};
    if (seconds >= 0) {
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now()).count();
      if (ns <= 0) return WaitResult::TimedOut;
      left.tv_sec = static_cast<time_t>(ns / kNanos);
      left.tv_nsec = static_cast<long>(ns % kNanos);
    }
    int n = ppoll(fds, 2, seconds >= 0 ? &left : nullptr, nullptr);
    if (n > 0 && fds[0].revents) return WaitResult::Ready;
    if (n > 0 && !interrupt_pending()) drain_wake_fd();  // a late write for an interrupt already taken
    if (n < 0 && errno != EINTR) return WaitResult::Ready;  // the caller's own call reports the error
  }
}

bool interrupt_check() {
  if (!is_interrupt_thread || !pending.load(std::memory_order_acquire) || !take_pending()) return true;
  return handler(handler_data);
}

InterruptScope::InterruptScope(InterruptHandler h, void* data) : saved_handler_(handler), saved_data_(handler_data) {
  handler = h;
  handler_data = data;
}

InterruptScope::~InterruptScope() {
  handler = saved_handler_;
  handler_data = saved_data_;
}

bool interrupt_default() {
  struct sigaction sa;
  if (sigaction(SIGINT, nullptr, &sa) != 0) return false;
  return sa.sa_handler == SIG_DFL || (sa.sa_handler == on_sigint && handler == raise_keyboard_interrupt);
}

}  // namespace aio
