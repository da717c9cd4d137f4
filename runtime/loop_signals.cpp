// Loop: signal handlers and child-process reaping (SIGCHLD + waitpid per watched pid).
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <utility>

#include "runtime/loop.h"
#include "runtime/signals.h"

namespace aio::rt {

namespace {
constexpr int kUnknownChildStatus = 255 << 8;  // "exited with 255", asyncio's report for a lost pid
}

bool Loop::owns_signal(int sig) const {
  return (static_cast<size_t>(sig) < signals_.size() && signals_[sig].gen != 0) ||
         (sig == SIGCHLD && reaping_);
}

Errno Loop::claim_signal(int sig) { return owns_signal(sig) ? 0 : signal_install(sig, inbox_.fd()); }

// Call after dropping a use of sig: restores its disposition if no use is left.
void Loop::release_signal(int sig) {
  if (!owns_signal(sig)) signal_restore(sig);
}

Errno Loop::add_signal_handler(int sig, Callback cb) {
  if (closed_) return EBADF;
  if (!signal_is_valid(sig)) return EINVAL;
  if (Errno err = claim_signal(sig)) return err;
  Watcher& w = signals_[sig];
  Callback replaced = std::exchange(w.cb, std::move(cb));
  w.gen = next_gen();
  return 0;
}

bool Loop::remove_signal_handler(int sig) {
  if (!signal_is_valid(sig) || static_cast<size_t>(sig) >= signals_.size()) return false;
  Watcher& w = signals_[sig];
  if (w.gen == 0) return false;
  Callback removed = std::move(w.cb);
  w.gen = 0;
  release_signal(sig);
  return true;
}

Loop::Watcher* Loop::find_signal_watcher(int sig, uint32_t gen) {
  return signals_[sig].gen == gen ? &signals_[sig] : nullptr;
}

void Loop::collect_signals() {
  uint32_t epoch = signal_epoch();
  if (epoch == seen_signal_epoch_) return;
  seen_signal_epoch_ = epoch;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (!owns_signal(sig) || !signal_take(sig)) continue;
    if (sig == SIGCHLD && reaping_) reap_children();
    if (uint32_t gen = signals_[sig].gen)
      ready_.push([this, sig, gen] { fire(&Loop::find_signal_watcher, sig, gen); });
  }
}

Errno Loop::watch_child(pid_t pid, ChildCallback cb) {
  if (closed_) return EBADF;
  if (!reaping_) {
    if (Errno err = claim_signal(SIGCHLD)) return err;
    reaping_ = true;
  }
  children_.push_back(Child{pid, std::move(cb)});
  reap_children();  // it may have exited before we started listening for SIGCHLD
  return 0;
}

bool Loop::unwatch_child(pid_t pid) {
  auto it = std::find_if(children_.begin(), children_.end(), [pid](const Child& c) { return c.pid == pid; });
  if (it == children_.end()) return false;
  Child removed = std::move(*it);
  children_.erase(it);
  if (children_.empty()) {
    reaping_ = false;
    release_signal(SIGCHLD);
  }
  return true;
}

// SIGCHLDs coalesce, so every watched pid is polled; other children are left alone.
void Loop::reap_children() {
  for (size_t i = 0; i < children_.size();) {
    int status = 0;
    pid_t r = waitpid(children_[i].pid, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) {
      ++i;
      continue;
    }
    if (r < 0) status = kUnknownChildStatus;
    ready_.push([cb = std::move(children_[i].cb), status]() mutable { cb.consume(status); });
    children_.erase(children_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  if (children_.empty() && reaping_) {
    reaping_ = false;
    release_signal(SIGCHLD);
  }
}

}  // namespace aio::rt
