// Inbox: how other threads (and thread-pool workers) hand callbacks to the loop thread.
// Posting appends under a mutex and writes the eventfd only when the inbox goes from empty to
// non-empty, so a burst of posts costs one wake-up. pending() is changed only under the mutex,
// so it is true exactly while items wait. The loop checks pending() without a syscall
// and drains everything at once.
#pragma once
#include <atomic>
#include <mutex>
#include <vector>

#include "runtime/callback.h"

namespace aio::rt {

class Inbox {
 public:
  struct Item {
    Callback cb;
    bool finishes_job;  // a thread-pool completion: the loop's job count drops when it arrives
  };

  Inbox();  // check fd() >= 0 for success
  ~Inbox();
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  int fd() const { return fd_; }  // the eventfd, readable while a wake-up is unread

  // Any thread. After close() the callback is dropped.
  void post(Callback cb, bool finishes_job);

  bool pending() const { return pending_.load(std::memory_order_acquire); }

  // Loop thread: moves everything posted so far onto the end of out.
  void take(std::vector<Item>& out);

  // Loop thread: consumes the eventfd count once the poller has reported it.
  void clear_fd();

  // Drops what is queued and closes the eventfd; later posts are dropped.
  void close();

 private:
  int fd_;
  std::mutex mu_;
  std::vector<Item> items_;
  bool closed_ = false;
  std::atomic<bool> pending_{false};
};

}  // namespace aio::rt
