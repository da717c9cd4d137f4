// Loop: file-descriptor watchers on epoll (level-triggered, like asyncio's selectors).
#include <sys/epoll.h>

#include <cerrno>
#include <utility>

#include "runtime/loop.h"

namespace aio::rt {

namespace {
// Errors and hang-ups wake both directions, as asyncio's selector reports them.
constexpr uint32_t kReadEvents = EPOLLIN | EPOLLERR | EPOLLHUP;
constexpr uint32_t kWriteEvents = EPOLLOUT | EPOLLERR | EPOLLHUP;
constexpr uint32_t kWantRead = EPOLLIN;
constexpr uint32_t kWantWrite = EPOLLOUT;
}  // namespace

Errno Loop::add_reader(int fd, Callback cb) { return add_fd_watch(fd, &FdWatch::reader, std::move(cb)); }
Errno Loop::add_writer(int fd, Callback cb) { return add_fd_watch(fd, &FdWatch::writer, std::move(cb)); }
bool Loop::remove_reader(int fd) { return remove_fd_watch(fd, &FdWatch::reader); }
bool Loop::remove_writer(int fd) { return remove_fd_watch(fd, &FdWatch::writer); }

Errno Loop::add_fd_watch(int fd, Watcher FdWatch::*side, Callback cb) {
  if (closed_ || fd < 0) return EBADF;
  if (static_cast<size_t>(fd) >= fds_.size()) fds_.resize(static_cast<size_t>(fd) + 1);
  Watcher& w = fds_[fd].*side;
  Callback replaced = std::exchange(w.cb, std::move(cb));  // destroyed once the table is settled
  w.gen = next_gen();
  Errno err = sync_epoll(fd);
  if (err) {
    replaced = std::move(w.cb);
    w.gen = 0;
  }
  return err;
}

bool Loop::remove_fd_watch(int fd, Watcher FdWatch::*side) {
  if (fd < 0 || static_cast<size_t>(fd) >= fds_.size()) return false;
  Watcher& w = fds_[fd].*side;
  if (w.gen == 0) return false;
  Callback removed = std::move(w.cb);
  w.gen = 0;
  sync_epoll(fd);
  return true;
}

// Brings the kernel's interest set for fd in line with its watchers.
Errno Loop::sync_epoll(int fd) {
  FdWatch& w = fds_[fd];
  uint32_t want = (w.reader.gen ? kWantRead : 0) | (w.writer.gen ? kWantWrite : 0);
  if (want == w.registered) return 0;
  epoll_event ev = {};
  ev.events = want;
  ev.data.fd = fd;
  if (want == 0) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, &ev);  // fails only if fd was closed: it left already
    w.registered = 0;
    --watched_fds_;
    return 0;
  }
  int op = w.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  int rc = epoll_ctl(epoll_fd_, op, fd, &ev);
  // The fd may have been closed (leaving epoll) and reopened, or dup'ed under the same number.
  if (rc < 0 && errno == ENOENT) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  else if (rc < 0 && errno == EEXIST) rc = epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
  if (rc < 0) return errno;
  if (w.registered == 0) ++watched_fds_;
  w.registered = want;
  return 0;
}

Errno Loop::set_wakeup(int fd, Callback cb) {
  if (closed_) return EBADF;
  if (wakeup_fd_ >= 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, wakeup_fd_, nullptr);
  wakeup_fd_ = -1;
  Callback replaced = std::exchange(wakeup_.cb, std::move(cb));
  wakeup_.gen = 0;
  if (fd < 0) return 0;
  epoll_event ev = {};
  ev.events = kWantRead;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0) return errno;
  wakeup_fd_ = fd;
  wakeup_.gen = next_gen();
  return 0;
}

Loop::Watcher* Loop::find_wakeup_watcher(int, uint32_t gen) { return wakeup_.gen == gen ? &wakeup_ : nullptr; }

Loop::Watcher* Loop::find_fd_watcher(int fd, uint32_t gen) {
  if (static_cast<size_t>(fd) >= fds_.size()) return nullptr;
  FdWatch& w = fds_[fd];
  if (w.reader.gen == gen) return &w.reader;
  if (w.writer.gen == gen) return &w.writer;
  return nullptr;
}

void Loop::queue_fd_events(int n) {
  for (int i = 0; i < n; ++i) {
    int fd = events_[i].data.fd;
    uint32_t ev = events_[i].events;
    if (fd == inbox_.fd()) {
      inbox_.clear_fd();
      continue;
    }
    if (fd == wakeup_fd_) {
      ready_.push([this, gen = wakeup_.gen] { fire(&Loop::find_wakeup_watcher, wakeup_fd_, gen); });
      continue;
    }
    if (static_cast<size_t>(fd) >= fds_.size()) continue;
    const FdWatch& w = fds_[fd];
    if ((ev & kReadEvents) && w.reader.gen)
      ready_.push([this, fd, gen = w.reader.gen] { fire(&Loop::find_fd_watcher, fd, gen); });
    if ((ev & kWriteEvents) && w.writer.gen)
      ready_.push([this, fd, gen = w.writer.gen] { fire(&Loop::find_fd_watcher, fd, gen); });
  }
}

}  // namespace aio::rt
