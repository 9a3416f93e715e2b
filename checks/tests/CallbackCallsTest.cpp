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
  EXPECT_EQ(callbacksOf("template <class F> void run(F f) { f(); }\nstruct Fn { void operator()(); };\n"
                        "void f(Fn fn) { run(fn); }"),
            (Calls{"caller-supplied callable 'f'"}));
}

// A callable bound to a lambda the caller wrote runs that lambda: what it
// reaches is the caller's, and nothing when it calls nothing unknown.
TEST(CallbackCalls, OwnLambdaRunsItsBody) {
  const std::string Run = "template <class F> void run(F f) { f(); }\nvoid each(const std::function<void()> &fn) { fn(); }\n";
  EXPECT_EQ(callbacksOf(Run + "void f() { run([] {}); each([] {}); }"), Calls{});
  EXPECT_EQ(callbacksOf(Run + "void f(L &l) { run([&l] { l.on(); }); }"),
            (Calls{"virtual function 'L::on' on another object"}));
  EXPECT_EQ(callbacksOf(Run + "void f(std::function<void()> cb) { each(cb); }"), (Calls{"callback 'fn'"}));
}

// A member held by value runs its own class's code, however the object
// holding it is reached; through a pointer it may be any override.
TEST(CallbackCalls, MemberHeldByValueIsNotDispatched) {
  const std::string Data = "struct D { L arr[2]; L one; L *ptr; };\n";
  EXPECT_EQ(callbacksOf(Data + "void f(D *d) { d->arr[1].on(); d->one.on(); }"), Calls{});
  EXPECT_EQ(callbacksOf(Data + "void f(D *d, L *p) { d->ptr->on(); p[1].on(); }"),
            (Calls{"virtual function 'L::on' on another object", "virtual function 'L::on' on another object"}));
}

} // namespace
