#include "runtime/thread_pool.h"

#include <signal.h>

#include <algorithm>

namespace aio::rt {

namespace {
constexpr unsigned kMaxDefaultThreads = 32;
constexpr unsigned kExtraDefaultThreads = 4;
}  // namespace

unsigned ThreadPool::default_size() {
  return std::min(kMaxDefaultThreads, std::thread::hardware_concurrency() + kExtraDefaultThreads);
}

ThreadPool::ThreadPool(Inbox& inbox, unsigned max_threads)
    : inbox_(inbox), max_threads_(std::max(1u, max_threads)) {}

ThreadPool::~ThreadPool() { shutdown(); }

void ThreadPool::submit(Callback work, Callback done) {
  std::unique_lock lock(mu_);
  if (stopping_) return;
  jobs_.push_back(Job{std::move(work), std::move(done)});
  bool need_thread = idle_ < jobs_.size() && threads_.size() < max_threads_;
  lock.unlock();
  if (need_thread) spawn_worker();
  wake_.notify_one();
}

// Workers start with every signal blocked, so signals go to threads that expect them and
// blocking calls in jobs are not interrupted.
void ThreadPool::spawn_worker() {
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  std::thread t([this] { worker_main(); });
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  std::lock_guard lock(mu_);
  threads_.push_back(std::move(t));
}

void ThreadPool::worker_main() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    --idle_;
    if (stopping_) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job.work.consume();
    inbox_.post(std::move(job.done), true);
    lock.lock();
  }
}

void ThreadPool::shutdown() {
  std::deque<Job> dropped;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    dropped.swap(jobs_);
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::thread& t : threads) t.join();
}

}  // namespace aio::rt
