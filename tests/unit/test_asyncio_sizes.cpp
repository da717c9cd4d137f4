// What a task blocked in `await asyncio.sleep()` costs, structure by structure. The bounds catch
// regressions; the printed table shows where bytes go. Tasks, coroutines and small frames are
// carved from slabs (interp/pool.h), so these are their whole costs: no malloc header.
#include <catch2/catch.hpp>
#include <cstdio>

#include "interp/generator.h"
#include "runtime/loop.h"
#include "stdlib/asyncio.h"

using namespace aio;

namespace {

constexpr size_t kFutureBytes = 64;    // header 24, loop 8, result 16, callbacks 8, flags
constexpr size_t kTaskBytes = 88;      // + number, coro, waiter/timer, extra (all_tasks index in the header)
constexpr size_t kSleepBytes = 40;     // header 24, delay 8, boxed result 8 (shared by equal sleeps)
constexpr size_t kTimerBytes = 40;     // heap record 16 + slot 24 (one-word callback 16, generation, flags)
constexpr size_t kReadyBytes = 24;     // one ready-queue entry (a Callback)
constexpr size_t kCoroutineBytes = 40; // header 24 (flags in its spare word), frame 8, function 8
constexpr size_t kFrameBytes = 48;     // code, func 16, pc/flags 8, extras 8, first slot 16 (an await's delegate waits in its slot)

}  // namespace

TEST_CASE("per-task asyncio structures stay within their sizes", "[test_asyncio_sizes]") {
  printf("asyncio sizes: Future %zu, Task %zu, sleep %zu, timer %zu, ready entry %zu, TaskExtra %zu, "
         "coroutine %zu, frame %zu\n",
         sizeof(FutureObj), sizeof(TaskObj), sizeof(SleepObj), rt::TimerHeap::kBytesPerTimer,
         sizeof(rt::Callback), sizeof(TaskExtra), sizeof(GenObj), sizeof(Frame));
  CHECK(sizeof(FutureObj) <= kFutureBytes);
  CHECK(sizeof(TaskObj) <= kTaskBytes);
  CHECK(sizeof(SleepObj) <= kSleepBytes);
  CHECK(rt::TimerHeap::kBytesPerTimer <= kTimerBytes);
  CHECK(sizeof(rt::Callback) <= kReadyBytes);
  CHECK(sizeof(GenObj) <= kCoroutineBytes);
  CHECK(sizeof(Frame) <= kFrameBytes);
}
