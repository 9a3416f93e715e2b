// The steady state: once a chain of lock classes is validated, lock and
// unlock take the fast paths of detector.h, which neither scan the held
// stack nor check its capacity. Everything the general path finds must
// still be found after the chains involved were cached.
#include "report_capture.h"

#include "detector.h"
#include "options.h"
#include "thread_state.h"

#include <lockgraph/mutex.h>

#include <memory>
#include <string>
#include <vector>

namespace lockgraph::rt::testing {
namespace {

using FastPath = ReportCapture;

class FastPathDeathTest : public ReportCapture {
protected:
  void SetUp() override {
    ReportCapture::SetUp();
    GTEST_FLAG_SET(death_test_style, "threadsafe");
  }
};

void relockAfterCachingTheChain() {
  options().exitCode = 66;
  options().haltOnError = true;
  lockgraph::mutex a{"fast.relock.A"};
  lockgraph::mutex b{"fast.relock.B"};
  for (int i = 0; i < 3; ++i)
    lockPair(a, b); // A then B: validated, then cached
  a.lock();
  b.lock();
  b.lock();
}

TEST_F(FastPathDeathTest, RelockIsReportedAfterTheChainBeforeItWasCached) {
  EXPECT_EXIT(relockAfterCachingTheChain(), ::testing::ExitedWithCode(66), "lockgraph: recursive-lock");
}

TEST_F(FastPath, OppositeNestingOfOneClassIsReportedAfterTheOrderWasCached) {
  lockgraph::mutex a{"fast.Account::mu"}, b{"fast.Account::mu"};
  for (int i = 0; i < 3; ++i)
    lockPair(a, b);
  EXPECT_TRUE(all().empty());
  lockPair(b, a);
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(FastPath, SameClassHoldReleasedBelowTheTopLeavesAnExactChain) {
  lockgraph::mutex a{"fast.ooo.Item"}, b{"fast.ooo.Item"}, c{"fast.ooo.C"};
  ThreadState* t = currentThread();
  for (int i = 0; i < 3; ++i) {
    a.lock();
    b.lock(); // same class as A: a hold with its own chain part
    a.unlock();
    ASSERT_EQ(t->depth.load(), 1u);
    EXPECT_EQ(t->held[0].chainKey, partOf(t->held[0])) << "B alone, as if A had never been held";
    c.lock();
    c.unlock();
    b.unlock();
  }
  EXPECT_EQ(t->depth.load(), 0u);
  EXPECT_TRUE(all().empty());
}

TEST_F(FastPath, CachedChainsDeeperThanTheInitialStackStayInBounds) {
  constexpr int kLocks = 200; // more than the 64 entries a thread starts with
  std::vector<std::unique_ptr<lockgraph::mutex>> locks;
  for (int i = 0; i < kLocks; ++i)
    locks.push_back(std::make_unique<lockgraph::mutex>(("fast.deep." + std::to_string(i)).c_str()));
  onThread([&] {
    for (int round = 0; round < 3; ++round) { // rounds 2 and 3 run on cached chains
      for (auto& m : locks)
        m->lock();
      EXPECT_EQ(currentThread()->depth.load(), static_cast<std::uint32_t>(kLocks));
      EXPECT_GE(currentThread()->capacity, static_cast<std::uint32_t>(kLocks));
      for (int i = kLocks; i-- > 0;)
        locks[i]->unlock();
    }
  });
  EXPECT_TRUE(all().empty());
  lockPair(*locks[kLocks - 1], *locks[kLocks / 2]);
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(FastPath, UnlockOfAnUnheldMutexOnAnEmptyStackIsStillABadUnlock) {
  lockgraph::mutex m{"fast.empty"};
  m.lock();
  m.unlock(); // fast release
  m.unlock(); // the sentinel below the empty stack sends it to the general path
  EXPECT_EQ(reportsOf(ReportKind::badUnlock).size(), 1u);
}

} // namespace
} // namespace lockgraph::rt::testing
