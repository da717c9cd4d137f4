#include "runtime/signals.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>

namespace aio::rt {

namespace {

// Only lock-free atomics may be touched from a signal handler.
std::atomic<bool> g_arrived[NSIG];
std::atomic<int> g_wake_fd[NSIG];
std::atomic<uint32_t> g_epoch{0};
std::atomic<void (*)(int)> g_chained[NSIG];  // the handler ours displaced, still told (Ctrl-C's flag)
struct sigaction g_previous[NSIG];  // written and read on the installing thread only

extern "C" void route_signal(int sig) {
  int saved_errno = errno;
  // First: by the time the loop wakes, what the displaced handler records must be there.
  if (auto chained = g_chained[sig].load(std::memory_order_relaxed)) chained(sig);
  g_arrived[sig].store(true, std::memory_order_relaxed);
  g_epoch.fetch_add(1, std::memory_order_release);
  int fd = g_wake_fd[sig].load(std::memory_order_relaxed);
  if (fd >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd, &one, sizeof one);
  }
  errno = saved_errno;
}

}  // namespace

bool signal_is_valid(int sig) { return sig > 0 && sig < NSIG && sig != SIGKILL && sig != SIGSTOP; }

int signal_install(int sig, int wake_fd) {
  if (!signal_is_valid(sig)) return EINVAL;
  g_wake_fd[sig].store(wake_fd, std::memory_order_relaxed);
  struct sigaction sa = {};
  sa.sa_handler = route_signal;
  sigfillset(&sa.sa_mask);  // the handler runs with other signals held off
  sa.sa_flags = SA_RESTART | (sig == SIGCHLD ? SA_NOCLDSTOP : 0);
  if (sigaction(sig, &sa, &g_previous[sig]) != 0) {
    g_wake_fd[sig].store(-1, std::memory_order_relaxed);
    return errno;
  }
  const struct sigaction& prev = g_previous[sig];
  bool plain_handler = !(prev.sa_flags & SA_SIGINFO) && prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN &&
                       prev.sa_handler != route_signal;
  g_chained[sig].store(plain_handler ? prev.sa_handler : nullptr, std::memory_order_relaxed);
  return 0;
}

void signal_restore(int sig) {
  if (!signal_is_valid(sig)) return;
  sigaction(sig, &g_previous[sig], nullptr);
  g_wake_fd[sig].store(-1, std::memory_order_relaxed);
  g_chained[sig].store(nullptr, std::memory_order_relaxed);
  g_arrived[sig].store(false, std::memory_order_relaxed);
}

bool signal_take(int sig) { return g_arrived[sig].exchange(false, std::memory_order_acquire); }

uint32_t signal_epoch() { return g_epoch.load(std::memory_order_acquire); }

}  // namespace aio::rt
