// Every lockgraph:: type works with the std lock wrappers, and the timed
// acquisitions behave like try_lock: they can give up, so they add no edge.
#include "report_capture.h"

#include <lockgraph/mutex.h>

#include <chrono>
#include <mutex>
#include <shared_mutex>

namespace lockgraph::rt::testing {
namespace {

using Api = ReportCapture;
using namespace std::chrono_literals;

template <class M> void lockPair(M& first, M& second) {
  std::lock_guard<M> a(first);
  std::lock_guard<M> b(second);
}

TEST_F(Api, TimedMutexLocksAndTimesOut) {
  lockgraph::timed_mutex m{"api.timed"};
  std::unique_lock<lockgraph::timed_mutex> lock(m, 10ms);
  ASSERT_TRUE(lock.owns_lock());
  onThread([&] { EXPECT_FALSE(m.try_lock_for(1ms)); });
  lock.unlock();
  EXPECT_TRUE(m.try_lock_until(std::chrono::steady_clock::now() + 10ms));
  m.unlock();
  EXPECT_TRUE(all().empty());
}

TEST_F(Api, TimedAcquisitionsAddNoEdge) {
  lockgraph::timed_mutex a{"api.timed.A"}, b{"api.timed.B"};
  lockPair(a, b);
  onThread([&] {
    std::lock_guard<lockgraph::timed_mutex> hold(b);
    ASSERT_TRUE(a.try_lock_for(10ms));
    a.unlock();
  });
  EXPECT_TRUE(all().empty());
  onThread([&] { lockPair(b, a); });
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u) << "a blocking lock does add it";
}

TEST_F(Api, RecursiveTimedMutexReenters) {
  lockgraph::recursive_timed_mutex m{"api.recursive-timed"};
  std::lock_guard<lockgraph::recursive_timed_mutex> outer(m);
  ASSERT_TRUE(m.try_lock_for(1ms));
  m.unlock();
  EXPECT_TRUE(all().empty());
}

TEST_F(Api, SharedTimedMutexReadersAndWriters) {
  lockgraph::shared_timed_mutex a{"api.shared-timed.A"}, b{"api.shared-timed.B"};
  onThread([&] {
    std::unique_lock<lockgraph::shared_timed_mutex> w(a);
    std::shared_lock<lockgraph::shared_timed_mutex> r(b);
  });
  onThread([&] {
    std::shared_lock<lockgraph::shared_timed_mutex> r(b, 10ms);
    ASSERT_TRUE(r.owns_lock());
    EXPECT_TRUE(a.try_lock_shared_for(10ms));
    a.unlock_shared();
  });
  EXPECT_TRUE(all().empty());
  onThread([&] {
    std::unique_lock<lockgraph::shared_timed_mutex> w(b);
    std::unique_lock<lockgraph::shared_timed_mutex> w2(a);
  });
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Api, StdLockAndUniqueLockDeferWork) {
  lockgraph::mutex a{"api.std-lock.A"};
  lockgraph::recursive_mutex b{"api.std-lock.B"};
  std::unique_lock<lockgraph::mutex> la(a, std::defer_lock);
  std::unique_lock<lockgraph::recursive_mutex> lb(b, std::defer_lock);
  std::lock(la, lb);
  EXPECT_TRUE(la.owns_lock() && lb.owns_lock());
  EXPECT_TRUE(all().empty());
}

} // namespace
} // namespace lockgraph::rt::testing
