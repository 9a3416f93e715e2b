//===- BlockingCallsTest.cpp - Which calls block, and through which helpers -===//

#include "AnalysisTestUtil.h"
#include "analysis/BlockingCalls.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {

const char *Prelude = R"cpp(
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <unistd.h>
std::mutex m;
std::condition_variable cv;
)cpp";

/// The summary of \p Fn as "what[free locks]" entries, "?" for unknown.
std::vector<std::string> blockingSummary(const std::string &Body, const char *Fn = "f",
                                         BlockingCatalogueOptions Options = {}) {
  ParsedCode Code(std::string(Prelude) + Body);
  EXPECT_TRUE(Code.ok());
  LockEventExtractor Events(Code.model(), Code.context());
  LockSummaries Locks(Events);
  BlockingCatalogue Catalogue(std::move(Options));
  BlockingClassifier Classifier(Catalogue, Code.model(), Code.context());
  CallSiteSummaries Sites(Events, Locks, Classifier);
  std::vector<std::string> Out;
  for (const SiteSummary &S : Sites.summaryOf(Code.function(Fn))) {
    std::string Entry = S.Direct.What + "[";
    for (const LockExpr &L : S.CallerLocksFree)
      Entry += L.spelling() + ";";
    Out.push_back(Entry + (S.CallerLocksUnknown ? "?]" : "]"));
  }
  return Out;
}

using Entries = std::vector<std::string>;

TEST(BlockingCalls, PosixSleepIsBlocking) {
  EXPECT_EQ(blockingSummary("void f() { usleep(1); }"), (Entries{"usleep[]"}));
}

TEST(BlockingCalls, StdSleepAndJoinAreBlocking) {
  EXPECT_EQ(blockingSummary("#include <thread>\nvoid f(std::thread &t) { "
                            "std::this_thread::sleep_for(std::chrono::seconds(1)); t.join(); }"),
            (Entries{"std::this_thread::sleep_for[]"}));
}

TEST(BlockingCalls, MemberNamedLikePosixIsNotBlocking) {
  EXPECT_EQ(blockingSummary("struct B { int read(char *, int); };\nvoid f(B &b, char *p) { b.read(p, 1); }"),
            Entries{});
}

TEST(BlockingCalls, ZeroTimeoutPollIsNotBlocking) {
  EXPECT_EQ(blockingSummary("using namespace std::chrono_literals;\n"
                            "bool f(std::future<int> &x) { return x.wait_for(0s) == std::future_status::ready; }"),
            Entries{});
}

TEST(BlockingCalls, HelperThatBlocksIsBlockingThroughTheChain) {
  EXPECT_EQ(blockingSummary("void g() { usleep(1); }\nvoid f() { g(); }"), (Entries{"usleep[]"}));
}

TEST(BlockingCalls, HelperGivingUpCallersLockNamesIt) {
  EXPECT_EQ(blockingSummary("void f() { m.unlock(); usleep(1); m.lock(); }"), (Entries{"usleep[m;]"}));
}

TEST(BlockingCalls, WaitOnAParameterGuardFreesThatGuard) {
  EXPECT_EQ(blockingSummary("void f(std::unique_lock<std::mutex> &l) { cv.wait(l); }"),
            (Entries{"std::condition_variable::wait[l;]"}));
}

TEST(BlockingCalls, WaitOnOwnGuardFreesNothingOfTheCaller) {
  EXPECT_EQ(blockingSummary("void f() { std::unique_lock l(m); cv.wait(l); }"),
            (Entries{"std::condition_variable::wait[]"}));
}

TEST(BlockingCalls, AdoptedLockIsUnknownToTheCaller) {
  EXPECT_EQ(blockingSummary("void f(std::mutex *mu) { std::unique_lock l(*mu, std::adopt_lock); cv.wait(l); "
                            "l.release(); }"),
            (Entries{"std::condition_variable::wait[?]"}));
}

TEST(BlockingCalls, IgnoredNamesAreTrimmed) {
  BlockingCatalogueOptions Options;
  Options.Ignored = {"usleep"};
  EXPECT_EQ(blockingSummary("void f() { usleep(1); }", "f", Options), Entries{});
}

TEST(BlockingCalls, ExtraNamesWithoutDefaults) {
  BlockingCatalogueOptions Options;
  Options.Defaults = false;
  Options.Extra = {"slow_rpc"};
  EXPECT_EQ(blockingSummary("int slow_rpc(int);\nvoid f() { usleep(1); slow_rpc(2); }", "f", Options),
            (Entries{"slow_rpc[]"}));
}

} // namespace
