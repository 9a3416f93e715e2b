//===- LocksetTest.cpp - What the lockset analysis knows at each point ----===//

#include "AnalysisTestUtil.h"

#include <gtest/gtest.h>

using namespace lockgraph::test;
using Probes = std::vector<std::vector<std::string>>;

namespace {

const char *Prelude = R"cpp(
#include <mutex>
#include <shared_mutex>
#include <pthread.h>
void probe();
std::mutex m, n;
std::recursive_mutex rm;
std::shared_mutex sm;
)cpp";

Probes probesIn(const std::string &Body, const char *Fn = "f") {
  ParsedCode Code(std::string(Prelude) + Body);
  EXPECT_TRUE(Code.ok());
  return Code.locksAtProbes(Fn);
}

TEST(Lockset, GuardHoldsUntilEndOfScope) {
  EXPECT_EQ(probesIn("void f() { { std::lock_guard g(m); probe(); } probe(); }"),
            (Probes{{"m"}, {}}));
}

TEST(Lockset, ManualLockAndUnlock) {
  EXPECT_EQ(probesIn("void f() { m.lock(); probe(); m.unlock(); probe(); }"), (Probes{{"m"}, {}}));
}

TEST(Lockset, UniqueLockUnlockReleases) {
  EXPECT_EQ(probesIn("void f() { std::unique_lock l(m); l.unlock(); probe(); l.lock(); probe(); }"),
            (Probes{{}, {"m"}}));
}

TEST(Lockset, DeferLockHoldsNothingUntilLocked) {
  EXPECT_EQ(probesIn("void f() { std::unique_lock l(m, std::defer_lock); probe(); l.lock(); probe(); }"),
            (Probes{{}, {"m"}}));
}

TEST(Lockset, AdoptLockTakesOwnership) {
  EXPECT_EQ(probesIn("void f() { m.lock(); { std::lock_guard g(m, std::adopt_lock); probe(); } probe(); }"),
            (Probes{{"m"}, {}}));
}

TEST(Lockset, MovedOutGuardNoLongerHolds) {
  EXPECT_EQ(probesIn("void take(std::unique_lock<std::mutex>);\n"
                     "void f() { std::unique_lock l(m); take(std::move(l)); probe(); }"),
            (Probes{{}}));
}

TEST(Lockset, MoveConstructionTransfersOwnership) {
  EXPECT_EQ(probesIn("void f() { std::unique_lock<std::mutex> b; { std::unique_lock a(m); b = std::move(a); } "
                     "probe(); }"),
            (Probes{{"m"}}));
}

TEST(Lockset, ReleaseDisownsButKeepsHeld) {
  EXPECT_EQ(probesIn("void f() { { std::unique_lock l(m); l.release(); } probe(); }"), (Probes{{"m"}}));
}

TEST(Lockset, ScopedLockOfTwo) {
  EXPECT_EQ(probesIn("void f() { { std::scoped_lock g(m, n); probe(); } probe(); }"), (Probes{{"m", "n"}, {}}));
}

TEST(Lockset, StdLockThenAdopt) {
  EXPECT_EQ(probesIn("void f() { std::lock(m, n); std::lock_guard a(m, std::adopt_lock); "
                     "std::lock_guard b(n, std::adopt_lock); probe(); }"),
            (Probes{{"m", "n"}}));
}

TEST(Lockset, SharedLockIsShared) {
  EXPECT_EQ(probesIn("void f() { std::shared_lock l(sm); probe(); }"), (Probes{{"sm shared"}}));
}

TEST(Lockset, DisjointBranchesMayHold) {
  EXPECT_EQ(probesIn("void f(bool c) { if (c) m.lock(); probe(); if (c) m.unlock(); }"), (Probes{{"m?"}}));
}

TEST(Lockset, BothBranchesMustHold) {
  EXPECT_EQ(probesIn("void f(bool c) { if (c) m.lock(); else m.lock(); probe(); m.unlock(); }"),
            (Probes{{"m"}}));
}

TEST(Lockset, TryLockHeldOnlyOnSuccess) {
  EXPECT_EQ(probesIn("void f() { if (m.try_lock()) { probe(); m.unlock(); } else { probe(); } probe(); }"),
            (Probes{{"m"}, {}, {}}));
}

TEST(Lockset, NegatedTryLockEarlyReturn) {
  EXPECT_EQ(probesIn("void f() { if (!m.try_lock()) return; probe(); m.unlock(); }"), (Probes{{"m"}}));
}

TEST(Lockset, PosixTrylockComparesWithZero) {
  EXPECT_EQ(probesIn("pthread_mutex_t pm;\n"
                     "void f() { if (pthread_mutex_trylock(&pm) == 0) { probe(); pthread_mutex_unlock(&pm); } }"),
            (Probes{{"pm"}}));
}

TEST(Lockset, TryToLockGuardTestedByOwnsLock) {
  EXPECT_EQ(probesIn("void f() { std::unique_lock l(m, std::try_to_lock); if (l.owns_lock()) probe(); "
                     "if (!l) return; probe(); }"),
            (Probes{{"m"}, {"m"}}));
}

TEST(Lockset, LoopReachesFixedPoint) {
  EXPECT_EQ(probesIn("void f(int k) { for (int i = 0; i < k; ++i) { std::lock_guard g(m); probe(); } probe(); }"),
            (Probes{{"m"}, {}}));
}

TEST(Lockset, LockInLoopBodyUnlockAfter) {
  EXPECT_EQ(probesIn("void f(int k) { while (k--) { m.lock(); probe(); m.unlock(); } probe(); }"),
            (Probes{{"m"}, {}}));
}

TEST(Lockset, RecursiveMutexCountsDepth) {
  EXPECT_EQ(probesIn("void f() { rm.lock(); rm.lock(); rm.unlock(); probe(); rm.unlock(); probe(); }"),
            (Probes{{"rm"}, {}}));
}

TEST(Lockset, MembersThroughThisAndPointers) {
  EXPECT_EQ(probesIn("struct A { std::mutex mu; void f(); };\n"
                     "void A::f() { std::lock_guard g(this->mu); probe(); }"),
            (Probes{{"this->mu"}}));
}

TEST(Lockset, HelperThatLocksAndReturns) {
  EXPECT_EQ(probesIn("struct A { std::mutex mu; void acquire() { mu.lock(); } void release() { mu.unlock(); }\n"
                     "  void f() { acquire(); probe(); release(); probe(); } };"),
            (Probes{{"mu"}, {}}));
}

TEST(Lockset, HelperReturningGuard) {
  EXPECT_EQ(probesIn("struct A { std::mutex mu; std::unique_lock<std::mutex> locked() { return std::unique_lock(mu); }\n"
                     "  void f() { { auto g = locked(); probe(); } probe(); } };"),
            (Probes{{"mu"}, {}}));
}

TEST(Lockset, HelperThroughParameter) {
  EXPECT_EQ(probesIn("void lockIt(std::mutex &x) { x.lock(); }\n"
                     "void f() { lockIt(n); probe(); n.unlock(); probe(); }"),
            (Probes{{"n"}, {}}));
}

TEST(Lockset, MemberGuardBoundInConstructor) {
  EXPECT_EQ(probesIn("struct S { std::mutex mu; std::unique_lock<std::mutex> lk{mu, std::defer_lock};\n"
                     "  void f() { lk.lock(); probe(); lk.unlock(); probe(); } };"),
            (Probes{{"mu"}, {}}));
}

TEST(Lockset, AliasesAndCustomScopedLockable) {
  EXPECT_EQ(probesIn("using Mutex = std::mutex; using Guard = std::lock_guard<Mutex>;\n"
                     "Mutex am;\n"
                     "class Locker { std::mutex &m_; public: explicit Locker(std::mutex &x) : m_(x) { m_.lock(); }\n"
                     "  ~Locker() { m_.unlock(); } };\n"
                     "void f() { { Guard g(am); probe(); } { Locker l(m); probe(); } probe(); }"),
            (Probes{{"am"}, {"m"}, {}}));
}

TEST(Lockset, SummaryOfLockingHelper) {
  ParsedCode Code(std::string(Prelude) + "struct A { std::mutex mu; void acquire() { mu.lock(); } };");
  EXPECT_EQ(Code.summaryOf("acquire"), "acquires: this.mu releases: returns:");
}

TEST(Lockset, HelperThatUnlocksAndRelocksLeavesTheGuardOwningIt) {
  EXPECT_EQ(probesIn("void relock(std::mutex &mu) { mu.unlock(); mu.lock(); }\n"
                     "void f() { { std::lock_guard g(m); relock(m); probe(); } probe(); }"),
            (Probes{{"m"}, {}}));
}

TEST(Lockset, LockUnderAStableConditionIsSettledByTheSameCondition) {
  EXPECT_EQ(probesIn("void f(bool need) { if (need) m.lock(); probe(); if (need) { probe(); m.unlock(); } probe(); }"),
            (Probes{{"m?"}, {"m"}, {}}));
}

TEST(Lockset, ConstLocalConditionIsStableToo) {
  EXPECT_EQ(probesIn("bool g(); void f() { const bool need = g(); if (!need) m.lock(); probe(); "
                     "if (!need) m.unlock(); probe(); }"),
            (Probes{{"m?"}, {}}));
}

TEST(Lockset, ChangedConditionSettlesNothing) {
  EXPECT_EQ(probesIn("void f(bool need) { if (need) m.lock(); need = !need; if (need) m.unlock(); probe(); }"),
            (Probes{{"m?"}}));
}

TEST(Lockset, LockTakenUnderAnotherBranchInsideTheConditionStaysUncertain) {
  EXPECT_EQ(probesIn("bool g(); void f(bool need) { if (need) { if (g()) m.lock(); } if (need) probe(); }"),
            (Probes{{"m?"}}));
}

TEST(Lockset, BalancedConditionalLockingLeavesNothingToTheCaller) {
  ParsedCode Code(std::string(Prelude) + "void f(bool need) { if (need) m.lock(); if (need) m.unlock(); }");
  EXPECT_EQ(Code.summaryOf("f"), "acquires: releases: returns:");
}

} // namespace

namespace {

TEST(Lockset, ExceptionUnwindsGuardsOfTheTryBlock) {
  EXPECT_EQ(probesIn("void f() { std::lock_guard outer(n);\n"
                     "  try { std::lock_guard g(m); throw 1; } catch (...) { probe(); } }"),
            (Probes{{"n"}}));
}

TEST(Lockset, RangeForVariableIsItsOwnLock) {
  EXPECT_EQ(probesIn("#include <vector>\n"
                     "void f(std::vector<std::mutex> &v) { for (auto &mu : v) { mu.lock(); probe(); mu.unlock(); } }"),
            (Probes{{"mu"}}));
}

TEST(Lockset, LocalReferenceIsTheLockItNames) {
  EXPECT_EQ(probesIn("struct A { std::mutex mu; };\n"
                     "void f(A &a) { auto &r = a.mu; r.lock(); probe(); a.mu.unlock(); probe(); }"),
            (Probes{{"a.mu"}, {}}));
}

} // namespace
