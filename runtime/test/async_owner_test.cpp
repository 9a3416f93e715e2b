// Async mutexes through the async hooks: held by an owner token (a task),
// not by the thread that runs it.
#include "report_capture.h"

#include "detector.h"

#include <lockgraph/hooks.h>

#include <source_location>

namespace lockgraph::rt::testing {
namespace {

using AsyncOwners = ReportCapture;
using detail::AccessMode;

// An async mutex as a coroutine library would instrument it.
struct AsyncLock {
  explicit AsyncLock(const char* name) {
    detail::register_lock(state, detail::LockKind::plain, name, std::source_location::current());
  }
  ~AsyncLock() { detail::unregister_lock(state, false); }
  void acquiredBy(const void* owner) { detail::async_acquired(state, owner, AccessMode::exclusive, false); }
  void releasedBy(const void* owner) { detail::async_released(state, owner, AccessMode::exclusive); }
  detail::LockState state;
};

int taskA, taskB; // owner tokens

TEST_F(AsyncOwners, InversionBetweenTwoTasksOnOneThreadIsReported) {
  AsyncLock a{"async.inv.A"}, b{"async.inv.B"};
  a.acquiredBy(&taskA);
  b.acquiredBy(&taskA);
  b.releasedBy(&taskA);
  a.releasedBy(&taskA);
  b.acquiredBy(&taskB);
  a.acquiredBy(&taskB);
  a.releasedBy(&taskB);
  b.releasedBy(&taskB);
  ASSERT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
  EXPECT_EQ(all().size(), 1u);
}

TEST_F(AsyncOwners, OneOrderInTwoTasksIsSilent) {
  AsyncLock a{"async.same.A"}, b{"async.same.B"};
  for (const void* task : {static_cast<const void*>(&taskA), static_cast<const void*>(&taskB)}) {
    a.acquiredBy(task);
    b.acquiredBy(task);
    b.releasedBy(task);
    a.releasedBy(task);
  }
  EXPECT_TRUE(hasOrderEdge(a.state, b.state));
  EXPECT_TRUE(all().empty());
}

// One thread runs task A (holding a) and then task B, which takes b: the
// thread held both, the tasks never did, so there is no order a -> b.
TEST_F(AsyncOwners, TasksInterleavedOnOneThreadMakeNoOrder) {
  AsyncLock a{"async.interleaved.A"}, b{"async.interleaved.B"};
  a.acquiredBy(&taskA);
  b.acquiredBy(&taskB);
  a.releasedBy(&taskA);
  b.releasedBy(&taskB);
  EXPECT_FALSE(hasOrderEdge(a.state, b.state));
  b.acquiredBy(&taskB);
  a.acquiredBy(&taskB); // b -> a: no cycle, since a -> b was never made
  a.releasedBy(&taskB);
  b.releasedBy(&taskB);
  EXPECT_TRUE(all().empty());
}

// A task that suspended holding the lock and resumed on another thread
// releases it there: its lock, no bad-unlock, and free to take it again.
TEST_F(AsyncOwners, ReleaseAfterTheTaskMovedThreadsIsNoBadUnlock) {
  AsyncLock a{"async.moved.A"};
  a.acquiredBy(&taskA);
  onThread([&] { a.releasedBy(&taskA); });
  a.acquiredBy(&taskA);
  a.releasedBy(&taskA);
  EXPECT_TRUE(all().empty());
}

TEST_F(AsyncOwners, ReleaseByAnotherTaskIsABadUnlock) {
  AsyncLock a{"async.other.A"};
  a.acquiredBy(&taskA);
  onThread([&] { a.releasedBy(&taskB); });
  auto bad = reportsOf(ReportKind::badUnlock);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(reportsOf(ReportKind::lockAcrossAwait).empty());
  // The release happened: task A no longer holds it.
  a.acquiredBy(&taskA);
  a.releasedBy(&taskA);
  EXPECT_EQ(all().size(), 1u);
}

// Thread locks and async locks are ordered apart: a lock held by the
// thread adds no order to the task's async lock.
TEST_F(AsyncOwners, ThreadLocksAndAsyncLocksAreOrderedApart) {
  AsyncLock a{"async.apart.A"}, threadLock{"async.apart.M"};
  detail::acquired(threadLock.state, AccessMode::exclusive, false); // the thread hooks
  a.acquiredBy(&taskA);
  detail::released(threadLock.state, AccessMode::exclusive);
  a.releasedBy(&taskA);
  EXPECT_FALSE(hasOrderEdge(threadLock.state, a.state));
  EXPECT_TRUE(all().empty());
}

} // namespace
} // namespace lockgraph::rt::testing
