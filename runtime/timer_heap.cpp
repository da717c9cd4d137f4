#include "runtime/timer_heap.h"

#include <algorithm>
#include <utility>

namespace aio::rt {

namespace {

// Below this many stale records a rebuild is not worth it (asyncio's _MIN_SCHEDULED_TIMER_HANDLES).
constexpr size_t kMinStaleToCompact = 100;

// std::*_heap build max-heaps; "later" puts the earliest (deadline, seq) on top. Sequence
// numbers wrap: the difference orders any two added less than 2^31 timers apart.
struct Later {
  template <class E>
  bool operator()(const E& a, const E& b) const {
    return a.when != b.when ? a.when > b.when : static_cast<int32_t>(a.seq - b.seq) > 0;
  }
};

}  // namespace

TimerId TimerHeap::add(double when, TimerCallback cb) {
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& s = slots_[slot];
  if (++s.gen == 0) s.gen = 1;  // 0 never names a timer
  s.live = true;
  s.in_heap = true;
  s.cb = std::move(cb);
  heap_.push_back(Entry{when, next_seq_++, slot});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  ++live_;
  return TimerId{slot, s.gen};
}

// Ends a live timer. Returns its callback rather than destroying it in place: its destructor
// may add or cancel timers, which must not happen while slots_ is mid-update.
TimerCallback TimerHeap::end(uint32_t slot) {
  Slot& s = slots_[slot];
  s.live = false;
  --live_;
  if (s.in_heap) ++stale_;  // reused once its record leaves the heap
  else free_slots_.push_back(slot);
  return std::move(s.cb);
}

// A stale record has left the heap: its slot may be reused.
void TimerHeap::release(uint32_t slot) {
  slots_[slot].in_heap = false;
  free_slots_.push_back(slot);
}

bool TimerHeap::cancel(TimerId id) {
  if (!holds(id)) return false;
  TimerCallback dead = end(id.slot);
  if (stale_ > kMinStaleToCompact && stale_ * 2 > heap_.size()) compact();
  return true;
}

void TimerHeap::compact() {
  std::erase_if(heap_, [this](const Entry& e) {
    if (!is_stale(e)) return false;
    release(e.slot);
    return true;
  });
  std::make_heap(heap_.begin(), heap_.end(), Later{});
  stale_ = 0;
}

void TimerHeap::drop_stale_top() {
  while (!heap_.empty() && is_stale(heap_.front())) {
    release(heap_.front().slot);
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
    --stale_;
  }
}

std::optional<double> TimerHeap::next_deadline() {
  drop_stale_top();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().when;
}

std::optional<TimerId> TimerHeap::pop_due(double now) {
  drop_stale_top();
  if (heap_.empty() || heap_.front().when > now) return std::nullopt;
  uint32_t slot = heap_.front().slot;
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  heap_.pop_back();
  slots_[slot].in_heap = false;
  return TimerId{slot, slots_[slot].gen};
}

TimerCallback TimerHeap::take(TimerId id) {
  if (!holds(id)) return {};
  return end(id.slot);
}

void TimerHeap::clear() {
  heap_.clear();
  slots_.clear();
  free_slots_.clear();
  stale_ = 0;
  live_ = 0;
}

}  // namespace aio::rt
