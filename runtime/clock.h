// Clock: the loop's notion of time, in seconds as a double (like asyncio's loop.time()).
// Real mode reads CLOCK_MONOTONIC. Virtual mode starts at the real reading and then moves only
// when the loop lets it: it jumps to the next timer when nothing else can happen, and while the
// loop blocks waiting for outside events (fds, thread-pool jobs, children) it advances by the
// real time spent waiting. Running a callback costs a fixed kVirtualCallbackSeconds rather
// than the real time it took: a program's logical timeline does not depend on how fast the
// machine is, yet events keep their causal order (a timer set after another one, for the same
// delay, is due after it, as in real time, instead of tying by floating-point rounding).
#pragma once

namespace aio::rt {

enum class ClockMode { Real, Virtual };

constexpr double kVirtualCallbackSeconds = 1e-6;  // what a callback costs on a virtual clock

// Seconds all virtual clocks have jumped over so far (0 when none is virtual): time.time() and
// time.monotonic() add it, so a script's own timing agrees with loop.time().
double virtual_seconds_skipped();

class Clock {
 public:
  explicit Clock(ClockMode mode);

  static double monotonic();  // CLOCK_MONOTONIC in seconds

  bool is_virtual() const { return mode_ == ClockMode::Virtual; }
  double now() const { return is_virtual() ? virtual_now_ : monotonic(); }

  // Virtual mode: moves time forward to t (never backward). No effect in real mode.
  void jump_to(double t);

  // Virtual mode: one callback has run.
  void tick() {
    if (is_virtual()) virtual_now_ += kVirtualCallbackSeconds;
  }

  // Bracket a blocking wait; in virtual mode the real time it took is added.
  void begin_wait();
  void end_wait();

 private:
  ClockMode mode_;
  double virtual_now_;
  double wait_started_ = 0;
};

}  // namespace aio::rt
