// recursive-lock, bad-unlock, destroy-locked, long-hold and deadlock.
#include "report_capture.h"

#include "detector.h"
#include "options.h"
#include "text_buffer.h"
#include "watchdog.h"

#include <lockgraph/mutex.h>

#include <barrier>
#include <chrono>
#include <memory>
#include <thread>

namespace lockgraph::rt::testing {
namespace {

using Misuse = ReportCapture;
using namespace std::chrono_literals;

class MisuseDeathTest : public ReportCapture {
protected:
  void SetUp() override {
    ReportCapture::SetUp();
    GTEST_FLAG_SET(death_test_style, "threadsafe");
  }
};

TEST_F(MisuseDeathTest, RelockingAPlainMutexIsReportedBeforeItHangs) {
  EXPECT_EXIT(
      {
        options().exitCode = 66;
        options().haltOnError = true;
        lockgraph::mutex m{"relock.M"};
        m.lock();
        m.lock();
      },
      ::testing::ExitedWithCode(66), "lockgraph: recursive-lock");
}

TEST_F(MisuseDeathTest, WriteLockingASharedMutexHeldForReadingIsRecursive) {
  EXPECT_EXIT(
      {
        options().exitCode = 66;
        options().haltOnError = true;
        lockgraph::shared_mutex m{"relock.S"};
        m.lock_shared();
        m.lock();
      },
      ::testing::ExitedWithCode(66), "lockgraph: recursive-lock");
}

// Without halt_on_error the report does not end the process: the relocking
// thread waits, as it would without lockgraph, and the program goes on.
void relockOnAnotherThreadThenCarryOn() {
  lockgraph::mutex m{"relock.Continue"};
  std::thread relocker([&] {
    m.lock();
    m.lock(); // reported, then waits forever
  });
  relocker.detach();
  while (reportCount() == 0)
    std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(50ms);
  _exit(7); // still running: the report ended nothing
}

TEST_F(MisuseDeathTest, RelockReportLetsTheProgramContinueWithoutHaltOnError) {
  EXPECT_EXIT(relockOnAnotherThreadThenCarryOn(), ::testing::ExitedWithCode(7),
              "lockgraph: recursive-lock");
}

void relockUnderTheWatchdog() {
  options().exitCode = 66;
  options().deadlockTimeoutMs = 100;
  optionsChanged();
  startWatchdog();
  lockgraph::mutex m{"relock.Watchdog"};
  m.lock();
  m.lock(); // waits for itself until the watchdog ends the process
}

TEST_F(MisuseDeathTest, WatchdogReportsAThreadWaitingForItselfAfterARelock) {
  EXPECT_EXIT(relockUnderTheWatchdog(), ::testing::ExitedWithCode(66),
              "lockgraph: recursive-lock(.|\n)*lockgraph: deadlock(.|\n)*"
              "SUMMARY: lockgraph: deadlock \\(1 thread\\)");
}

TEST_F(Misuse, RelockingARecursiveMutexIsFine) {
  lockgraph::recursive_mutex m{"relock.R"};
  m.lock();
  m.lock();
  m.unlock();
  m.unlock();
  EXPECT_TRUE(all().empty());
}

TEST_F(Misuse, UnlockingAMutexNobodyHoldsIsABadUnlock) {
  lockgraph::mutex m{"bad-unlock.M"};
  m.unlock();
  auto reports = reportsOf(ReportKind::badUnlock);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].text.find("which it does not hold"), std::string::npos) << reports[0].text;
}

TEST_F(Misuse, BadUnlockInALoopIsReportedOnceAndCounted) {
  lockgraph::mutex m{"bad-unlock.Loop"};
  for (int i = 0; i < 5; ++i)
    m.unlock(); // one stack, five times
  m.unlock();   // another stack: a finding of its own
  EXPECT_EQ(reportsOf(ReportKind::badUnlock).size(), 2u);
  TextBuffer text;
  appendRepeatSummary(text);
  EXPECT_NE(std::string(text.data()).find("bad-unlock happened 5 times; reported once"), std::string::npos)
      << text.data();
}

// An owner thread locks `m`; the calling thread then unlocks it (a
// cross-thread bad-unlock), after which the owner runs `afterwards`.
template <class F> void unlockWhileAnotherThreadHolds(lockgraph::mutex& m, F afterwards) {
  std::barrier sync(2);
  std::thread owner([&] {
    m.lock();
    sync.arrive_and_wait(); // locked
    sync.arrive_and_wait(); // the calling thread has unlocked it
    afterwards();
  });
  sync.arrive_and_wait();
  m.unlock();
  sync.arrive_and_wait();
  owner.join();
}

TEST_F(Misuse, UnlockingAnotherThreadsMutexNamesTheOwner) {
  lockgraph::mutex m{"bad-unlock.Owned"};
  unlockWhileAnotherThreadHolds(m, [] {});
  auto reports = reportsOf(ReportKind::badUnlock);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].text.find(" holds it)"), std::string::npos) << reports[0].text;
}

// The owner thread of a mutex another thread unlocked no longer holds it:
// nothing it locks afterwards is ordered after that mutex.
TEST_F(Misuse, OwnerOfAMutexUnlockedByAnotherThreadLeavesNoPhantomOrder) {
  lockgraph::mutex m{"stolen.M"};
  lockgraph::mutex x{"stolen.X"};
  unlockWhileAnotherThreadHolds(m, [&] {
    std::lock_guard<lockgraph::mutex> later(x); // would add M -> X from a stale hold
  });
  EXPECT_EQ(reportsOf(ReportKind::badUnlock).size(), 1u);
  std::lock_guard<lockgraph::mutex> first(x);
  std::lock_guard<lockgraph::mutex> second(m); // X -> M: an inversion only with a phantom M -> X
  EXPECT_TRUE(reportsOf(ReportKind::lockOrderInversion).empty());
}

TEST_F(Misuse, OwnerRelockingAMutexAnotherThreadUnlockedIsNoRecursiveLock) {
  lockgraph::mutex m{"stolen.Relock"};
  unlockWhileAnotherThreadHolds(m, [&] {
    m.lock();   // free again: a fresh acquisition
    m.unlock(); // and a matching release
  });
  EXPECT_EQ(reportsOf(ReportKind::badUnlock).size(), 1u) << "only main's unlock";
  EXPECT_TRUE(reportsOf(ReportKind::recursiveLock).empty());
}

TEST_F(Misuse, UnlockSharedOfAWriteLockIsABadUnlock) {
  lockgraph::shared_mutex m{"bad-unlock.S"};
  m.lock();
  m.unlock_shared();
  EXPECT_EQ(reportsOf(ReportKind::badUnlock).size(), 1u);
}

TEST_F(Misuse, DestroyingALockedMutexIsReported) {
  auto m = std::make_unique<lockgraph::mutex>("destroy.M");
  m->lock();
  m.reset();
  auto reports = reportsOf(ReportKind::destroyLocked);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].text.find("while it is locked"), std::string::npos) << reports[0].text;
}

TEST_F(Misuse, DestroyingAnUnlockedMutexIsSilent) {
  auto m = std::make_unique<lockgraph::mutex>("destroy.Unlocked");
  m->lock();
  m->unlock();
  m.reset();
  EXPECT_TRUE(all().empty());
}

TEST_F(Misuse, LongCriticalSectionIsReportedOncePerSite) {
  options().longHoldMs = 20;
  optionsChanged();
  lockgraph::mutex m{"long-hold.M"};
  for (int i = 0; i < 2; ++i) {
    std::lock_guard<lockgraph::mutex> hold(m);
    std::this_thread::sleep_for(60ms);
  }
  options().longHoldMs = 0;
  optionsChanged();
  auto reports = reportsOf(ReportKind::longHold);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].text.find("(threshold 20.0 ms)"), std::string::npos) << reports[0].text;
}

TEST_F(Misuse, ShortCriticalSectionIsNotALongHold) {
  options().longHoldMs = 500;
  optionsChanged();
  lockgraph::mutex m{"long-hold.Short"};
  for (int i = 0; i < 100; ++i) {
    std::lock_guard<lockgraph::mutex> hold(m);
  }
  options().longHoldMs = 0;
  optionsChanged();
  EXPECT_TRUE(all().empty());
}

void deadlockTwoThreads() {
  options().exitCode = 66;
  options().deadlockTimeoutMs = 100;
  optionsChanged();
  startWatchdog();
  lockgraph::mutex a{"deadlock.A"};
  lockgraph::mutex b{"deadlock.B"};
  std::barrier bothHoldOne(2);
  std::thread t1([&] {
    std::lock_guard<lockgraph::mutex> la(a);
    bothHoldOne.arrive_and_wait();
    std::lock_guard<lockgraph::mutex> lb(b);
  });
  std::thread t2([&] {
    std::lock_guard<lockgraph::mutex> lb(b);
    bothHoldOne.arrive_and_wait();
    std::lock_guard<lockgraph::mutex> la(a);
  });
  t1.join(); // never returns: the watchdog ends the process
  t2.join();
}

TEST_F(MisuseDeathTest, WatchdogReportsThreadsDeadlockedOnEachOther) {
  EXPECT_EXIT(deadlockTwoThreads(), ::testing::ExitedWithCode(66),
              "lockgraph: deadlock(.|\n)*waits for M(.|\n)*SUMMARY: lockgraph: deadlock \\(2 threads\\)");
}

TEST_F(Misuse, WatchdogIgnoresAThreadWaitingOnAHealthyHolder) {
  options().deadlockTimeoutMs = 10;
  optionsChanged();
  lockgraph::mutex m{"watchdog.Healthy"};
  std::barrier sync(2);
  std::thread holder([&] {
    std::lock_guard<lockgraph::mutex> hold(m);
    sync.arrive_and_wait();
    std::this_thread::sleep_for(100ms);
  });
  sync.arrive_and_wait();
  std::thread waiter([&] { std::lock_guard<lockgraph::mutex> wait(m); });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(checkForDeadlock());
  holder.join();
  waiter.join();
  options().deadlockTimeoutMs = 0;
  optionsChanged();
  EXPECT_TRUE(all().empty());
}

TEST_F(Misuse, StatisticsCountHoldsAndContention) {
  options().stats = true;
  optionsChanged();
  lockgraph::mutex m{"stats.M"};
  std::barrier sync(2);
  std::thread holder([&] {
    std::lock_guard<lockgraph::mutex> hold(m);
    sync.arrive_and_wait();
    std::this_thread::sleep_for(30ms);
  });
  sync.arrive_and_wait();
  { std::lock_guard<lockgraph::mutex> contend(m); }
  holder.join();
  options().stats = false;
  optionsChanged();
  TextBuffer text;
  appendStatistics(&text, nullptr);
  std::string table(text.data());
  auto row = table.find("stats.M");
  ASSERT_NE(row, std::string::npos) << table;
  // holds = 2, contended = 1
  EXPECT_NE(table.find(" 2          1 ", row), std::string::npos) << table;
}

} // namespace
} // namespace lockgraph::rt::testing
