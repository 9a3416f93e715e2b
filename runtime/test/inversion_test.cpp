// lock-order-inversion through lockgraph:: mutexes: the lockdep scenario
// family, the cases that must stay silent, and what a report contains.
#include "report_capture.h"

#include "detector.h"
#include "options.h"

#include <lockgraph/mutex.h>

#include <atomic>
#include <barrier>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace lockgraph::rt::testing {
namespace {

using Inversion = ReportCapture;

// A scenario is a sequence of "XY" pairs: lock X, then Y, then release both,
// each on its own thread. The last pair closes a cycle over all its locks.
struct Scenario {
  const char* name;
  std::vector<std::string> pairs;
  std::uint32_t cycleLength;
};

class LockdepScenario : public ReportCapture, public ::testing::WithParamInterface<Scenario> {};

TEST_P(LockdepScenario, ReportsOneInversionWhenTheLastPairClosesTheCycle) {
  const Scenario& s = GetParam();
  std::map<char, std::unique_ptr<lockgraph::mutex>> locks;
  for (const auto& pair : s.pairs)
    for (char c : pair)
      if (!locks.count(c))
        locks[c] = std::make_unique<lockgraph::mutex>(
            (std::string("scenario.") + s.name + "." + c).c_str());
  for (std::size_t i = 0; i < s.pairs.size(); ++i) {
    EXPECT_TRUE(reportsOf(ReportKind::lockOrderInversion).empty())
        << "reported before pair " << i << " of " << s.name;
    onThread([&] { lockPair(*locks[s.pairs[i][0]], *locks[s.pairs[i][1]]); });
  }
  auto reports = reportsOf(ReportKind::lockOrderInversion);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].edgeCount, s.cycleLength);
  EXPECT_EQ(reports[0].lockCount, s.cycleLength);
}

INSTANTIATE_TEST_SUITE_P(
    Lockdep, LockdepScenario,
    ::testing::Values(Scenario{"ABBA", {"AB", "BA"}, 2},
                      Scenario{"ABBCCA", {"AB", "BC", "CA"}, 3},
                      Scenario{"ABCABC", {"AB", "CA", "BC"}, 3},
                      Scenario{"ABBCCDDA", {"AB", "BC", "CD", "DA"}, 4},
                      Scenario{"ABCDBDDA", {"AB", "CD", "BD", "DA"}, 3},
                      Scenario{"ABCDBCDA", {"AB", "CD", "BC", "DA"}, 4}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(Inversion, WithinOneThreadIsStillReported) {
  lockgraph::mutex a{"one-thread.A"}, b{"one-thread.B"};
  lockPair(a, b);
  lockPair(b, a);
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Inversion, SameCycleIsReportedOnce) {
  lockgraph::mutex a{"once.A"}, b{"once.B"};
  for (int i = 0; i < 3; ++i) {
    onThread([&] { lockPair(a, b); });
    onThread([&] { lockPair(b, a); });
  }
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Inversion, ClassesCatchTheProblemOnOtherInstances) {
  // Two different account pairs: the classes, not the instances, conflict.
  struct Account {
    lockgraph::mutex mu{"class.Account::mu"};
  };
  struct Ledger {
    lockgraph::mutex mu{"class.Ledger::mu"};
  };
  Account a1, a2;
  Ledger l1, l2;
  onThread([&] { lockPair(a1.mu, l1.mu); });
  onThread([&] { lockPair(l2.mu, a2.mu); });
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Inversion, DeclarationSiteIsTheDefaultClass) {
  auto make = [] { return std::make_unique<lockgraph::mutex>(); }; // one site, one class
  auto x1 = make(), x2 = make();
  lockgraph::mutex other;
  onThread([&] { lockPair(*x1, other); });
  onThread([&] { lockPair(other, *x2); });
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Inversion, OppositeNestingOfTwoInstancesOfOneClassIsReported) {
  lockgraph::mutex a{"transfer.Account::mu"}, b{"transfer.Account::mu"};
  onThread([&] { lockPair(a, b); });
  EXPECT_TRUE(all().empty());
  onThread([&] { lockPair(b, a); });
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Inversion, ConsistentNestingOfInstancesOfOneClassIsSilent) {
  std::vector<std::unique_ptr<lockgraph::mutex>> accounts;
  for (int i = 0; i < 8; ++i)
    accounts.push_back(std::make_unique<lockgraph::mutex>("ordered.Account::mu"));
  for (int i = 0; i < 8; ++i)
    for (int j = i + 1; j < 8; ++j)
      onThread([&] { lockPair(*accounts[i], *accounts[j]); });
  EXPECT_TRUE(all().empty());
}

TEST_F(Inversion, ConsistentOrderUnderStressIsSilent) {
  lockgraph::mutex a{"stress.A"}, b{"stress.B"}, c{"stress.C"};
  std::vector<std::thread> threads;
  long counter = 0;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        std::scoped_lock<lockgraph::mutex> la(a);
        std::lock_guard<lockgraph::mutex> lb(b);
        if (i % 2) {
          std::lock_guard<lockgraph::mutex> lc(c);
          ++counter;
        }
      }
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(counter, 4 * 10000);
  EXPECT_TRUE(all().empty());
}

TEST_F(Inversion, TryLockAddsNoEdge) {
  lockgraph::mutex a{"try.A"}, b{"try.B"};
  lockPair(a, b);
  onThread([&] {
    std::lock_guard<lockgraph::mutex> hold(b);
    ASSERT_TRUE(a.try_lock());
    a.unlock();
  });
  EXPECT_TRUE(all().empty()) << "a B -> A edge would have closed A -> B";
}

TEST_F(Inversion, StdLockOfTwoMutexesAddsNoEdge) {
  lockgraph::mutex a{"stdlock.A"}, b{"stdlock.B"};
  onThread([&] { std::scoped_lock both(a, b); });
  onThread([&] { std::scoped_lock both(b, a); });
  EXPECT_TRUE(all().empty());
}

TEST_F(Inversion, LocksTakenAfterATryLockAreOrderedAfterIt) {
  lockgraph::mutex a{"after-try.A"}, b{"after-try.B"};
  onThread([&] {
    ASSERT_TRUE(a.try_lock());
    b.lock();
    b.unlock();
    a.unlock();
  });
  onThread([&] { lockPair(b, a); });
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Inversion, CycleUnderACommonGateLockIsSilent) {
  lockgraph::mutex gate{"gate.G"}, a{"gate.A"}, b{"gate.B"};
  onThread([&] {
    std::lock_guard<lockgraph::mutex> g(gate);
    lockPair(a, b);
  });
  onThread([&] {
    std::lock_guard<lockgraph::mutex> g(gate);
    lockPair(b, a);
  });
  EXPECT_TRUE(all().empty());
}

TEST_F(Inversion, GateThatIsNotHeldEveryTimeDoesNotSuppress) {
  lockgraph::mutex gate{"partial-gate.G"}, a{"partial-gate.A"}, b{"partial-gate.B"};
  onThread([&] {
    std::lock_guard<lockgraph::mutex> g(gate);
    lockPair(a, b);
  });
  onThread([&] { lockPair(a, b); }); // same edge, no gate this time
  onThread([&] {
    std::lock_guard<lockgraph::mutex> g(gate);
    lockPair(b, a);
  });
  EXPECT_EQ(reportsOf(ReportKind::lockOrderInversion).size(), 1u);
}

TEST_F(Inversion, ReadersInBothOrdersAreSilent) {
  lockgraph::shared_mutex a{"rr.A"}, b{"rr.B"};
  onThread([&] {
    std::shared_lock ra(a);
    std::shared_lock rb(b);
  });
  onThread([&] {
    std::shared_lock rb(b);
    std::shared_lock ra(a);
  });
  EXPECT_TRUE(all().empty());
}

TEST_F(Inversion, WriteThenReadInversionIsReported) {
  lockgraph::shared_mutex a{"wr.A"}, b{"wr.B"};
  onThread([&] {
    std::unique_lock wa(a);
    std::shared_lock rb(b);
  });
  onThread([&] {
    std::unique_lock wb(b);
    std::shared_lock ra(a);
  });
  auto reports = reportsOf(ReportKind::lockOrderInversion);
  ASSERT_EQ(reports.size(), 1u);
}

TEST_F(Inversion, RecursiveMutexReentryIsNotAnOrdering) {
  lockgraph::recursive_mutex r{"recursive.R"};
  lockgraph::mutex m{"recursive.M"};
  onThread([&] {
    std::lock_guard<lockgraph::recursive_mutex> outer(r);
    std::lock_guard<lockgraph::mutex> inner(m);
    std::lock_guard<lockgraph::recursive_mutex> again(r); // re-entry, not M -> R
  });
  EXPECT_TRUE(all().empty());
}

TEST_F(Inversion, ConditionVariableWaitIsSilent) {
  lockgraph::mutex mu{"cv.M"};
  lockgraph::condition_variable cv;
  bool ready = false;
  std::thread waiter([&] {
    std::unique_lock<lockgraph::mutex> lock(mu);
    cv.wait(lock, [&] { return ready; });
  });
  {
    std::lock_guard<lockgraph::mutex> lock(mu);
    ready = true;
  }
  cv.notify_all();
  waiter.join();
  EXPECT_TRUE(all().empty());
}

TEST_F(Inversion, ReportShowsCycleEdgesAndSummary) {
  lockgraph::mutex a{"text.A"}, b{"text.B"};
  onThread([&] { lockPair(a, b); });
  onThread([&] { lockPair(b, a); });
  auto reports = reportsOf(ReportKind::lockOrderInversion);
  ASSERT_EQ(reports.size(), 1u);
  const std::string& text = reports[0].text;
  EXPECT_NE(text.find("lockgraph: lock-order-inversion (potential deadlock)"), std::string::npos) << text;
  EXPECT_NE(text.find("Cycle in lock order: M1 -> M2 -> M1"), std::string::npos) << text;
  EXPECT_NE(text.find("\"text.A\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"text.B\""), std::string::npos) << text;
  EXPECT_NE(text.find("closing the cycle"), std::string::npos) << text;
  EXPECT_NE(text.find("had been acquired at:"), std::string::npos) << text;
  EXPECT_NE(text.find("SUMMARY: lockgraph: lock-order-inversion (2 locks)"), std::string::npos) << text;
}

__attribute__((noinline)) void takeBThenA(lockgraph::mutex& a, lockgraph::mutex& b) {
  lockPair(b, a);
  asm volatile("" ::: "memory"); // keeps this frame: no tail call
}

TEST_F(Inversion, SymbolizedReportNamesTheFunctionAndLine) {
  options().symbolize = true;
  lockgraph::mutex a{"symbolized.A"}, b{"symbolized.B"};
  onThread([&] { lockPair(a, b); });
  onThread([&] { takeBThenA(a, b); });
  auto reports = reportsOf(ReportKind::lockOrderInversion);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].text.find("takeBThenA"), std::string::npos) << reports[0].text;
  EXPECT_NE(reports[0].text.find("inversion_test.cpp:"), std::string::npos) << reports[0].text;
}

} // namespace
} // namespace lockgraph::rt::testing
