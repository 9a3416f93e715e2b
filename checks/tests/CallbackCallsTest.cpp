//===- CallbackCallsTest.cpp - Which calls run code the caller does not control

#include "AnalysisTestUtil.h"
#include "analysis/CallbackCalls.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {

/// The callbacks \p Fn reaches, described as in messages.
std::vector<std::string> callbacksOf(const std::string &Body, const char *Fn = "f") {
  ParsedCode Code("#include <functional>\nstruct L { virtual ~L(); virtual void on(); void plain(); };\n" + Body);
  EXPECT_TRUE(Code.ok());
  LockEventExtractor Events(Code.model(), Code.context());
  LockSummaries Locks(Events);
  CallbackClassifier Classifier(CallbackOptions{}, Code.context());
  CallSiteSummaries Sites(Events, Locks, Classifier);
  std::vector<std::string> Out;
  for (const SiteSummary &S : Sites.summaryOf(Code.function(Fn)))
    Out.push_back(describeCallback(static_cast<CallbackKind>(S.Direct.Kind), S.Direct.What));
  return Out;
}

using Calls = std::vector<std::string>;

TEST(CallbackCalls, StdFunctionIsACallback) {
  EXPECT_EQ(callbacksOf("void f(std::function<void()> cb) { cb(); }"), (Calls{"callback 'cb'"}));
}

TEST(CallbackCalls, FunctionPointerIsACallback) {
  EXPECT_EQ(callbacksOf("void f(void (*fp)()) { fp(); }"), (Calls{"function pointer 'fp'"}));
}

TEST(CallbackCalls, VirtualOnAnotherObjectIsACallback) {
  EXPECT_EQ(callbacksOf("void f(L &l) { l.on(); }"), (Calls{"virtual function 'L::on' on another object"}));
}

TEST(CallbackCalls, KnownCodeIsNotACallback) {
  EXPECT_EQ(callbacksOf("void g();\nvoid f(L &l) { g(); l.plain(); auto k = [] {}; k(); l.L::on(); }"), Calls{});
}

TEST(CallbackCalls, VirtualOnThisIsNotACallback) {
  EXPECT_EQ(callbacksOf("struct S : L { void on() override; void f() { on(); this->on(); } };", "S::f"), Calls{});
}

TEST(CallbackCalls, TemplateCallableIsACallback) {
  EXPECT_EQ(callbacksOf("template <class F> void run(F f) { f(); }\nvoid f() { run([] {}); }"),
            (Calls{"caller-supplied callable 'f'"}));
}

} // namespace
