// Built with LOCKGRAPH_INSTRUMENT=0 and without the runtime library: the
// lockgraph:: types must be the std ones, and the name macro must vanish.
#include <lockgraph/mutex.h>

#include <gtest/gtest.h>

#include <type_traits>

static_assert(LOCKGRAPH_INSTRUMENT == 0);
static_assert(std::is_same_v<lockgraph::mutex, std::mutex>);
static_assert(std::is_same_v<lockgraph::timed_mutex, std::timed_mutex>);
static_assert(std::is_same_v<lockgraph::recursive_mutex, std::recursive_mutex>);
static_assert(std::is_same_v<lockgraph::recursive_timed_mutex, std::recursive_timed_mutex>);
static_assert(std::is_same_v<lockgraph::shared_mutex, std::shared_mutex>);
static_assert(std::is_same_v<lockgraph::shared_timed_mutex, std::shared_timed_mutex>);
static_assert(std::is_same_v<lockgraph::condition_variable, std::condition_variable>);

namespace {

lockgraph::mutex named LOCKGRAPH_MUTEX_NAME("Account::mu");

TEST(InstrumentationOff, TypesAreTheStdOnesAndStillLock) {
  std::unique_lock<lockgraph::mutex> lock(named);
  lockgraph::condition_variable cv;
  EXPECT_FALSE(cv.wait_for(lock, std::chrono::milliseconds(1), [] { return false; }));
  EXPECT_TRUE(lock.owns_lock());
}

} // namespace
