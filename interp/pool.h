// Free lists for small, frequently made objects (coroutines, tasks, frames): blocks are carved
// from large slabs, so they pay no malloc header or rounding, and freed blocks are kept for
// reuse by objects of the same size (a slab is never returned to malloc). Only the thread
// holding the interpreter lock allocates script objects, so no locking is needed.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <new>

namespace aio {

// Bump allocation from slabs. Under AddressSanitizer every block is its own malloc, so
// use-after-free and overflows stay visible.
class Slab {
 public:
  static constexpr size_t kAlign = alignof(void*);  // what pooled objects need (checked by Pooled)

  void* carve(size_t n) {
    n = (n + kAlign - 1) & ~(kAlign - 1);
#if defined(__SANITIZE_ADDRESS__)
    return ::operator new(n);
#else
    if (left_ < n) {
      next_ = static_cast<char*>(::operator new(kSlabBytes));
      left_ = kSlabBytes;
    }
    void* p = next_;
    next_ += n;
    left_ -= n;
    return p;
#endif
  }

 private:
  static constexpr size_t kSlabBytes = 64 * 1024;  // few mallocs, little waste at the slab's end
  char* next_ = nullptr;
  size_t left_ = 0;
};

// A free list of blocks of one size, linked through their first word.
class FreeList {
 public:
  void* take() {
    FreeBlock* b = head_;
    if (b) head_ = b->next;
    return b;
  }
  void give(void* p) {
    auto* b = static_cast<FreeBlock*>(p);
    b->next = head_;
    head_ = b;
  }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  FreeBlock* head_ = nullptr;
};

template <size_t Size>
class BlockPool {
 public:
  static void* take() {
    if (void* p = free_.take()) return p;
    return slab_.carve(Size);
  }
  static void give(void* p) { free_.give(p); }

 private:
  static_assert(Size >= sizeof(void*));
  static inline FreeList free_;
  static inline Slab slab_;
};

// Derive T from Pooled<T> to make and free its objects through a BlockPool (anything of another
// size, such as a subclass, goes to malloc as usual).
template <class T>
struct Pooled {
  static void* operator new(size_t n) {
    static_assert(alignof(T) <= Slab::kAlign);
    return n == sizeof(T) ? BlockPool<sizeof(T)>::take() : ::operator new(n);
  }
  static void operator delete(void* p, size_t n) {
    if (n == sizeof(T)) BlockPool<sizeof(T)>::give(p);
    else ::operator delete(p);
  }
};

}  // namespace aio
