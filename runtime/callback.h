// Callback: a small move-only callable the loop can queue by the million.
// A callable of at most two words (one for a TimerCallback, so that timer slots stay small) that
// is trivially relocatable is stored inline (no allocation); anything else is boxed on the heap. Because both forms move by copying bytes, the ready queue
// and the timer slots can hold callbacks as plain records.
#pragma once
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace aio::rt {

// True when moving an F by copying its bytes (and not destroying the source) is correct.
// Specialize it for a type that owns a resource but has no self-pointers, such as a
// reference-counted handle, so it is stored inline:
//   template <> inline constexpr bool aio::rt::trivially_relocatable<MyStep> = true;
template <class F>
inline constexpr bool trivially_relocatable = std::is_trivially_copyable_v<F>;

template <size_t Words, class... Args>
class BasicCallback {
  static constexpr size_t kInlineBytes = Words * sizeof(void*);

  struct Ops {
    void (*call)(void* self, Args... args);       // run and keep the callable
    void (*call_once)(void* self, Args... args);  // run, then destroy the callable
    void (*destroy)(void* self);                  // null when destroying is a no-op
  };

  template <class F>
  static constexpr bool fits_inline = sizeof(F) <= kInlineBytes &&
                                      alignof(F) <= alignof(void*) && trivially_relocatable<F>;

  template <class F>
  struct Inline {
    static F& get(void* s) { return *std::launder(static_cast<F*>(s)); }
    static void call(void* s, Args... a) { get(s)(a...); }
    static void call_once(void* s, Args... a) {
      get(s)(a...);
      get(s).~F();
    }
    static void destroy(void* s) { get(s).~F(); }
    static constexpr bool trivial = std::is_trivially_destructible_v<F>;
    static constexpr Ops ops{call, trivial ? call : call_once, trivial ? nullptr : destroy};
  };

  template <class F>
  struct Boxed {
    static F*& get(void* s) { return *std::launder(static_cast<F**>(s)); }
    static void call(void* s, Args... a) { (*get(s))(a...); }
    static void call_once(void* s, Args... a) {
      F* f = get(s);
      (*f)(a...);
      delete f;
    }
    static void destroy(void* s) { delete get(s); }
    static constexpr Ops ops{call, call_once, destroy};
  };

 public:
  BasicCallback() = default;

  template <class F, class D = std::decay_t<F>>
    requires(!std::is_same_v<D, BasicCallback> && std::is_invocable_v<D&, Args...>)
  BasicCallback(F&& f) {  // NOLINT: implicit so call sites can pass lambdas directly
    if constexpr (fits_inline<D>) {
      ::new (static_cast<void*>(storage_)) D(std::forward<F>(f));
      ops_ = &Inline<D>::ops;
    } else {
      ::new (static_cast<void*>(storage_)) D*(new D(std::forward<F>(f)));
      ops_ = &Boxed<D>::ops;
    }
  }

  BasicCallback(BasicCallback&& o) noexcept : ops_(o.ops_) {
    std::memcpy(storage_, o.storage_, kInlineBytes);
    o.ops_ = nullptr;
  }
  BasicCallback& operator=(BasicCallback&& o) noexcept {
    if (this != &o) {
      reset();
      ops_ = o.ops_;
      std::memcpy(storage_, o.storage_, kInlineBytes);
      o.ops_ = nullptr;
    }
    return *this;
  }
  BasicCallback(const BasicCallback&) = delete;
  BasicCallback& operator=(const BasicCallback&) = delete;
  ~BasicCallback() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }

  // Runs the callable and keeps it (for watchers that fire many times).
  void operator()(Args... a) { ops_->call(storage_, a...); }

  // Runs the callable once and leaves this callback empty: one indirect call in all.
  void consume(Args... a) {
    const Ops* ops = ops_;
    ops_ = nullptr;
    ops->call_once(storage_, a...);
  }

  void reset() {
    if (ops_ && ops_->destroy) ops_->destroy(storage_);
    ops_ = nullptr;
  }

 private:
  const Ops* ops_ = nullptr;
  alignas(void*) unsigned char storage_[kInlineBytes] = {};
};

using Callback = BasicCallback<2>;
using TimerCallback = BasicCallback<1>;
using ChildCallback = BasicCallback<2, int>;  // receives the waitpid status of the child

}  // namespace aio::rt
