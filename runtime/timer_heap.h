// TimerHeap: timers ordered by (deadline, sequence number), so equal deadlines fire FIFO.
// The heap holds 16-byte records (deadline, sequence, slot); callbacks live in reusable slots.
// Cancelling drops the callback at once and leaves the heap record stale, to be skipped when it
// surfaces (lazy deletion); its slot is reused only then. When stale records dominate, the heap
// is rebuilt without them, as asyncio does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/callback.h"

namespace aio::rt {

struct TimerId {
  uint32_t slot;
  uint32_t gen;  // bumped each time the slot is reused, so an old id cannot touch a new timer
};

class TimerHeap {
 public:
  TimerId add(double when, TimerCallback cb);

  // Stops a timer that has not run yet; false when it already ran or was cancelled.
  bool cancel(TimerId id);

  // The earliest live deadline, if any.
  std::optional<double> next_deadline();

  // Removes the earliest live timer due at or before now from the heap. Its callback stays in
  // its slot (still cancellable) until take().
  std::optional<TimerId> pop_due(double now);

  // Takes the callback of a popped timer and frees its slot; empty if it was cancelled since.
  TimerCallback take(TimerId id);

  size_t live() const { return live_; }  // timers not yet run nor cancelled
  void clear();

 private:
  struct Entry {
    double when;
    uint32_t seq;  // breaks deadline ties in the order timers were added (compared modulo 2^32)
    uint32_t slot;
  };
  struct Slot {
    uint32_t gen = 0;
    bool live = false;     // added and neither run nor cancelled
    bool in_heap = false;  // its record is still in the heap (stale once cancelled)
    TimerCallback cb;
  };

  bool holds(TimerId id) const {
    return id.slot < slots_.size() && slots_[id.slot].live && slots_[id.slot].gen == id.gen;
  }
  bool is_stale(const Entry& e) const { return !slots_[e.slot].live; }
  TimerCallback end(uint32_t slot);
  void release(uint32_t slot);
  void drop_stale_top();
  void compact();

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  size_t stale_ = 0;  // heap records whose timer was cancelled
  size_t live_ = 0;
  uint32_t next_seq_ = 0;

 public:
  // Per live timer: its heap record and its slot (declared here, after the types it measures).
  static constexpr size_t kBytesPerTimer = sizeof(Entry) + sizeof(Slot);
};

}  // namespace aio::rt
