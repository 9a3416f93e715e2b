//===- LockOrderFactsTest.cpp - Facts extracted from code, then linked -----===//

#include "AnalysisTestUtil.h"
#include "analysis/FactsExtractor.h"
#include "analysis/FactsFile.h"
#include "analysis/LockOrderLinker.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {

const char *Prelude = R"cpp(
#include <mutex>
#include <shared_mutex>
std::mutex a, b;
)cpp";

TUFacts factsOf(const std::string &Body) {
  ParsedCode Code(std::string(Prelude) + Body);
  EXPECT_TRUE(Code.ok());
  return FactsExtractor(Code.model(), Code.context()).extract();
}

const FunctionFacts *find(const TUFacts &T, const std::string &Name) {
  for (const FunctionFacts &F : T.Functions)
    if (F.Name == Name)
      return &F;
  return nullptr;
}

std::vector<std::string> reportChecks(TUFacts T) {
  LockOrderLinker L;
  L.add(std::move(T));
  L.link();
  std::vector<std::string> Out;
  for (const LockReport &R : L.reports())
    Out.push_back(R.Check);
  return Out;
}

TEST(LockOrderFacts, AcquisitionRecordsHeldLocks) {
  TUFacts T = factsOf("void f() { std::lock_guard ga(a); std::lock_guard gb(b); }");
  const FunctionFacts *F = find(T, "f");
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Acquires.size(), 2u);
  EXPECT_TRUE(F->Acquires[0].Held.empty());
  ASSERT_EQ(F->Acquires[1].Held.size(), 1u);
  EXPECT_EQ(F->Acquires[1].Held[0].Lock.Class, "a");
  EXPECT_EQ(F->Acquires[1].Lock.Class, "b");
  EXPECT_EQ(F->Acquires[1].Site.Line, 5u);
}

TEST(LockOrderFacts, MemberLocksAreClassQualified) {
  TUFacts T = factsOf("struct S { std::mutex mu; void f() { std::lock_guard g(mu); } };");
  const FunctionFacts *F = find(T, "S::f");
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Acquires.size(), 1u);
  EXPECT_EQ(F->Acquires[0].Lock.Class, "S::mu");
  EXPECT_EQ(F->Acquires[0].Lock.Root, FactRoot::This);
  EXPECT_EQ(F->Acquires[0].Lock.Suffix, ".mu");
}

TEST(LockOrderFacts, CallsRecordCalleeReceiverAndHeld) {
  TUFacts T = factsOf("struct S { std::mutex mu; void g(); void f(S &o) { std::lock_guard l(a); o.g(); } };");
  const FunctionFacts *F = find(T, "S::f");
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Calls.size(), 1u);
  EXPECT_EQ(F->Calls[0].CalleeName, "S::g");
  ASSERT_TRUE(F->Calls[0].Receiver);
  EXPECT_EQ(F->Calls[0].Receiver->Root, FactRoot::Param);
  ASSERT_EQ(F->Calls[0].Held.size(), 1u);
}

TEST(LockOrderFacts, LockOperationsAreNotCalls) {
  TUFacts T = factsOf("void f() { a.lock(); a.unlock(); std::unique_lock l(b); l.unlock(); }");
  const FunctionFacts *F = find(T, "f");
  ASSERT_TRUE(F);
  EXPECT_TRUE(F->Calls.empty());
}

TEST(LockOrderFacts, ScopedLockOfTwoHasNoOrderAmongThem) {
  TUFacts T = factsOf("void f() { std::scoped_lock g(a, b); }\n"
                      "void h() { std::lock_guard gb(b); std::lock_guard ga(a); }");
  EXPECT_TRUE(reportChecks(std::move(T)).empty());
}

TEST(LockOrderFacts, InversionInOneUnitIsACycle) {
  TUFacts T = factsOf("void f() { std::lock_guard ga(a); std::lock_guard gb(b); }\n"
                      "void h() { std::lock_guard gb(b); std::lock_guard ga(a); }");
  EXPECT_EQ(reportChecks(std::move(T)), (std::vector<std::string>{LockOrderCheckName}));
}

TEST(LockOrderFacts, TryLockIsMarked) {
  TUFacts T = factsOf("void f() { std::lock_guard ga(a); if (b.try_lock()) b.unlock(); }");
  const FunctionFacts *F = find(T, "f");
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Acquires.size(), 2u);
  EXPECT_TRUE(F->Acquires[1].Try);
}

TEST(LockOrderFacts, VirtualOverridesAreRecorded) {
  TUFacts T = factsOf("struct B { virtual void run(); }; struct D : B { void run() override { a.lock(); a.unlock(); } };\n"
                      "void f(B &x) { x.run(); }");
  const FunctionFacts *D = find(T, "D::run");
  const FunctionFacts *F = find(T, "f");
  ASSERT_TRUE(D && F);
  ASSERT_EQ(D->Overrides.size(), 1u);
  ASSERT_EQ(F->Calls.size(), 1u);
  EXPECT_TRUE(F->Calls[0].Virtual);
  EXPECT_EQ(F->Calls[0].Callee, D->Overrides[0]);
}

TEST(LockOrderFacts, VirtualMethodsSayWhetherTheyAreHarmless) {
  TUFacts T = factsOf("struct B { virtual int get() const = 0; virtual B *copy() const = 0; virtual void run(); };\n"
                      "struct D : B { int n = 0; int get() const override { return n; }\n"
                      "  B *copy() const override { return new D(*this); }\n"
                      "  void run() override { std::lock_guard l(a); } };\n"
                      "void B::run() {}\n"
                      "int plain() { return 1; }");
  for (const char *Harmless : {"D::get", "D::copy", "B::run"}) {
    const FunctionFacts *F = find(T, Harmless);
    ASSERT_TRUE(F) << Harmless;
    EXPECT_EQ(F->Harmless, std::optional<bool>(true)) << Harmless;
  }
  const FunctionFacts *Locks = find(T, "D::run");
  ASSERT_TRUE(Locks);
  EXPECT_EQ(Locks->Harmless, std::optional<bool>(false));
  // Not virtual: no verdict, and no facts at all for a function that
  // neither locks nor calls.
  EXPECT_EQ(find(T, "plain"), nullptr);
}

std::string written(const TUFacts &T) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeFacts(OS, T);
  return OS.str();
}

TEST(FactsFile, RoundTripKeepsEveryField) {
  TUFacts T = factsOf("struct S { std::mutex mu; virtual void g(S *o, int n); void f(S &o) { std::lock_guard l(a);\n"
                      "  if (b.try_lock()) b.unlock(); o.g(this, 1); std::shared_mutex sm; std::shared_lock r(sm); } };");
  T.VirtualCallbacks.push_back({FactLoc{"/src/other.h", 3, 7, 0}, "calling virtual function 'S::g'", "_ZN1S1gEPS_i",
                                true});
  std::string First = written(T);
  llvm::Expected<TUFacts> Back = parseFacts(First);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(written(*Back), First);
  ASSERT_EQ(Back->VirtualCallbacks.size(), 1u);
  EXPECT_EQ(Back->VirtualCallbacks[0].Site.File, "/src/other.h");
  EXPECT_TRUE(Back->VirtualCallbacks[0].MethodIsPure);
  const FunctionFacts *F = find(*Back, "S::f");
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Calls.size(), 1u);
  EXPECT_TRUE(F->Calls[0].Virtual);
  ASSERT_EQ(F->Calls[0].Args.size(), 2u);
  EXPECT_TRUE(F->Calls[0].Args[0].has_value());
  EXPECT_FALSE(F->Calls[0].Args[1].has_value()); // by value: no path
}

TEST(FactsFile, RoundTripKeepsDiscoveredTypesAndConditions) {
  TUFacts T = factsOf("class Section { public: void Lock() { a.lock(); } void Unlock(); };\n"
                      "struct S { Section cs; void apply(bool need) { if (need) cs.Lock(); }\n"
                      "  void g() { apply(false); } };");
  std::string First = written(T);
  llvm::Expected<TUFacts> Back = parseFacts(First);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(written(*Back), First);
  ASSERT_EQ(Back->LockTypes.size(), 1u);
  EXPECT_EQ(Back->LockTypes[0].Name, "Section");
  EXPECT_EQ(Back->LockTypes[0].How, "shape");
  const FunctionFacts *Apply = find(*Back, "S::apply");
  ASSERT_TRUE(Apply);
  ASSERT_EQ(Apply->Acquires.size(), 1u);
  EXPECT_EQ(Apply->Acquires[0].Lock.Type, "Section");
  ASSERT_EQ(Apply->Acquires[0].When.size(), 1u);
  EXPECT_EQ(Apply->Acquires[0].When[0], (std::pair<unsigned, bool>{0, true}));
  const FunctionFacts *G = find(*Back, "S::g");
  ASSERT_TRUE(G);
  ASSERT_EQ(G->Calls.size(), 1u);
  EXPECT_EQ(G->Calls[0].BoolArgs, (std::vector<std::optional<bool>>{false}));
}

/// The checks of the findings when \p User is linked with a unit that
/// found only \p Verdict.
std::vector<std::string> reportChecksWith(TUFacts User, LockTypeFact Verdict) {
  TUFacts Definer;
  Definer.LockTypes.push_back(std::move(Verdict));
  LockOrderLinker L;
  L.add(std::move(User));
  L.add(std::move(Definer));
  L.link();
  std::vector<std::string> Out;
  for (const LockReport &R : L.reports())
    Out.push_back(R.Check);
  return Out;
}

const char *EventUser = "class Event { public: void Lock(); void Unlock(); };\n"
                        "struct S { Event ready; void f() { ready.Lock(); ready.Lock(); } };";

TEST(LockOrderLinker, RecursiveTypeLearntFromAnotherUnitAppliesEverywhere) {
  TUFacts User = factsOf("class Section { public: Section(); void Lock(); void Unlock(); };\n"
                         "struct S { Section cs; void f() { cs.Lock(); g(); cs.Unlock(); } void g() { cs.Lock(); cs.Unlock(); } };");
  EXPECT_EQ(reportChecks(User), std::vector<std::string>{DoubleLockCheckName});
  EXPECT_TRUE(reportChecksWith(std::move(User), {"Section", FactMutexKind::Recursive, "body", true, {}}).empty());
}

TEST(LockOrderLinker, BodiesSayingNoMutexOverruleTheShapeRuleOfOtherUnits) {
  TUFacts User = factsOf(EventUser);
  EXPECT_EQ(reportChecks(User), std::vector<std::string>{DoubleLockCheckName});
  EXPECT_TRUE(reportChecksWith(std::move(User), {"Event", FactMutexKind::Plain, "body", /*IsLock=*/false, {}}).empty());
}

TEST(LockOrderLinker, BodiesSayingAMutexKeepTheShapeRulesVerdict) {
  EXPECT_EQ(reportChecksWith(factsOf(EventUser), {"Event", FactMutexKind::Plain, "body", /*IsLock=*/true, {}}),
            std::vector<std::string>{DoubleLockCheckName});
}

TEST(LockOrderLinker, WrapperOfAClassFoundRecursiveElsewhereIsRecursive) {
  TUFacts User = factsOf("class Section { public: Section(); void Lock(); void Unlock(); };\n"
                         "class State { public: void Lock() { cs.Lock(); } void Unlock() { cs.Unlock(); } Section cs; };\n"
                         "struct S { State st; void f() { st.Lock(); st.Lock(); } };");
  EXPECT_EQ(reportChecks(User), std::vector<std::string>{DoubleLockCheckName});
  ASSERT_EQ(User.LockTypes.size(), 2u);
  EXPECT_EQ(User.LockTypes[1].Name, "State");
  EXPECT_EQ(User.LockTypes[1].Wraps, "Section");
  EXPECT_TRUE(reportChecksWith(std::move(User), {"Section", FactMutexKind::Recursive, "body", true, {}}).empty());
}

TEST(FactsFile, RoundTripKeepsVerdictsThatAClassIsNoMutex) {
  TUFacts T;
  T.LockTypes.push_back({"Event", FactMutexKind::Plain, "body", false, {}});
  T.LockTypes.push_back({"State", FactMutexKind::Plain, "body", true, "Section"});
  std::string First = written(T);
  EXPECT_NE(First.find(R"({"how":"body","kind":"none","name":"Event"})"), std::string::npos) << First;
  llvm::Expected<TUFacts> Back = parseFacts(First);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->LockTypes.size(), 2u);
  EXPECT_FALSE(Back->LockTypes[0].IsLock);
  EXPECT_EQ(Back->LockTypes[1].Wraps, "Section");
  EXPECT_EQ(written(*Back), First);
}

/// The unit's stores into lock pointer members, one "field=class path
/// [copy]" each, "?" for a class it cannot name.
std::vector<std::string> lockPointerStores(const std::string &Code) {
  std::vector<std::string> Out;
  for (const LockPointerStoreFact &S : factsOf(Code).LockPointerStores)
    Out.push_back(S.Field + "=" + (S.Copy ? "copy" : S.Class.empty() ? "?" : S.Class) +
                  (S.Path.empty() ? "" : " " + S.Path));
  return Out;
}

TEST(LockPointerStores, EveryFormOfStoreIsRecorded) {
  EXPECT_EQ(lockPointerStores(R"cpp(
    struct Info { std::mutex *lock = nullptr; };
    struct Table {
      std::mutex mu_, other_mu_;
      std::mutex *self_ = &mu_;              // default member initializer
      std::mutex &ref_;
      Table(Table &o) : self_(&o.mu_), ref_(other_mu_) {}
      void prepare(Info *i) { i->lock = &mu_; }
      Info make() { return Info{&other_mu_}; }
      Info named() { return Info{.lock = &a}; }
    };
  )cpp"),
            (std::vector<std::string>{"Info::lock=Table::mu_", "Info::lock=Table::other_mu_", "Info::lock=a",
                                      "Table::ref_=Table::other_mu_ .other_mu_", "Table::self_=Table::mu_",
                                      "Table::self_=Table::mu_ .mu_"}));
}

TEST(LockPointerStores, AggregatesWithElidedBracesAreRead) {
  EXPECT_EQ(lockPointerStores(R"cpp(
    struct Inner { std::mutex *lock; };
    struct Outer { Inner in; int n; };
    Outer o = {&a, 1};
    Outer p = {{&b}, 2};
  )cpp"),
            (std::vector<std::string>{"Inner::lock=a", "Inner::lock=b"}));
}

TEST(LockPointerStores, NullAndConstructorParametersAreNoStores) {
  // A parameter in a member initializer is the constructor's fieldParams.
  EXPECT_TRUE(lockPointerStores(R"cpp(
    struct Handler {
      std::mutex *mu_ = nullptr;
      explicit Handler(std::mutex *mu) : mu_(mu) {}
      void reset() { mu_ = nullptr; mu_ = 0; }
    };
  )cpp").empty());
}

TEST(LockPointerStores, ParametersCallsAndOtherPointersAreUnknown) {
  EXPECT_EQ(lockPointerStores(R"cpp(
    std::mutex *pick(int shard); // a parameterless pick() would be a global accessor
    struct Pass {
      std::mutex *lock = nullptr, *spare = nullptr;
      void rebind(std::mutex *m) { lock = m; }
      void choose() { lock = pick(1); }
      void follow() { lock = spare; }
    };
  )cpp"),
            (std::vector<std::string>{"Pass::lock=?"}));
}

TEST(LockPointerStores, CopiesOfTheMemberAreMarked) {
  EXPECT_EQ(lockPointerStores(R"cpp(
    struct Ref {
      std::mutex *lock = &a;
    };
    struct Holder { Ref ref; };
    Holder copy_of(Holder &h) { Holder c = h; return c; }
    struct Moved {
      std::mutex *lock;
      Moved(Moved &&o) : lock(o.lock) {}
    };
  )cpp"),
            (std::vector<std::string>{"Moved::lock=copy", "Ref::lock=copy", "Ref::lock=a"}));
}

TEST(LockPointerStores, AnAccessorNamesTheMemberItReturns) {
  EXPECT_EQ(lockPointerStores(R"cpp(
    struct Db {
      std::mutex mu_;
      std::mutex *mutex() { return &mu_; }
    };
    struct Job { std::mutex *lock; };
    void attach(Job *j, Db *db) { j->lock = db->mutex(); }
  )cpp"),
            (std::vector<std::string>{"Job::lock=Db::mu_"}));
}

TEST(LockPointerStores, AReferenceWrapperIsALockPointer) {
  EXPECT_EQ(lockPointerStores(R"cpp(
    #include <functional>
    struct Journal {
      std::mutex page_mu_;
      std::reference_wrapper<std::mutex> page_;
      explicit Journal(std::mutex &m) : page_(m) {}
      void own() { page_ = std::ref(page_mu_); }
      void global() { page_ = a; }
    };
  )cpp"),
            (std::vector<std::string>{"Journal::page_=?", "Journal::page_=Journal::page_mu_ .page_mu_",
                                      "Journal::page_=a"}));
}

TEST(LockOrderLinker, LocksThroughAReferenceWrapperAreItsMember) {
  // Before, every reference wrapper's lock was one class named after
  // `get()` or the conversion, and these two were two different locks.
  TUFacts T = factsOf("#include <functional>\n"
                      "struct Journal { std::reference_wrapper<std::mutex> page_{a};\n"
                      "  void f() { std::lock_guard<std::mutex> g(page_); page_.get().lock(); } };");
  const FunctionFacts *F = find(T, "Journal::f");
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Acquires.size(), 2u);
  EXPECT_EQ(F->Acquires[0].Lock.Class, "Journal::page_");
  EXPECT_EQ(F->Acquires[1].Lock.Key, "this.page_");
  EXPECT_EQ(reportChecks(std::move(T)), std::vector<std::string>{DoubleLockCheckName});
}

TEST(FactsFile, RoundTripKeepsLockPointerStores) {
  TUFacts T;
  T.LockPointerStores = {{"Table::self_", "Table::mu_", ".mu_", false},
                         {"Info::lock", "", "", false},
                         {"Info::lock", "", "", true}};
  std::string First = written(T);
  EXPECT_NE(First.find(R"("lockPointerStores":[{"class":"Table::mu_","field":"Table::self_","path":".mu_"},)"
                       R"({"field":"Info::lock"},{"copy":true,"field":"Info::lock"}])"),
            std::string::npos)
      << First;
  llvm::Expected<TUFacts> Back = parseFacts(First);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(written(*Back), First);
}

TEST(FactsFile, BadLockPointerStoresAreErrors) {
  for (const char *Stores : {R"(["Info::lock"])", R"([{"class":"Table::mu_"}])",
                             R"([{"field":"Table::self_","path":".mu_"}])",
                             R"([{"field":"Table::self_","class":"Table::mu_","path":"mu_"}])"}) {
    llvm::Expected<TUFacts> Bad = parseFacts(std::string(R"({"format":"lockgraph_facts","version":3,)") +
                                             R"("mainFile":"a.cpp","files":[],"functions":[],"lockPointerStores":)" +
                                             Stores + "}");
    EXPECT_FALSE(bool(Bad)) << Stores;
    if (!Bad)
      llvm::consumeError(Bad.takeError());
  }
}

TEST(FactsFile, OtherVersionsAreRejected) {
  llvm::Expected<TUFacts> Old = parseFacts(R"({"format":"lockgraph_facts","version":0,"functions":[]})");
  ASSERT_FALSE(bool(Old));
  EXPECT_NE(llvm::toString(Old.takeError()).find("version 0"), std::string::npos);
  llvm::Expected<TUFacts> Other = parseFacts(R"({"format":"something-else","version":1})");
  EXPECT_FALSE(bool(Other));
  llvm::consumeError(Other.takeError());
}

TEST(FactsFile, BadLocationIsAnError) {
  llvm::Expected<TUFacts> Bad = parseFacts(R"({"format":"lockgraph_facts","version":3,"mainFile":"a.cpp","files":[],)"
                                           R"("functions":[{"id":"f","name":"f","at":[3,1,1]}]})");
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("file table"), std::string::npos);
}

} // namespace
