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
std::atomic<uint64_t> pending_signals{0};  // bit sig-1 for each signal recorded, not yet acted on
std::atomic<int> wake_fd{-1};
thread_local bool is_interrupt_thread = false;
SignalAction actions[NSIG];  // changed on the interrupt thread only
SignalRunner runner = nullptr;

uint64_t signal_bit(int sig) { return uint64_t(1) << (sig - 1); }

extern "C" void on_signal(int sig) {
  int saved_errno = errno;
  pending_signals.fetch_or(signal_bit(sig), std::memory_order_relaxed);
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

// Signals not acted on yet (a handler raised first) wait for the next check.
void keep_pending(uint64_t signals) {
  if (!signals) return;
  pending_signals.fetch_or(signals, std::memory_order_relaxed);
  pending.store(true, std::memory_order_release);
  gil_drop_request.store(true, std::memory_order_relaxed);
}

// Acts on each recorded signal in turn, in number order as CPython does.
bool act_on_signals() {
  uint64_t signals = pending_signals.exchange(0, std::memory_order_acquire);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (!(signals & signal_bit(sig))) continue;
    signals &= ~signal_bit(sig);
    bool ok = actions[sig] == SignalAction::Script && runner ? runner(sig) : handler(handler_data);
    if (!ok) {
      keep_pending(signals);
      return false;
    }
  }
  return true;
}

}  // namespace

void interrupt_install() {
  is_interrupt_thread = true;
  signal_set_action(SIGINT, SignalAction::Interrupt);
}

int signal_set_action(int sig, SignalAction action) {
  if (sig < 1 || sig >= NSIG) return EINVAL;
  if (wake_fd.load() < 0) wake_fd.store(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  struct sigaction sa = {};
  sigfillset(&sa.sa_mask);
  if (action == SignalAction::Default) sa.sa_handler = SIG_DFL;
  else if (action == SignalAction::Ignore) sa.sa_handler = SIG_IGN;
  else sa.sa_handler = on_signal;
  // Restarted: plain reads and writes go on; poll, epoll_wait and nanosleep still return EINTR.
  sa.sa_flags = SA_RESTART;
  if (sigaction(sig, &sa, nullptr) != 0) return errno;
  actions[sig] = action;
  return 0;
}

void set_signal_runner(SignalRunner r) { runner = r; }

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
  return act_on_signals();
}

bool interrupt_poll() {
  if (!is_interrupt_thread || !take_pending()) return true;
  return act_on_signals();
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
  return sa.sa_handler == SIG_DFL || (sa.sa_handler == on_signal && actions[SIGINT] == SignalAction::Interrupt &&
                                       handler == raise_keyboard_interrupt);
}

}  // namespace aio
