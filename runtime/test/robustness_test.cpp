// The runtime must not disturb the program: thread exit while holding,
// hundreds of held locks, mutex churn and address reuse, fork.
#include "report_capture.h"

#include "detector.h"
#include "options.h"
#include "thread_state.h"

#include <lockgraph/hooks.h>
#include <lockgraph/mutex.h>

#include <atomic>
#include <memory>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace lockgraph::rt::testing {
namespace {

using Robustness = ReportCapture;
using detail::AccessMode;

TEST_F(Robustness, ThreadExitingWhileHoldingLeavesNoPhantomEdges) {
  detail::LockState a, b;
  detail::register_lock(a, LockKind::plain, "exit.A", std::source_location::current());
  detail::register_lock(b, LockKind::plain, "exit.B", std::source_location::current());
  onThread([&] { detail::acquired(a, AccessMode::exclusive, false); }); // exits holding A
  for (int i = 0; i < 4; ++i) // new threads reuse the dead thread's slot
    onThread([&] {
      detail::acquired(b, AccessMode::exclusive, false);
      detail::released(b, AccessMode::exclusive);
    });
  onThread([&] {
    detail::acquired(b, AccessMode::exclusive, false);
    detail::acquired(a, AccessMode::exclusive, false);
    detail::released(a, AccessMode::exclusive);
    detail::released(b, AccessMode::exclusive);
  });
  EXPECT_FALSE(hasOrderEdge(a, b));
  EXPECT_TRUE(hasOrderEdge(b, a));
  EXPECT_TRUE(all().empty());
}

TEST_F(Robustness, HundredsOfLocksHeldAtOnce) {
  constexpr int kLocks = 600;
  std::vector<std::unique_ptr<lockgraph::mutex>> locks;
  for (int i = 0; i < kLocks; ++i)
    locks.push_back(std::make_unique<lockgraph::mutex>(("many." + std::to_string(i)).c_str()));
  for (int round = 0; round < 2; ++round) {
    for (auto& m : locks)
      m->lock();
    for (int i = kLocks; i-- > 0;)
      locks[i]->unlock();
  }
  EXPECT_TRUE(all().empty());
  lockPair(*locks[kLocks - 1], *locks[0]);
  auto reports = reportsOf(ReportKind::lockOrderInversion);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].edgeCount, 2u) << "the shortest cycle is reported";
}

TEST_F(Robustness, ReleasingOutOfOrderKeepsLaterOrderingsExact) {
  detail::LockState a, b, c;
  detail::register_lock(a, LockKind::plain, "ooo.A", std::source_location::current());
  detail::register_lock(b, LockKind::plain, "ooo.B", std::source_location::current());
  detail::register_lock(c, LockKind::plain, "ooo.C", std::source_location::current());
  auto lock = [](detail::LockState& s) { detail::acquired(s, AccessMode::exclusive, false); };
  auto unlock = [](detail::LockState& s) { detail::released(s, AccessMode::exclusive); };
  lock(a);
  lock(b);
  unlock(a); // only B is held now
  lock(c);
  EXPECT_TRUE(hasOrderEdge(b, c));
  EXPECT_FALSE(hasOrderEdge(a, c)) << "A was released before C was taken";
  unlock(c);
  unlock(b);
  lock(a); // a chain A, C was never validated: must not hit a stale cache entry
  lock(c);
  EXPECT_TRUE(hasOrderEdge(a, c));
  unlock(c);
  unlock(a);
  EXPECT_TRUE(all().empty());
}

TEST_F(Robustness, MutexChurnWithAddressReuseMakesNoPhantomCycles) {
  const std::uint32_t edgesBefore = orderEdgeCount();
  for (int i = 0; i < 3000; ++i) {
    // Freed and reallocated in swapped order: the second pair sits where
    // the first was, reversed. Only the instances differ, never the order.
    auto x = std::make_unique<lockgraph::mutex>("churn.M");
    auto y = std::make_unique<lockgraph::mutex>("churn.M");
    lockPair(*x, *y);
  }
  EXPECT_TRUE(all().empty());
  EXPECT_LE(orderEdgeCount(), edgesBefore + 1) << "dropped instances take their edges along";
}

TEST_F(Robustness, ForkedChildKeepsTheForkingThreadsLocks) {
  lockgraph::mutex a{"fork.A"}, b{"fork.B"};
  lockPair(a, b);
  a.lock();
  pid_t pid = fork();
  if (pid == 0) {
    std::uint32_t before = reportCount();
    a.unlock(); // held by this thread in the child too: not a bad unlock
    lockPair(b, a); // closes the cycle recorded before the fork
    _exit(static_cast<int>(reportCount() - before));
  }
  a.unlock();
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << "exactly the inversion, no bad-unlock";
  EXPECT_TRUE(all().empty()) << "the parent saw nothing";
}

TEST_F(Robustness, ForkWhileOtherThreadsUpdateTheGraphDoesNotHangTheChild) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> busy;
  for (int t = 0; t < 2; ++t)
    busy.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        lockgraph::mutex x{("fork-busy." + std::to_string(t) + "." + std::to_string(i)).c_str()};
        lockgraph::mutex y{("fork-busy.y." + std::to_string(t) + "." + std::to_string(i)).c_str()};
        lockPair(x, y); // a new chain every time: the slow path
      }
    });
  for (int i = 0; i < 20; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      lockgraph::mutex p{("fork-child.P" + std::to_string(i)).c_str()};
      lockgraph::mutex q{("fork-child.Q" + std::to_string(i)).c_str()};
      lockPair(p, q);
      _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  stop = true;
  for (auto& t : busy)
    t.join();
  EXPECT_TRUE(all().empty());
}

} // namespace
} // namespace lockgraph::rt::testing
