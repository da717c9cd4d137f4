// A free list for one kind of small, frequently made object (coroutines, tasks): freed blocks are
// kept for reuse instead of going back to malloc. Only the thread holding the interpreter lock
// allocates script objects, so no locking is needed.
#pragma once
#include <cstddef>
#include <new>

namespace aio {

template <size_t Size>
class BlockPool {
 public:
  static void* take() {
    if (FreeBlock* b = free_) {
      free_ = b->next;
      --count_;
      return b;
    }
    return ::operator new(Size);
  }
  static void give(void* p) {
    if (count_ >= kMaxKept) {
      ::operator delete(p);
      return;
    }
    auto* b = static_cast<FreeBlock*>(p);
    b->next = free_;
    free_ = b;
    ++count_;
  }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  static_assert(Size >= sizeof(FreeBlock));
  static constexpr size_t kMaxKept = 4096;  // enough for bursts, bounded memory when idle
  static inline FreeBlock* free_ = nullptr;
  static inline size_t count_ = 0;
};

// Derive T from Pooled<T> to make and free its objects through a BlockPool (anything of another
// size, such as a subclass, goes to malloc as usual).
template <class T>
struct Pooled {
  static void* operator new(size_t n) { return n == sizeof(T) ? BlockPool<sizeof(T)>::take() : ::operator new(n); }
  static void operator delete(void* p, size_t n) {
    if (n == sizeof(T)) BlockPool<sizeof(T)>::give(p);
    else ::operator delete(p);
  }
};

}  // namespace aio
