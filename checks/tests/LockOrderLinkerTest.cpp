//===- LockOrderLinkerTest.cpp - Facts of several TUs linked into findings -===//

#include "analysis/LockOrderLinker.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

FactLoc at(const char *File, unsigned Line) { return FactLoc{File, Line, 1, 0}; }

LockRef global(const std::string &Name) {
  LockRef L;
  L.Class = Name;
  L.Key = "@" + Name;
  L.Spelling = Name;
  L.Root = FactRoot::Global;
  return L;
}

LockRef member(const std::string &Class, const std::string &Field, FactRoot Root = FactRoot::This,
               const std::string &Base = "this", unsigned Param = 0) {
  LockRef L;
  L.Class = Class + "::" + Field;
  L.Key = Base + "." + Field;
  L.Suffix = "." + Field;
  L.Spelling = Field;
  L.Root = Root;
  L.Param = Param;
  return L;
}

LockRef path(const std::string &Key, FactRoot Root, const std::string &Class = "") {
  LockRef L;
  L.Key = Key;
  L.Spelling = Key;
  L.Root = Root;
  L.Class = Class;
  return L;
}

HeldFact held(LockRef L, FactLoc At) { return HeldFact{std::move(L), At, false, true}; }

AcquireFact acquire(LockRef L, FactLoc Site, std::vector<HeldFact> Held = {}) {
  AcquireFact A;
  A.Lock = std::move(L);
  A.Site = Site;
  A.Held = std::move(Held);
  return A;
}

CallFact call(const std::string &Callee, FactLoc Site, std::vector<HeldFact> Held) {
  CallFact C;
  C.Callee = Callee;
  C.CalleeName = Callee;
  C.Site = Site;
  C.Held = std::move(Held);
  return C;
}

FunctionFacts function(const std::string &Name) {
  FunctionFacts F;
  F.Id = F.Name = Name;
  return F;
}

TUFacts unit(std::vector<FunctionFacts> Fs) {
  TUFacts T;
  T.Functions = std::move(Fs);
  return T;
}

std::vector<LockReport> link(std::vector<TUFacts> Units) {
  LockOrderLinker L;
  for (TUFacts &U : Units)
    L.add(std::move(U));
  L.link();
  return L.reports();
}

TEST(LockOrderLinker, CycleAcrossTwoUnitsThroughCalls) {
  // cache.cpp: Cache::get holds Cache::mu and calls Stats::record.
  // stats.cpp: Stats::flush holds Stats::mu and calls Cache::evict.
  FunctionFacts Get = function("Cache::get"), Evict = function("Cache::evict");
  FunctionFacts Record = function("Stats::record"), Flush = function("Stats::flush");
  Evict.Acquires.push_back(acquire(member("Cache", "mu"), at("cache.cpp", 20)));
  Get.Calls.push_back(call("Stats::record", at("cache.cpp", 11), {held(member("Cache", "mu"), at("cache.cpp", 10))}));
  Record.Acquires.push_back(acquire(member("Stats", "mu"), at("stats.cpp", 5)));
  Flush.Calls.push_back(call("Cache::evict", at("stats.cpp", 31), {held(member("Stats", "mu"), at("stats.cpp", 30))}));
  auto Reports = link({unit({Get, Evict}), unit({Record, Flush})});
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_EQ(Reports[0].Check, LockOrderCheckName);
  EXPECT_EQ(Reports[0].Cycle, (std::vector<std::string>{"Cache::mu", "Stats::mu"}));
  EXPECT_EQ(Reports[0].Where.File, "cache.cpp");
  // Per edge: where the held lock was taken, the call, the acquisition.
  ASSERT_EQ(Reports[0].Notes.size(), 6u);
  EXPECT_EQ(Reports[0].Notes[1].Where.Line, 11u);
  EXPECT_EQ(Reports[0].Notes[2].Where.File, "stats.cpp");
  EXPECT_EQ(Reports[0].Notes[5].Where.Line, 20u);
}

TEST(LockOrderLinker, EdgeWitnessIsTheShortestChainNotTheFirst) {
  // 'a' -> 'b' is seen first through a -> deep -> deeper -> takeB (sorted
  // first by name), then directly in 'direct': the direct one is kept.
  FunctionFacts Deep = function("deep"), Deeper = function("deeper"), TakeB = function("takeB");
  FunctionFacts A1 = function("a1"), Direct = function("direct");
  TakeB.Acquires.push_back(acquire(global("b"), at("b.cpp", 3)));
  Deeper.Calls.push_back(call("takeB", at("b.cpp", 10), {}));
  Deep.Calls.push_back(call("deeper", at("b.cpp", 20), {}));
  A1.Calls.push_back(call("deep", at("a.cpp", 5), {held(global("a"), at("a.cpp", 4))}));
  Direct.Acquires.push_back(acquire(global("b"), at("z.cpp", 9), {held(global("a"), at("z.cpp", 8))}));
  LockOrderLinker L;
  L.add(unit({Deep, Deeper, TakeB, A1, Direct}));
  L.link();
  ASSERT_EQ(L.edges().size(), 1u);
  EXPECT_EQ(L.edges()[0].Witnesses, 2u);
  EXPECT_TRUE(L.edges()[0].Witness.Chain.empty());
  EXPECT_EQ(L.edges()[0].Witness.AcquiredAt.Line, 9u);
}

TEST(LockOrderLinker, FunctionDefinedInTwoUnitsCountsOnce) {
  FunctionFacts F = function("inline_ab");
  F.Acquires.push_back(acquire(global("b"), at("h.h", 2), {held(global("a"), at("h.h", 1))}));
  LockOrderLinker L;
  L.add(unit({F}));
  L.add(unit({F}));
  L.link();
  EXPECT_EQ(L.functionCount(), 1u);
  ASSERT_EQ(L.edges().size(), 1u);
  EXPECT_EQ(L.edges()[0].Witnesses, 1u);
}

TEST(LockOrderLinker, CommonGateLockSuppressesCycle) {
  FunctionFacts AB = function("ab"), BA = function("ba");
  AB.Acquires.push_back(
      acquire(global("b"), at("x.cpp", 3), {held(global("gate"), at("x.cpp", 1)), held(global("a"), at("x.cpp", 2))}));
  BA.Acquires.push_back(
      acquire(global("a"), at("y.cpp", 3), {held(global("gate"), at("y.cpp", 1)), held(global("b"), at("y.cpp", 2))}));
  EXPECT_TRUE(link({unit({AB}), unit({BA})}).empty());
  // Without the gate in one of them, the cycle is real.
  BA.Acquires[0].Held.erase(BA.Acquires[0].Held.begin());
  EXPECT_EQ(link({unit({AB}), unit({BA})}).size(), 1u);
}

TEST(LockOrderLinker, TryLockAddsNoEdge) {
  FunctionFacts AB = function("ab"), BA = function("ba");
  AB.Acquires.push_back(acquire(global("b"), at("x.cpp", 2), {held(global("a"), at("x.cpp", 1))}));
  BA.Acquires.push_back(acquire(global("a"), at("y.cpp", 2), {held(global("b"), at("y.cpp", 1))}));
  BA.Acquires[0].Try = true;
  LockOrderLinker L;
  L.add(unit({AB, BA}));
  L.link();
  EXPECT_EQ(L.edges().size(), 1u);
  EXPECT_TRUE(L.reports().empty());
}

TEST(LockOrderLinker, VirtualCallReachesOverrides) {
  FunctionFacts Caller = function("run_all"), Impl = function("Impl::run"), Other = function("other");
  Impl.Overrides = {"Base::run"};
  Impl.Acquires.push_back(acquire(global("worker"), at("impl.cpp", 4)));
  CallFact C = call("Base::run", at("main.cpp", 9), {held(global("registry"), at("main.cpp", 8))});
  C.Virtual = true;
  Caller.Calls.push_back(C);
  Other.Acquires.push_back(acquire(global("registry"), at("o.cpp", 2), {held(global("worker"), at("o.cpp", 1))}));
  auto Reports = link({unit({Caller}), unit({Impl}), unit({Other})});
  ASSERT_EQ(Reports.size(), 1u);
  // A non-virtual (qualified) call does not dispatch.
  Caller.Calls[0].Virtual = false;
  EXPECT_TRUE(link({unit({Caller}), unit({Impl}), unit({Other})}).empty());
}

TEST(LockOrderLinker, BaseBodyListedOnlyForItsVerdictIsNoSecondOverride) {
  // Base::run has an empty body: its facts carry only the callback verdict.
  // Dispatch still reaches one override with a body, not "one of two".
  FunctionFacts Caller = function("run_all"), Impl = function("Impl::run"), Other = function("other");
  FunctionFacts EmptyBase = function("Base::run");
  EmptyBase.Harmless = true;
  Impl.Overrides = {"Base::run"};
  Impl.Harmless = false;
  Impl.Acquires.push_back(acquire(global("worker"), at("impl.cpp", 4)));
  CallFact C = call("Base::run", at("main.cpp", 9), {held(global("registry"), at("main.cpp", 8))});
  C.Virtual = true;
  Caller.Calls.push_back(C);
  Other.Acquires.push_back(acquire(global("registry"), at("o.cpp", 2), {held(global("worker"), at("o.cpp", 1))}));
  auto Reports = link({unit({Caller, EmptyBase}), unit({Impl}), unit({Other})});
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_FALSE(Reports[0].Assumed);
}

TEST(LockOrderLinker, DoubleLockThroughMemberCallOnSameObject) {
  FunctionFacts Outer = function("A::outer"), Inner = function("A::inner");
  Inner.Acquires.push_back(acquire(member("A", "mu"), at("a.cpp", 20)));
  CallFact C = call("A::inner", at("a.cpp", 11), {held(member("A", "mu"), at("a.cpp", 10))});
  C.Receiver = path("this", FactRoot::This, "A");
  Outer.Calls.push_back(C);
  auto Reports = link({unit({Outer, Inner})});
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_EQ(Reports[0].Check, DoubleLockCheckName);
  EXPECT_EQ(Reports[0].Where.Line, 11u);

  // On another object of the class it is same-class nesting instead.
  Outer.Calls[0].Receiver = path("param#0:other", FactRoot::Param, "A");
  Reports = link({unit({Outer, Inner})});
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_EQ(Reports[0].Check, LockOrderCheckName);
  EXPECT_NE(Reports[0].Message.find("two locks of class 'A::mu'"), std::string::npos);
}

TEST(LockOrderLinker, CalleeThatUnlocksAndRelocksIsNotADoubleLock) {
  // A::slowLocked() { mu.unlock(); io(); mu.lock(); } called with mu held.
  FunctionFacts Outer = function("A::write"), Slow = function("A::slowLocked");
  AcquireFact Relock = acquire(member("A", "mu"), at("a.cpp", 22));
  Relock.ReleasedBefore.push_back(member("A", "mu"));
  Slow.Acquires.push_back(Relock);
  CallFact C = call("A::slowLocked", at("a.cpp", 11), {held(member("A", "mu"), at("a.cpp", 10))});
  C.Receiver = path("this", FactRoot::This, "A");
  Outer.Calls.push_back(C);
  EXPECT_TRUE(link({unit({Outer, Slow})}).empty());
  // Without the unlock it is one.
  Slow.Acquires[0].ReleasedBefore.clear();
  EXPECT_EQ(link({unit({Outer, Slow})}).size(), 1u);
}

TEST(LockOrderLinker, RecursiveMutexReentryIsNotADoubleLock) {
  FunctionFacts F = function("f");
  LockRef R = global("rm");
  R.Kind = FactMutexKind::Recursive;
  F.Acquires.push_back(acquire(R, at("f.cpp", 2), {held(R, at("f.cpp", 1))}));
  EXPECT_TRUE(link({unit({F})}).empty());
}

TEST(LockOrderLinker, SharedToExclusiveUpgradeIsADoubleLock) {
  FunctionFacts F = function("f");
  LockRef S = global("sm");
  S.Kind = FactMutexKind::Shared;
  HeldFact H = held(S, at("f.cpp", 1));
  H.Shared = true;
  F.Acquires.push_back(acquire(S, at("f.cpp", 2), {H}));
  auto Reports = link({unit({F})});
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_NE(Reports[0].Message.find("exclusively while already held shared"), std::string::npos);
  // Shared twice is not.
  F.Acquires[0].Shared = true;
  EXPECT_TRUE(link({unit({F})}).empty());
}

TEST(LockOrderLinker, ParameterResolvedAtCallSite) {
  // void lockBoth(std::mutex &first) { first.lock(); lock(g2); } called as
  // lockBoth(g1) from one place; elsewhere g2 then g1.
  FunctionFacts Helper = function("lockBoth"), Caller = function("caller"), Other = function("other");
  LockRef First = path("param#0:first", FactRoot::Param, "lockBoth()::first");
  Helper.Acquires.push_back(acquire(First, at("h.cpp", 2)));
  Helper.Acquires.push_back(acquire(global("g2"), at("h.cpp", 3), {held(First, at("h.cpp", 2))}));
  CallFact C = call("lockBoth", at("c.cpp", 5), {});
  C.Args.push_back(global("g1"));
  Caller.Calls.push_back(C);
  Other.Acquires.push_back(acquire(global("g1"), at("o.cpp", 2), {held(global("g2"), at("o.cpp", 1))}));
  Caller.Acquires.push_back(acquire(global("g3"), at("c.cpp", 6)));
  // The edge inside lockBoth is first -> g2 in its own terms; the caller's
  // call made while holding g0 resolves `first` to g1.
  Caller.Calls[0].Held = {held(global("g0"), at("c.cpp", 4))};
  LockOrderLinker L;
  L.add(unit({Helper, Caller, Other}));
  L.link();
  bool G0ToG1 = false;
  for (const LockEdge &E : L.edges())
    G0ToG1 |= E.From == "g0" && E.To == "g1";
  EXPECT_TRUE(G0ToG1);
}

TEST(LockOrderLinker, UnknownArgumentForBareParameterAddsNoEdge) {
  FunctionFacts Helper = function("lockIt"), Caller = function("caller");
  Helper.Acquires.push_back(acquire(path("param#0:m", FactRoot::Param, "lockIt()::m"), at("h.cpp", 2)));
  Caller.Calls.push_back(call("lockIt", at("c.cpp", 5), {held(global("g"), at("c.cpp", 4))}));
  Caller.Calls[0].Args.push_back(std::nullopt);
  LockOrderLinker L;
  L.add(unit({Helper, Caller}));
  L.link();
  EXPECT_TRUE(L.edges().empty());
}

TEST(LockOrderLinker, RecursionTerminates) {
  FunctionFacts F = function("f"), G = function("g");
  F.Calls.push_back(call("g", at("f.cpp", 1), {held(global("a"), at("f.cpp", 0))}));
  G.Calls.push_back(call("f", at("g.cpp", 1), {}));
  G.Acquires.push_back(acquire(global("b"), at("g.cpp", 2)));
  LockOrderLinker L;
  L.add(unit({F, G}));
  L.link();
  ASSERT_EQ(L.edges().size(), 1u);
  EXPECT_EQ(L.edges()[0].To, "b");
}

} // namespace

TEST(LockOrderLinker, DispatchToOneOfSeveralOverridesIsAnAssumption) {
  // run_all holds registry and calls Job::run virtually; of its two
  // overrides only Logging::run takes worker. worker -> registry elsewhere.
  FunctionFacts Caller = function("run_all"), Logging = function("Logging::run"), Quiet = function("Quiet::run");
  FunctionFacts Other = function("other");
  Logging.Overrides = {"Job::run"};
  Quiet.Overrides = {"Job::run"};
  Logging.Acquires.push_back(acquire(global("worker"), at("j.cpp", 5)));
  Quiet.Calls.push_back(call("log", at("j.cpp", 7), {}));
  CallFact C = call("Job::run", at("j.cpp", 10), {held(global("registry"), at("j.cpp", 9))});
  C.Virtual = true;
  Caller.Calls.push_back(C);
  Other.Acquires.push_back(acquire(global("registry"), at("j.cpp", 21), {held(global("worker"), at("j.cpp", 20))}));
  EXPECT_TRUE(link({unit({Caller, Logging, Quiet, Other})}).empty());

  LinkOptions Every;
  Every.AssumeEveryOverride = true;
  LockOrderLinker L(Every);
  L.add(unit({Caller, Logging, Quiet, Other}));
  L.link();
  ASSERT_EQ(L.reports().size(), 1u);
  EXPECT_TRUE(L.reports()[0].Assumed);
  bool Noted = llvm::any_of(L.reports()[0].Notes, [](const LockReportNote &N) {
    return N.Message.find("assumed: the call to 'Job::run' may run 'Logging::run', one of 2 overrides") == 0;
  });
  EXPECT_TRUE(Noted);
  // The edge stays in the graph either way, marked assumed.
  ASSERT_EQ(link({unit({Caller, Logging, Quiet, Other})}).size(), 0u);
  LockOrderLinker Default;
  Default.add(unit({Caller, Logging, Quiet, Other}));
  Default.link();
  bool AssumedEdge = llvm::any_of(Default.edges(), [](const LockEdge &E) {
    return E.From == "registry" && E.To == "worker" && E.Assumed;
  });
  EXPECT_TRUE(AssumedEdge);
}

TEST(LockOrderLinker, FreshLockOrdersNothingButStillDoubleLocks) {
  FunctionFacts AB = function("ab"), BA = function("ba");
  LockRef FreshB = member("Session", "mu", FactRoot::Local, "local:s#0");
  FreshB.Fresh = true;
  AB.Acquires.push_back(acquire(FreshB, at("x.cpp", 2), {held(global("a"), at("x.cpp", 1))}));
  BA.Acquires.push_back(
      acquire(global("a"), at("y.cpp", 2), {held(member("Session", "mu", FactRoot::Param, "param#0:s"), at("y.cpp", 1))}));
  LockOrderLinker L;
  L.add(unit({AB, BA}));
  L.link();
  EXPECT_TRUE(L.reports().empty());
  EXPECT_EQ(L.edges().size(), 1u); // only Session::mu -> a
  // Locking a fresh object's mutex twice is still a self-deadlock.
  FunctionFacts Twice = function("twice");
  Twice.Acquires.push_back(acquire(FreshB, at("z.cpp", 2), {held(FreshB, at("z.cpp", 1))}));
  auto Reports = link({unit({Twice})});
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_EQ(Reports[0].Check, DoubleLockCheckName);
}

TEST(LockOrderLinker, CalleeUnlockingTheCallersGuardReleasesItsLock) {
  // drain holds queue (owned by guard lk) and calls flush(lk), which
  // unlocks its guard parameter before write_out takes io.
  FunctionFacts Drain = function("drain"), Flush = function("flush"), Write = function("write_out");
  FunctionFacts Other = function("io_then_queue");
  Write.Acquires.push_back(acquire(global("io"), at("q.cpp", 1)));
  CallFact W = call("write_out", at("q.cpp", 4), {});
  W.ReleasedBefore.push_back(path("param#0:held", FactRoot::Param));
  Flush.Calls.push_back(W);
  HeldFact Q = held(global("queue"), at("q.cpp", 9));
  Q.Guard = "local:lk#0";
  CallFact F = call("flush", at("q.cpp", 10), {Q});
  F.Args.push_back(path("local:lk#0", FactRoot::Local));
  Drain.Calls.push_back(F);
  Other.Acquires.push_back(acquire(global("queue"), at("q.cpp", 21), {held(global("io"), at("q.cpp", 20))}));
  EXPECT_TRUE(link({unit({Drain, Flush, Write, Other})}).empty());
  // Without the guard recorded, the caller's lock seems held throughout.
  Drain.Calls[0].Held[0].Guard.clear();
  EXPECT_EQ(link({unit({Drain, Flush, Write, Other})}).size(), 1u);
}

TEST(LockOrderLinker, ParentThenChildAlongOneRelationIsAnOrder) {
  FunctionFacts Down = function("link_after"), Up = function("unlink_next");
  Down.Acquires.push_back(acquire(member("Node", "mu", FactRoot::Param, "param#0:n.next"), at("n.cpp", 2),
                                  {held(member("Node", "mu", FactRoot::Param, "param#0:n"), at("n.cpp", 1))}));
  EXPECT_TRUE(link({unit({Down})}).empty());
  Up.Acquires.push_back(acquire(member("Node", "mu", FactRoot::Param, "param#0:n"), at("n.cpp", 6),
                                {held(member("Node", "mu", FactRoot::Param, "param#0:n.next"), at("n.cpp", 5))}));
  auto Reports = link({unit({Down, Up})});
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_EQ(Reports[0].Where.Line, 6u);
}

TEST(LockOrderLinker, HidingMemberIsAnotherLock) {
  // Derived::update holds this.lock (Derived::lock) and calls Base::touch,
  // which takes this.lock (Base::lock): same path, two mutexes.
  FunctionFacts Update = function("Derived::update"), Touch = function("Base::touch");
  Touch.Acquires.push_back(acquire(member("Base", "lock"), at("h.cpp", 3)));
  CallFact C = call("Base::touch", at("h.cpp", 9), {held(member("Derived", "lock"), at("h.cpp", 8))});
  C.Receiver = path("this", FactRoot::This, "Derived");
  Update.Calls.push_back(C);
  LockOrderLinker L;
  L.add(unit({Update, Touch}));
  L.link();
  EXPECT_TRUE(L.reports().empty());
  ASSERT_EQ(L.edges().size(), 1u);
  EXPECT_EQ(L.edges()[0].From, "Derived::lock");
  EXPECT_EQ(L.edges()[0].To, "Base::lock");
}

namespace {

/// f holds A and calls g; g takes B, then C while B is held, and also calls
/// h, which takes C alone; k takes C, then A.
std::vector<TUFacts> calleeTakesUnderItsOwnLock(bool AlsoWithoutB) {
  FunctionFacts F = function("f"), G = function("g"), H = function("h"), K = function("k");
  F.Calls.push_back(call("g", at("a.cpp", 2), {held(global("A"), at("a.cpp", 1))}));
  G.Acquires.push_back(acquire(global("B"), at("a.cpp", 10)));
  G.Acquires.push_back(acquire(global("C"), at("a.cpp", 11), {held(global("B"), at("a.cpp", 10))}));
  if (AlsoWithoutB)
    G.Calls.push_back(call("h", at("a.cpp", 13), {}));
  H.Acquires.push_back(acquire(global("C"), at("a.cpp", 20)));
  K.Acquires.push_back(acquire(global("C"), at("a.cpp", 30)));
  K.Acquires.push_back(acquire(global("A"), at("a.cpp", 31), {held(global("C"), at("a.cpp", 30))}));
  return {unit({F, G, H, K})};
}

TEST(LockOrderLinker, AnOrderThroughTheCalleesOwnLockIsNoEdgeOfItsOwn) {
  // A -> C only through B, which g holds: A -> B -> C implies it, and the
  // one cycle is A -> B -> C -> A.
  LockOrderLinker L;
  for (TUFacts &U : calleeTakesUnderItsOwnLock(false))
    L.add(std::move(U));
  L.link();
  std::vector<std::pair<std::string, std::string>> Edges;
  for (const LockEdge &E : L.edges())
    Edges.push_back({E.From, E.To});
  EXPECT_EQ(Edges, (std::vector<std::pair<std::string, std::string>>{{"A", "B"}, {"B", "C"}, {"C", "A"}}));
  ASSERT_EQ(L.reports().size(), 1u);
  EXPECT_EQ(L.reports()[0].Message.rfind("lock-order cycle 'A' -> 'B' -> 'C' -> 'A'", 0), 0u)
      << L.reports()[0].Message;
}

TEST(LockOrderLinker, AnOrderAlsoTakenWithoutTheCalleesLockIsAnEdge) {
  // g also reaches C through h with B not held: A -> C is a direct order,
  // and the component {A, B, C} has two cycles, one finding.
  LockOrderLinker L;
  for (TUFacts &U : calleeTakesUnderItsOwnLock(true))
    L.add(std::move(U));
  L.link();
  size_t AToC = 0;
  for (const LockEdge &E : L.edges())
    AToC += E.From == "A" && E.To == "C";
  EXPECT_EQ(AToC, 1u);
  ASSERT_EQ(L.reports().size(), 1u);
  EXPECT_EQ(L.reports()[0].Message.rfind("lock-order cycles among 3 locks 'A', 'B', 'C': 4 orders between them form 2 "
                                         "cycles",
                                         0),
            0u)
      << L.reports()[0].Message;
}

TEST(LockOrderLinker, DepthLimitIsRecordedWhereItBites) {
  // A chain of 5 calls with a limit of 3: the link says where it stopped.
  std::vector<FunctionFacts> Chain;
  for (int I = 0; I < 5; ++I) {
    FunctionFacts F = function("c" + std::to_string(I));
    if (I < 4)
      F.Calls.push_back(call("c" + std::to_string(I + 1), at("c.cpp", 10 * I), {held(global("A"), at("c.cpp", 1))}));
    else
      F.Acquires.push_back(acquire(global("B"), at("c.cpp", 50)));
    Chain.push_back(F);
  }
  LinkOptions Options;
  Options.MaxCallDepth = 3;
  LockOrderLinker L(Options);
  L.add(unit(Chain));
  L.link();
  EXPECT_GT(L.limitHits().CallDepthCuts, 0u);
  EXPECT_FALSE(L.limitHits().FirstCallDepthCut.empty());
  LockOrderLinker Deep;
  Deep.add(unit(Chain));
  Deep.link();
  EXPECT_EQ(Deep.limitHits().CallDepthCuts, 0u);
}

} // namespace

namespace {

/// A virtual method's implementation with the verdict of KnownOverrides' rule.
FunctionFacts implementation(const std::string &Name, bool Harmless, std::vector<std::string> Overrides = {}) {
  FunctionFacts F = function(Name);
  F.Harmless = Harmless;
  F.Overrides = std::move(Overrides);
  return F;
}

VirtualCallbackFact callbackOn(const std::string &Method, unsigned Line, bool Pure = true) {
  return VirtualCallbackFact{at("canvas.cc", Line), "calling virtual function '" + Method + "'", Method, Pure};
}

std::vector<std::string> clearedMethods(LockOrderLinker &L) {
  L.link();
  std::vector<std::string> Out;
  for (const VirtualCallbackFact &C : L.harmlessCallbacks())
    Out.push_back(C.Method);
  return Out;
}

} // namespace

TEST(LockOrderLinker, VirtualCallbackClearedWhenEveryOverrideInEveryUnitIsHarmless) {
  LockOrderLinker L;
  TUFacts Caller = unit({});
  Caller.VirtualCallbacks = {callbackOn("Shape::sides", 5), callbackOn("Shape::draw", 15)};
  L.add(Caller);
  L.add(unit({implementation("Square::sides", true, {"Shape::sides"}),
              implementation("Square::draw", true, {"Shape::draw"})}));
  // An override of an override counts too: RoundedSquare::draw locks.
  L.add(unit({implementation("Circle::sides", true, {"Shape::sides"}),
              implementation("RoundedSquare::draw", false, {"Square::draw"})}));
  EXPECT_EQ(clearedMethods(L), std::vector<std::string>{"Shape::sides"});
}

TEST(LockOrderLinker, VirtualCallbackKeptWhileAnOverrideTheCallerSawIsDefinedNowhere) {
  // The caller's unit sees `final class Logged : Shape { int sides() const
  // override; }` declared, its body compiled outside the program: only a
  // verdict from the unit that defines it would clear the call.
  TUFacts Caller = unit({});
  Caller.VirtualCallbacks = {callbackOn("Shape::sides", 5)};
  Caller.VirtualCallbacks[0].Undefined = {"Logged::sides"};
  LockOrderLinker Elsewhere;
  Elsewhere.add(Caller);
  Elsewhere.add(unit({implementation("Square::sides", true, {"Shape::sides"})}));
  EXPECT_TRUE(clearedMethods(Elsewhere).empty());

  LockOrderLinker Defined;
  Defined.add(Caller);
  Defined.add(unit({implementation("Square::sides", true, {"Shape::sides"}),
                    implementation("Logged::sides", true, {"Shape::sides"})}));
  EXPECT_EQ(clearedMethods(Defined), std::vector<std::string>{"Shape::sides"});
}

TEST(LockOrderLinker, VirtualCallbackOnAnEmptyHookNobodyOverridesIsKept) {
  // ExtensionCallback::OnConnectionOpened has an empty body of its own,
  // harmless, and no override in the program: extensions loaded at run
  // time override it. A getter nobody overrides is cleared.
  TUFacts Caller = unit({});
  Caller.VirtualCallbacks = {callbackOn("Hooks::opened", 5, /*Pure=*/false),
                             callbackOn("Config::name", 9, /*Pure=*/false)};
  Caller.VirtualCallbacks[0].MethodIsEmptyHook = true;
  LockOrderLinker L;
  L.add(Caller);
  L.add(unit({implementation("Hooks::opened", true), implementation("Config::name", true)}));
  EXPECT_EQ(clearedMethods(L), std::vector<std::string>{"Config::name"});
}

TEST(LockOrderLinker, VirtualCallbackKeptWithoutAnyImplementationInTheProgram) {
  LockOrderLinker L;
  TUFacts Caller = unit({});
  Caller.VirtualCallbacks = {callbackOn("Observer::changed", 20)};
  L.add(Caller);
  EXPECT_TRUE(clearedMethods(L).empty());
}

TEST(LockOrderLinker, VirtualCallbackOnANonPureMethodNeedsItsOwnBody) {
  // Shape::area has a body of its own; only a harmless verdict on it clears
  // the call, not its harmless override alone.
  LockOrderLinker Missing;
  TUFacts Caller = unit({});
  Caller.VirtualCallbacks = {callbackOn("Shape::area", 25, /*Pure=*/false)};
  Missing.add(Caller);
  Missing.add(unit({implementation("Square::area", true, {"Shape::area"})}));
  EXPECT_TRUE(clearedMethods(Missing).empty());

  LockOrderLinker Known;
  Known.add(Caller);
  Known.add(unit({implementation("Shape::area", true), implementation("Square::area", true, {"Shape::area"})}));
  EXPECT_EQ(clearedMethods(Known), std::vector<std::string>{"Shape::area"});
}

TEST(LockOrderLinker, VirtualCallbackRecordedByTwoUnitsIsClearedOnlyWhenBothRecordsAre) {
  // One finding (an inline function of a header) recorded by two units
  // that named different methods: one of them runs unknown code.
  LockOrderLinker L;
  TUFacts A = unit({}), B = unit({});
  A.VirtualCallbacks = {callbackOn("Shape::sides", 5)};
  B.VirtualCallbacks = {callbackOn("Shape::sides", 5)};
  B.VirtualCallbacks[0].Method = "Shape::draw";
  L.add(A);
  L.add(B);
  L.add(unit({implementation("Square::sides", true, {"Shape::sides"}),
              implementation("Square::draw", false, {"Shape::draw"})}));
  EXPECT_TRUE(clearedMethods(L).empty());
}

TEST(LockOrderLinker, VirtualCallbackKeptForAnAbstractClassesHookThatTheProgramNeverOverrides) {
  // Observer::idle() {} in an abstract class: its objects are observers
  // derived outside the program, which may override it.
  TUFacts Caller = unit({});
  Caller.VirtualCallbacks = {callbackOn("Observer::idle", 38, /*Pure=*/false)};
  Caller.VirtualCallbacks[0].InAbstractClass = true;
  LockOrderLinker Alone;
  Alone.add(Caller);
  Alone.add(unit({implementation("Observer::idle", true)}));
  EXPECT_TRUE(clearedMethods(Alone).empty());

  // Overridden in the program, harmlessly: the hook's callers are known.
  LockOrderLinker Overridden;
  Overridden.add(Caller);
  Overridden.add(unit({implementation("Observer::idle", true), implementation("Log::idle", true, {"Observer::idle"})}));
  EXPECT_EQ(clearedMethods(Overridden), std::vector<std::string>{"Observer::idle"});
}
