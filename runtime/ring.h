// Ring: a growable FIFO whose elements keep a sequence number for life, so an element still
// queued can be found (and cancelled) in O(1) without a side table. It shrinks again as it
// drains, so a burst (100k tasks made at once) does not keep its memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace aio::rt {

template <class T>
class Ring {
  static constexpr uint64_t kMinCapacity = 64;
  static constexpr uint64_t kShrinkBelow = 4;     // halve when less than a quarter full...
  static constexpr uint64_t kShrinkFloor = 4096;  // ...but keep this much: no churn per iteration

 public:
  Ring() = default;
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  ~Ring() {
    clear();
    ::operator delete(buf_);
  }

  bool empty() const { return head_ == tail_; }
  size_t size() const { return static_cast<size_t>(tail_ - head_); }

  // Appends v and returns its sequence number.
  uint64_t push(T&& v) {
    if (tail_ - head_ == capacity_) resize(capacity_ ? capacity_ * 2 : kMinCapacity);
    ::new (static_cast<void*>(slot(tail_))) T(std::move(v));
    return tail_++;
  }

  // Removes and returns the front element; the ring must not be empty.
  T pop() {
    T* p = slot(head_++);
    T v = std::move(*p);
    p->~T();
    if (capacity_ > kShrinkFloor && size() < capacity_ / kShrinkBelow) resize(capacity_ / 2);
    return v;
  }

  // The element with sequence number seq, or null once it has been popped.
  T* find(uint64_t seq) { return seq >= head_ && seq < tail_ ? slot(seq) : nullptr; }

  void clear() {
    while (!empty()) pop();
  }

 private:
  T* slot(uint64_t seq) { return buf_ + (seq & (capacity_ - 1)); }

  // Each element lands at its sequence number modulo the new capacity (a power of two).
  void resize(uint64_t cap) {
    T* nb = static_cast<T*>(::operator new(cap * sizeof(T)));
    for (uint64_t s = head_; s != tail_; ++s) {
      T* p = slot(s);
      ::new (static_cast<void*>(nb + (s & (cap - 1)))) T(std::move(*p));
      p->~T();
    }
    ::operator delete(buf_);
    buf_ = nb;
    capacity_ = cap;
  }

  T* buf_ = nullptr;
  uint64_t capacity_ = 0;  // always zero or a power of two
  uint64_t head_ = 0;      // sequence number of the front element
  uint64_t tail_ = 0;      // sequence number the next push gets
};

}  // namespace aio::rt
