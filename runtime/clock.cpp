#include "runtime/clock.h"

#include <time.h>

namespace aio::rt {

namespace {
constexpr double kNanosPerSecond = 1e9;
}

Clock::Clock(ClockMode mode) : mode_(mode), virtual_now_(monotonic()) {}

double Clock::monotonic() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / kNanosPerSecond;
}

void Clock::jump_to(double t) {
  if (is_virtual() && t > virtual_now_) virtual_now_ = t;
}

void Clock::begin_wait() {
  if (is_virtual()) wait_started_ = monotonic();
}

void Clock::end_wait() {
  if (is_virtual()) virtual_now_ += monotonic() - wait_started_;
}

}  // namespace aio::rt
