#include "runtime/clock.h"

#include <time.h>

#include <atomic>

namespace aio::rt {

namespace {
constexpr double kNanosPerSecond = 1e9;
std::atomic<double> skipped{0};  // read by script threads, written by loops
}  // namespace

double virtual_seconds_skipped() { return skipped.load(std::memory_order_relaxed); }

Clock::Clock(ClockMode mode) : mode_(mode), virtual_now_(monotonic()) {}

double Clock::monotonic() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / kNanosPerSecond;
}

void Clock::jump_to(double t) {
  if (!is_virtual() || t <= virtual_now_) return;
  skipped.fetch_add(t - virtual_now_, std::memory_order_relaxed);
  virtual_now_ = t;
}

void Clock::begin_wait() {
  if (is_virtual()) wait_started_ = monotonic();
}

void Clock::end_wait() {
  if (is_virtual()) virtual_now_ += monotonic() - wait_started_;
}

}  // namespace aio::rt
