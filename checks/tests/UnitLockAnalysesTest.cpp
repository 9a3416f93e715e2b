//===- UnitLockAnalysesTest.cpp - One analysis per function, shared -------===//

#include "AnalysisTestUtil.h"
#include "analysis/UnitLockAnalyses.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {

const char *Code = "#include <mutex>\nstd::mutex m;\nvoid probe();\n"
                   "void f() { std::lock_guard<std::mutex> g(m); probe(); }\n";

TEST(UnitLockAnalyses, AFunctionIsAnalysedOnceAndReplayedByEveryAsker) {
  ParsedCode Parsed(Code);
  ASSERT_TRUE(Parsed.ok());
  UnitLockAnalyses Unit(Parsed.model(), Parsed.context());
  const LocksetAnalysis *First = Unit.Locks.analysisOf(Parsed.function("f"));
  ASSERT_NE(First, nullptr);
  EXPECT_EQ(Unit.Locks.analysisOf(Parsed.function("f")), First);
}

TEST(UnitLockAnalyses, ReplayingTheSharedAnalysisGivesWhatAFreshRunGives) {
  ParsedCode Parsed(Code);
  ASSERT_TRUE(Parsed.ok());
  UnitLockAnalyses Unit(Parsed.model(), Parsed.context());
  struct HeldAtCalls : LocksetObserver {
    void element(const clang::CFGElement &E, const Lockset &Before) override {
      if (E.getAs<clang::CFGStmt>() && llvm::isa<clang::CallExpr>(E.castAs<clang::CFGStmt>().getStmt()))
        Held.push_back(Before.held().size());
    }
    std::vector<size_t> Held;
  };
  HeldAtCalls Shared1, Shared2, Fresh;
  Unit.Locks.analysisOf(Parsed.function("f"))->replay(Shared1);
  Unit.Locks.analysisOf(Parsed.function("f"))->replay(Shared2);
  LockEventExtractor Events(Parsed.model(), Parsed.context());
  LockSummaries Locks(Events);
  LocksetAnalysis Run(Events, &Locks);
  ASSERT_TRUE(Run.run(Parsed.function("f")));
  Run.replay(Fresh);
  EXPECT_EQ(Shared1.Held, Fresh.Held);
  EXPECT_EQ(Shared2.Held, Fresh.Held);
  EXPECT_EQ(Fresh.Held, (std::vector<size_t>{1}));
}

TEST(UnitLockAnalyses, ChecksWithTheSameOptionsShareOneUnitOthersGetTheirOwn) {
  ParsedCode Parsed(Code);
  ASSERT_TRUE(Parsed.ok());
  forgetSharedUnitAnalyses();
  LockModel Default, AlsoDefault, Configured(LockModelOptions{{"my::Mutex"}, {}, {}, {}});
  std::shared_ptr<UnitLockAnalyses> A = sharedUnitAnalyses(Default, Parsed.context());
  EXPECT_EQ(sharedUnitAnalyses(AlsoDefault, Parsed.context()), A);
  std::shared_ptr<UnitLockAnalyses> Other = sharedUnitAnalyses(Configured, Parsed.context());
  EXPECT_NE(Other, A);
  EXPECT_TRUE(Other->Model.sameOptions(Configured));
  // A new unit starts afresh; holders keep what they had.
  forgetSharedUnitAnalyses();
  EXPECT_NE(sharedUnitAnalyses(Default, Parsed.context()), A);
  EXPECT_TRUE(A->Model.sameOptions(Default));
  forgetSharedUnitAnalyses();
}

} // namespace
