//===- CriticalSectionCostTest.cpp - What makes a critical section long ----===//

#include "AnalysisTestUtil.h"
#include "analysis/CriticalSectionCost.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {

const char *Prelude = R"cpp(
#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <vector>
std::mutex m;
std::vector<int> items;
int counter;
)cpp";

/// Each finding of \p Fn as "kind:detail".
std::vector<std::string> costOf(const std::string &Body, CostOptions Options = {}) {
  ParsedCode Code(std::string(Prelude) + Body);
  EXPECT_TRUE(Code.ok());
  LockEventExtractor Events(Code.model(), Code.context());
  LockSummaries Locks(Events);
  CriticalSectionCost Cost(Events, Locks, std::move(Options));
  std::vector<std::string> Out;
  for (const CostlyWork &W : Cost.find(Code.function("f"))) {
    const char *Kind = W.What == CostlyWork::Kind::Loop          ? "loop"
                       : W.What == CostlyWork::Kind::CostlyCall  ? "call"
                       : W.What == CostlyWork::Kind::ContainerCopy ? "copy"
                                                                  : "size";
    Out.push_back(std::string(Kind) + ":" + W.Detail);
  }
  return Out;
}

using Findings = std::vector<std::string>;

// One cheap pass over the guarded data is the short section the check
// recommends: reported only with StrictLoops (the rule these trip-count
// tests exercise).
CostOptions strictLoops() {
  CostOptions Options;
  Options.StrictLoops = true;
  return Options;
}

TEST(CriticalSectionCost, LoopOverContainerUnderLock) {
  EXPECT_EQ(costOf("void f() { std::lock_guard g(m); for (int v : items) counter += v; }", strictLoops()),
            (Findings{"loop:"}));
}

TEST(CriticalSectionCost, CheapSinglePassIsShortByDefault) {
  EXPECT_EQ(costOf("void f() { std::lock_guard g(m); for (int v : items) counter += v; }"), Findings{});
}

TEST(CriticalSectionCost, LoopCallingUnknownCodeIsCostly) {
  EXPECT_EQ(costOf("int remote(int);\nvoid f() { std::lock_guard g(m); for (int v : items) counter += remote(v); }"),
            (Findings{"loop:calls 'remote', whose code is not visible here"}));
}

TEST(CriticalSectionCost, NestedLoopIsCostly) {
  EXPECT_EQ(costOf("void f() { std::lock_guard g(m); for (int v : items) for (int w : items) counter += v * w; }"),
            (Findings{"loop:runs a nested loop"}));
}

TEST(CriticalSectionCost, SmallConstantLoopIsShort) {
  EXPECT_EQ(costOf("void f() { std::lock_guard g(m); for (int i = 0; i < 4; ++i) counter += i; "
                   "std::array<int, 2> a{}; for (int v : a) counter += v; }"),
            Findings{});
}

TEST(CriticalSectionCost, ConstantAboveTheLimitIsLong) {
  CostOptions Options = strictLoops();
  Options.SmallTripCount = 2;
  EXPECT_EQ(costOf("void f() { std::lock_guard g(m); for (int i = 0; i < 4; ++i) counter += i; }", Options),
            (Findings{"loop:"}));
}

TEST(CriticalSectionCost, ConditionWaitLoopGivesTheLockUp) {
  EXPECT_EQ(costOf("#include <condition_variable>\nstd::condition_variable cv; bool ready;\n"
                   "void f() { std::unique_lock l(m); while (!ready) cv.wait(l); }"),
            Findings{});
}

TEST(CriticalSectionCost, SortIsCostly) {
  EXPECT_EQ(costOf("void f() { std::lock_guard g(m); std::sort(items.begin(), items.end()); }"),
            (Findings{"call:std::sort"}));
}

TEST(CriticalSectionCost, CopyOutIsShortButCopyInIsNot) {
  EXPECT_EQ(costOf("void f() { std::vector<int> local; { std::lock_guard g(m); local = items; } "
                   "std::lock_guard g(m); items = local; }"),
            (Findings{"copy:local"}));
}

TEST(CriticalSectionCost, SizeCountsStatementsAfterTheAcquisition) {
  CostOptions Options;
  Options.MaxStatements = 2;
  EXPECT_EQ(costOf("void f() { std::lock_guard g(m); ++counter; ++counter; ++counter; }", Options),
            (Findings{"size:3"}));
}

TEST(CriticalSectionCost, LockTakenInsideTheLoopIsNotHeldThroughout) {
  EXPECT_EQ(costOf("void f() { for (int v : items) { std::lock_guard g(m); counter += v; } }"), Findings{});
}

} // namespace
