//===- ManualLockPathsTest.cpp - Which paths leave a hand-taken lock held ---===//

#include "AnalysisTestUtil.h"
#include "analysis/ManualLockPaths.h"

#include "clang/AST/StmtCXX.h"
#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {

/// Each leak of \p Fn as "lock:how", how being return/throw/end/break/continue.
std::vector<std::string> leaksOf(const std::string &Body, const char *Fn = "f") {
  ParsedCode Code("#include <mutex>\nstd::mutex m;\nvoid work();\n" + Body);
  EXPECT_TRUE(Code.ok());
  LockEventExtractor Events(Code.model(), Code.context());
  LockSummaries Locks(Events);
  ManualLockPaths Paths(Events, Locks);
  std::vector<std::string> Out;
  for (const LeakingPath &P : Paths.leaks(Code.function(Fn))) {
    std::string How = P.How == LeakingPath::Exit::Return ? "return" : P.How == LeakingPath::Exit::Throw ? "throw" : "end";
    if (P.Jump)
      How = llvm::isa<clang::BreakStmt>(P.Jump) ? "break" : "continue";
    Out.push_back(P.Lock.spelling() + ":" + How);
  }
  return Out;
}

using Leaks = std::vector<std::string>;

TEST(ManualLockPaths, EarlyReturnLeaks) {
  EXPECT_EQ(leaksOf("int f(int x) { m.lock(); if (x) return 1; m.unlock(); return 0; }"), (Leaks{"m:return"}));
}

TEST(ManualLockPaths, ThrowLeaks) {
  EXPECT_EQ(leaksOf("void f(int x) { m.lock(); if (x) throw 1; m.unlock(); }"), (Leaks{"m:throw"}));
}

TEST(ManualLockPaths, BreakPastTheUnlockLeaks) {
  EXPECT_EQ(leaksOf("void f(int n) { for (int i = 0; i < n; ++i) { m.lock(); if (i == 3) break; m.unlock(); } }"),
            (Leaks{"m:break"}));
}

TEST(ManualLockPaths, BalancedPathsDoNotLeak) {
  EXPECT_EQ(leaksOf("int f(int x) { m.lock(); if (x) { m.unlock(); return 1; } m.unlock(); return 0; }"), Leaks{});
}

TEST(ManualLockPaths, SameUnchangedConditionIsCorrelated) {
  EXPECT_EQ(leaksOf("void f(bool c) { if (c) m.lock(); work(); if (c) m.unlock(); }"), Leaks{});
}

TEST(ManualLockPaths, ChangedConditionIsNotCorrelated) {
  EXPECT_EQ(leaksOf("void f(bool c) { if (c) m.lock(); c = !c; if (c) m.unlock(); }"), (Leaks{"m:end"}));
}

TEST(ManualLockPaths, HeldOnEveryPathIsAProtocol) {
  EXPECT_EQ(leaksOf("void f(bool c) { m.lock(); if (c) return; work(); }"), Leaks{});
}

TEST(ManualLockPaths, TryLockFailureIsNotHeld) {
  EXPECT_EQ(leaksOf("bool f() { if (!m.try_lock()) return false; work(); m.unlock(); return true; }"), Leaks{});
}

TEST(ManualLockPaths, GuardsNeverLeak) {
  EXPECT_EQ(leaksOf("int f(int x) { std::lock_guard g(m); if (x) return 1; return 0; }"), Leaks{});
}

} // namespace
