// ThreadPool: at most a fixed number of worker threads, started lazily as jobs need them
// (as concurrent.futures.ThreadPoolExecutor does). A job's work runs on a worker; its done
// callback is posted to the loop's Inbox and so runs on the loop thread.
#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/callback.h"
#include "runtime/inbox.h"

namespace aio::rt {

class ThreadPool {
 public:
  static unsigned default_size();  // min(32, CPUs + 4), asyncio's default executor size

  ThreadPool(Inbox& inbox, unsigned max_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Loop thread.
  void submit(Callback work, Callback done);

  // Drops jobs not yet started, waits for running ones, joins every worker.
  void shutdown();

 private:
  struct Job {
    Callback work;
    Callback done;
  };

  void spawn_worker();
  void worker_main();

  Inbox& inbox_;
  unsigned max_threads_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  std::vector<std::thread> threads_;
  unsigned idle_ = 0;
  bool stopping_ = false;
};

}  // namespace aio::rt
