#include "runtime/inbox.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace aio::rt {

Inbox::Inbox() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

Inbox::~Inbox() { close(); }

void Inbox::post(Callback cb, bool finishes_job) {
  std::lock_guard lock(mu_);
  if (closed_) return;
  items_.push_back(Item{std::move(cb), finishes_job});
  if (!pending_.exchange(true, std::memory_order_acq_rel)) {
    uint64_t one = 1;
    // A full counter (EAGAIN) still leaves the eventfd readable, which is all we need.
    [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
  }
}

void Inbox::take(std::vector<Item>& out) {
  if (!pending()) return;
  std::lock_guard lock(mu_);
  for (Item& it : items_) out.push_back(std::move(it));
  items_.clear();
  pending_.store(false, std::memory_order_release);  // under the lock: false means empty
}

void Inbox::clear_fd() {
  uint64_t count;
  [[maybe_unused]] ssize_t n = read(fd_, &count, sizeof count);
}

void Inbox::close() {
  std::vector<Item> dropped;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    dropped.swap(items_);
    pending_.store(false, std::memory_order_release);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace aio::rt
