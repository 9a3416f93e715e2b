// The run-time half of `lockgraph graph` and `lockgraph merge`: reading
// runtime reports, mapping their locks onto static classes, finding the
// cycles only the combination shows, and drawing them safely.
#include "CombinedGraph.h"
#include "GraphLayout.h"
#include "HtmlGraphOutput.h"
#include "MergedCycles.h"
#include "RuntimeLockIdentity.h"
#include "RuntimeLockMapping.h"
#include "RuntimeReport.h"

#include <gtest/gtest.h>

using namespace lockgraph;

namespace {

LockRef globalLock(const std::string &Class) {
  LockRef L;
  L.Class = L.Key = L.Spelling = Class;
  L.Root = FactRoot::Global;
  return L;
}

FactLoc at(const std::string &File, unsigned Line) { return FactLoc{File, Line, 3, 0}; }

/// A function that takes `Outer` at Line and then `Inner` at Line + 1.
FunctionFacts nests(const std::string &Name, const std::string &Outer, const std::string &Inner,
                    const std::string &File, unsigned Line) {
  FunctionFacts F;
  F.Id = F.Name = Name;
  F.Where = at(File, Line - 1);
  AcquireFact First;
  First.Lock = globalLock(Outer);
  First.Site = at(File, Line);
  AcquireFact Second;
  Second.Lock = globalLock(Inner);
  Second.Site = at(File, Line + 1);
  Second.Held.push_back(HeldFact{globalLock(Outer), at(File, Line), false, true});
  F.Acquires = {First, Second};
  return F;
}

/// A function that only takes `Lock` at Line.
FunctionFacts takes(const std::string &Name, const std::string &Lock, const std::string &File, unsigned Line) {
  FunctionFacts F;
  F.Id = F.Name = Name;
  AcquireFact A;
  A.Lock = globalLock(Lock);
  A.Site = at(File, Line);
  F.Acquires = {A};
  return F;
}

/// Runtime report text: pthread locks P1..Pn with the given edges.
std::string reportText(const std::string &Locks, const std::string &Edges) {
  return R"({"tool": "lockgraph", "schema_version": 1, "pid": 1, "reports": [], "statistics": [],
             "graph": {"locks": [)" +
         Locks + R"(], "edges": [)" + Edges + "]}}";
}

std::string pthreadLock(const std::string &Id, const std::string &Address) {
  return R"({"id": ")" + Id + R"(", "origin": "pthread_mutex", "name": null, "declared_at": null, "address": ")" +
         Address + R"(", "variable": null})";
}

std::string frame(const std::string &Function, const std::string &File, unsigned Line) {
  return R"({"pc": "0x1", "function": ")" + Function + R"(", "file": ")" + File + R"(", "line": )" +
         std::to_string(Line) + R"(, "module": "/bin/x"})";
}

std::string edge(const std::string &From, const std::string &To, const std::string &Stack,
                 const std::string &HeldSite, const std::string &Gates = "") {
  return R"({"from": ")" + From + R"(", "to": ")" + To +
         R"(", "held_access": "write", "acquired_access": "write", "thread": 7, "stack": [)" + Stack +
         R"(], "held_site": [)" + HeldSite + R"(], "gates": [)" + Gates + "]}";
}

RuntimeReport parse(const std::string &Text) {
  auto R = parseRuntimeReport(Text, "run.json");
  EXPECT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  return R ? std::move(*R) : RuntimeReport();
}

std::string parseError(const std::string &Text) {
  auto R = parseRuntimeReport(Text, "run.json");
  if (R)
    return "(parsed)";
  return llvm::toString(R.takeError());
}

TEST(RuntimeReportTest, ReadsTheGraphSection) {
  RuntimeReport R = parse(reportText(pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20"),
                                     edge("N1", "N2", frame("f", "/src/a.cc", 5), frame("f", "/src/a.cc", 4))));
  EXPECT_TRUE(R.HasGraph);
  ASSERT_EQ(R.Edges.size(), 1u);
  EXPECT_EQ(R.Locks.at(R.Edges[0].From).Address, "0x10");
  EXPECT_EQ(R.Edges[0].Stack.at(0).Line, 5u);
  EXPECT_EQ(R.Edges[0].Thread, 7);
}

TEST(RuntimeReportTest, RejectsWhatIsNotAReport) {
  EXPECT_NE(parseError("{").find("is not valid JSON"), std::string::npos);
  EXPECT_NE(parseError(R"({"format": "lockgraph_facts"})").find("not a lockgraph runtime report"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"tool": "lockgraph", "schema_version": 7, "reports": []})")
                .find("schema_version 7 is not the supported version 1"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"tool": "lockgraph", "schema_version": 1})").find("no \"reports\" array"),
            std::string::npos);
}

TEST(RuntimeReportTest, RejectsAnEdgeToAnUnknownLock) {
  std::string E = parseError(reportText(pthreadLock("N1", "0x10"), edge("N1", "N9", "", "")));
  EXPECT_NE(E.find("graph.edges[0]: \"to\" names no lock of the report"), std::string::npos) << E;
}

TEST(RuntimeLockMappingTest, FirstFrameAtAStaticSiteNamesTheClass) {
  StaticAcquisitionSites Sites;
  Sites.add(TUFacts{"/src/a.cc", {takes("f", "A::mu", "/src/a.cc", 10), takes("g", "B::mu", "/src/b.cc", 20)}});
  // The top frame is a wrapper the static half never saw; the next one is
  // the acquisition in g.
  RuntimeReport R = parse(reportText(
      pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20"),
      edge("N1", "N2", frame("MyMutex::lock", "/src/mutex.h", 3) + "," + frame("g", "/src/b.cc", 20),
           frame("f", "/src/a.cc", 10))));
  auto Map = mapRuntimeLocks(R, Sites);
  ASSERT_EQ(Map.size(), 2u);
  EXPECT_EQ(Map.at(R.Edges[0].From).Class, "A::mu");
  EXPECT_EQ(Map.at(R.Edges[0].To).Class, "B::mu");
  EXPECT_EQ(Map.at(R.Edges[0].To).MatchedAt->File, "/src/b.cc");
}

TEST(RuntimeLockMappingTest, SourcesOfAnotherCheckoutMatchByTheLongestPathTail) {
  StaticAcquisitionSites Sites;
  Sites.add(TUFacts{"/here/src/net/a.cc",
                    {takes("f", "Net::mu", "/here/src/net/a.cc", 10), takes("g", "Disk::mu", "/here/src/disk/a.cc", 10)}});
  EXPECT_EQ(Sites.classesAt("/elsewhere/build/../src/net/a.cc", 10), std::set<std::string>{"Net::mu"});
  EXPECT_EQ(Sites.classesAt("/elsewhere/src/disk/a.cc", 10), std::set<std::string>{"Disk::mu"});
  // Only the file name in common, twice: no telling which.
  EXPECT_TRUE(Sites.classesAt("/elsewhere/a.cc", 10).empty());
  EXPECT_TRUE(Sites.classesAt("/elsewhere/src/net/b.cc", 10).empty());
}

TEST(RuntimeLockMappingTest, ALineTakingTwoClassesNamesNeither) {
  StaticAcquisitionSites Sites;
  Sites.add(TUFacts{"/src/a.cc", {takes("f", "A::mu", "/src/a.cc", 10), takes("g", "B::mu", "/src/a.cc", 10)}});
  RuntimeReport R = parse(reportText(pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20"),
                                     edge("N1", "N2", frame("f", "/src/a.cc", 10), "")));
  EXPECT_TRUE(mapRuntimeLocks(R, Sites).empty());
}

TEST(RuntimeLockMappingTest, MostStacksWin) {
  StaticAcquisitionSites Sites;
  Sites.add(TUFacts{"/src/a.cc",
                    {takes("f", "A::mu", "/src/a.cc", 10), takes("g", "B::mu", "/src/a.cc", 20),
                     takes("h", "C::mu", "/src/a.cc", 30)}});
  // N3 is acquired at C's site twice and at B's once.
  RuntimeReport R = parse(reportText(
      pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20") + "," + pthreadLock("N3", "0x30") + "," +
          pthreadLock("N4", "0x40"),
      edge("N1", "N3", frame("h", "/src/a.cc", 30), "") + "," + edge("N2", "N3", frame("h", "/src/a.cc", 30), "") +
          "," + edge("N4", "N3", frame("g", "/src/a.cc", 20), "")));
  auto Map = mapRuntimeLocks(R, Sites);
  EXPECT_EQ(Map.at("pthread_mutex @0x30").Class, "C::mu");
}

TEST(RuntimeLockMappingTest, NamedClassesMapByName) {
  StaticAcquisitionSites Sites;
  Sites.add(TUFacts{"/src/a.cc", {takes("f", "Account::mu", "/src/a.cc", 10)}});
  RuntimeReport R = parse(
      reportText(R"({"id": "N1", "origin": "class", "name": "Account::mu", "declared_at": null, "address": null,
                     "variable": null},)" +
                     pthreadLock("N2", "0x20"),
                 edge("N1", "N2", "", "")));
  auto Map = mapRuntimeLocks(R, Sites);
  ASSERT_EQ(Map.size(), 1u);
  EXPECT_EQ(Map.at("class Account::mu").Class, "Account::mu");
  EXPECT_FALSE(Map.at("class Account::mu").MatchedAt);
}

/// Static: A -> B (in f). Run time: B -> C and C -> A, at sites the
/// static facts know (g takes B, h takes C, f takes A).
struct SplitCycle : ::testing::Test {
  CombinedGraph Graph;
  LockOrderLinker Linker;
  void build(const std::string &ExtraRuntimeEdges = "", const std::string &GateOfBC = "",
             const std::string &GateOfCA = "") {
    TUFacts TU{"/src/a.cc",
               {nests("f", "A", "B", "/src/a.cc", 10), takes("g", "B", "/src/b.cc", 20),
                takes("h", "C", "/src/c.cc", 30)}};
    StaticAcquisitionSites Sites;
    Sites.add(TU);
    Linker.add(TU);
    Linker.link();
    Graph.addStatic(Linker);
    RuntimeReport R = parse(reportText(
        pthreadLock("N1", "0xa") + "," + pthreadLock("N2", "0xb") + "," + pthreadLock("N3", "0xc") + "," +
            pthreadLock("N4", "0xd"),
        edge("N2", "N3", frame("h", "/src/c.cc", 30), frame("g", "/src/b.cc", 20), GateOfBC) + "," +
            edge("N3", "N1", frame("f", "/src/a.cc", 10), frame("h", "/src/c.cc", 30), GateOfCA) +
            ExtraRuntimeEdges));
    Graph.addRuntime(R, mapRuntimeLocks(R, Sites));
    Graph.finish();
  }
};

TEST_F(SplitCycle, TheCycleNeedsBothHalves) {
  build();
  ASSERT_EQ(Graph.cycles().size(), 1u);
  const CombinedCycle &C = Graph.cycles()[0];
  EXPECT_EQ(C.Locks, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_TRUE(C.needsBothHalves());
  EXPECT_TRUE(Graph.edge("A", "B")->seenStatically());
  EXPECT_FALSE(Graph.edge("B", "C")->seenStatically());
  EXPECT_TRUE(Graph.edge("B", "C")->seenAtRunTime());
  EXPECT_TRUE(Graph.edge("C", "A")->InCycle);
  // Neither half alone has a cycle.
  EXPECT_TRUE(Linker.reports().empty());

  std::vector<LockReport> Reports = mergedCycleReports(Graph);
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_NE(Reports[0].Message.find("'C' -> 'A' -> 'B' -> 'C' found only by combining"), std::string::npos)
      << Reports[0].Message;
  bool StaticNote = false, RuntimeNote = false;
  for (const LockReportNote &N : Reports[0].Notes) {
    StaticNote |= N.Message.find("'A' -> 'B', seen by static analysis)") != std::string::npos;
    RuntimeNote |= N.Message.find("'B' -> 'C', seen only at run time)") != std::string::npos &&
                   N.Where.File == "/src/b.cc" && N.Where.Line == 20;
  }
  EXPECT_TRUE(StaticNote);
  EXPECT_TRUE(RuntimeNote);
}

TEST_F(SplitCycle, ARuntimeOnlyCycleIsNotNew) {
  // N4 <-> N1 (A) at run time only: a cycle the runtime reports itself.
  build("," + edge("N4", "N1", frame("f", "/src/a.cc", 10), "") + "," + edge("N1", "N4", "", ""));
  size_t NeedBoth = 0, RuntimeAlone = 0;
  for (const CombinedCycle &C : Graph.cycles()) {
    NeedBoth += C.needsBothHalves();
    RuntimeAlone += C.RuntimeAlone;
  }
  EXPECT_EQ(NeedBoth, 1u);
  EXPECT_EQ(RuntimeAlone, 1u);
  EXPECT_EQ(mergedCycleReports(Graph).size(), 1u);
}

TEST_F(SplitCycle, CyclesSharingLocksAreOneFinding) {
  // B -> A at run time closes a second cycle with the static A -> B; both
  // need both halves and share A and B: one finding walking all four orders.
  build("," + edge("N2", "N1", frame("f", "/src/a.cc", 10), frame("g", "/src/b.cc", 20)));
  size_t NeedBoth = 0;
  for (const CombinedCycle &C : Graph.cycles())
    NeedBoth += C.needsBothHalves();
  EXPECT_EQ(NeedBoth, 2u);
  std::vector<LockReport> Reports = mergedCycleReports(Graph);
  ASSERT_EQ(Reports.size(), 1u);
  EXPECT_EQ(Reports[0].Message.rfind("lock-order cycles among 3 locks 'A', 'B', 'C': 4 orders between them form 2 "
                                     "cycles, such as ",
                                     0),
            0u)
      << Reports[0].Message;
  EXPECT_NE(Reports[0].Message.find("found only by combining static analysis and run time"), std::string::npos);
  size_t EdgeNotes = 0;
  for (const LockReportNote &N : Reports[0].Notes)
    EdgeNotes += N.Message.find(" of 4, ") != std::string::npos;
  EXPECT_EQ(EdgeNotes, 4u);
}

TEST_F(SplitCycle, AGateOfTheRuntimeEdgesAloneDoesNotSerialiseTheCycle) {
  // The static edge A -> B was taken without N4 held: N4 serialises nothing.
  build("", "\"N4\"", "\"N4\"");
  EXPECT_EQ(Graph.cycles().size(), 1u);
}

TEST_F(SplitCycle, ACycleWhoseEdgesShareAGateIsDropped) {
  // N4 <-> A at run time, both orders taken while holding B.
  build("," + edge("N4", "N1", frame("f", "/src/a.cc", 10), "", "\"N2\"") + "," +
        edge("N1", "N4", "", "", "\"N2\""));
  ASSERT_EQ(Graph.cycles().size(), 1u);
  EXPECT_TRUE(Graph.cycles()[0].needsBothHalves());
}

TEST(HtmlGraphOutputTest, EscapesProgramText) {
  EXPECT_EQ(htmlEscape(R"x(<img src=x onerror="a('b')">&)x"),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
}

TEST(HtmlGraphOutputTest, NoUnescapedNameReachesThePage) {
  CombinedGraph Graph;
  RuntimeReport R = parse(reportText(
      R"({"id": "N1", "origin": "class", "name": "<script>alert(1)</script>", "declared_at": null,
          "address": null, "variable": null},)" +
          pthreadLock("N2", "0x20"),
      edge("N1", "N2", frame("evil<b>", "/src/<i>.cc", 1), "")));
  Graph.addRuntime(R, {});
  Graph.finish();
  std::string Page;
  llvm::raw_string_ostream OS(Page);
  writeGraphHtml(OS, Graph, "/src");
  EXPECT_EQ(Page.find("<script>alert"), std::string::npos);
  EXPECT_EQ(Page.find("evil<b>"), std::string::npos);
  EXPECT_EQ(Page.find("<i>.cc"), std::string::npos);
  EXPECT_NE(Page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // Nothing is fetched: no external scripts, styles or images.
  EXPECT_EQ(Page.find(" src="), std::string::npos);
  EXPECT_EQ(Page.find("<link"), std::string::npos);
}

TEST(GraphLayoutTest, PlacesEveryNodeWithoutOverlap) {
  std::vector<std::pair<std::string, std::string>> Edges{{"A", "B"}, {"B", "C"}, {"C", "A"}, {"C", "D"}};
  GraphLayout L = circularLayout({{"A", "B", "C"}}, Edges);
  ASSERT_EQ(L.Nodes.size(), 4u);
  for (const auto &[N1, B1] : L.Nodes)
    for (const auto &[N2, B2] : L.Nodes)
      if (N1 < N2)
        EXPECT_TRUE(std::abs(B1.Center.X - B2.Center.X) > (B1.Width + B2.Width) / 2 ||
                    std::abs(B1.Center.Y - B2.Center.Y) > (B1.Height + B2.Height) / 2)
            << N1 << " overlaps " << N2;
  for (const auto &[N, B] : L.Nodes) {
    EXPECT_GE(B.Center.X - B.Width / 2, 0);
    EXPECT_LE(B.Center.X + B.Width / 2, L.Width);
  }
  EXPECT_EQ(L.edgePath("A", "B").substr(0, 1), "M");
  EXPECT_NE(L.edgePath("A", "B"), L.edgePath("B", "A"));
}


// Identities across processes (RuntimeLockIdentity.h).

std::string staticLock(const std::string &Id, const std::string &Variable, const std::string &Module,
                       unsigned Offset, const std::string &Address) {
  return R"({"id": ")" + Id + R"(", "origin": "pthread_mutex", "name": null, "declared_at": null, "address": ")" +
         Address + R"(", "variable": ")" + Variable + R"(", "module": ")" + Module +
         R"(", "module_offset": )" + std::to_string(4096 + Offset) + R"(, "variable_offset": )" +
         std::to_string(Offset) + "}";
}

RuntimeReport parseAs(const std::string &Text, const std::string &Path) {
  auto R = parseRuntimeReport(Text, Path);
  EXPECT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  return R ? std::move(*R) : RuntimeReport();
}

CombinedGraph linked(std::vector<RuntimeReport> Reports) {
  linkRuntimeLockIdentities(Reports);
  CombinedGraph Graph;
  for (const RuntimeReport &R : Reports)
    Graph.addRuntime(R, {});
  Graph.finish();
  return Graph;
}

TEST(RuntimeLockIdentityTest, HeapLocksAcquiredOnTheSameLinesInTwoProcessesAreOneCycle) {
  // Process 1: the lock taken on a.cc:10, then the one taken on a.cc:20;
  // process 2 (other addresses): the reverse.
  std::vector<RuntimeReport> Reports;
  Reports.push_back(parseAs(reportText(pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20"),
                                       edge("N1", "N2", frame("g", "/src/a.cc", 20), frame("f", "/src/a.cc", 10))),
                            "p1.json"));
  Reports.push_back(parseAs(reportText(pthreadLock("N1", "0x70") + "," + pthreadLock("N2", "0x80"),
                                       edge("N1", "N2", frame("f", "/src/a.cc", 10), frame("g", "/src/a.cc", 20))),
                            "p2.json"));
  CombinedGraph Graph = linked(Reports);
  EXPECT_EQ(Graph.nodes().size(), 2u);
  ASSERT_EQ(Graph.cycles().size(), 1u);
  EXPECT_TRUE(Graph.cycles()[0].spansProcesses());
  EXPECT_FALSE(Graph.cycles()[0].RuntimeAlone);
  EXPECT_TRUE(Graph.nodes().count("pthread_mutex acquired at /src/a.cc:10"));
}

TEST(RuntimeLockIdentityTest, ALineThatTakesSeveralLocksNamesThemByTheirCallers) {
  // take() on h.cc:5 locks both; their callers' lines tell them apart.
  std::vector<RuntimeReport> Reports;
  Reports.push_back(parseAs(
      reportText(pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20") + "," + pthreadLock("N3", "0x30"),
                 edge("N3", "N1", frame("take", "/src/h.cc", 5) + "," + frame("a", "/src/a.cc", 30),
                      frame("m", "/src/m.cc", 1)) +
                     "," +
                     edge("N3", "N2", frame("take", "/src/h.cc", 5) + "," + frame("b", "/src/a.cc", 31),
                          frame("m", "/src/m.cc", 1))),
      "p1.json"));
  linkRuntimeLockIdentities(Reports);
  EXPECT_EQ(Reports[0].Locks.at("pthread_mutex @0x10").Identity, "site /src/a.cc:30");
  EXPECT_EQ(Reports[0].Locks.at("pthread_mutex @0x20").Identity, "site /src/a.cc:31");
  EXPECT_EQ(Reports[0].Locks.at("pthread_mutex @0x30").Identity, "site /src/m.cc:1");
}

TEST(RuntimeLockIdentityTest, ALockSeenOnlyInsideTheLibraryWrapperStaysItsProcesssOwn) {
  std::vector<RuntimeReport> Reports;
  for (const char *Path : {"p1.json", "p2.json"})
    Reports.push_back(parseAs(
        reportText(pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20"),
                   edge("N1", "N2", frame("f", "/src/a.cc", 20),
                        frame("__gthread_mutex_lock", "/usr/include/x86_64-linux-gnu/c++/12/bits/gthr-default.h", 749))),
        Path));
  linkRuntimeLockIdentities(Reports);
  EXPECT_EQ(Reports[0].Locks.at("pthread_mutex @0x10").Identity, "");
  // Same address and no identity in two reports: two locks, not one.
  CombinedGraph Graph = linked(Reports);
  EXPECT_EQ(Graph.nodes().size(), 3u);
}

TEST(RuntimeLockIdentityTest, GlobalsOfOneNameInTwoModulesAreTwoLocks) {
  std::vector<RuntimeReport> Reports;
  Reports.push_back(parseAs(reportText(staticLock("N1", "mu", "/a/liba.so", 0, "0x7f0001000") + "," +
                                           staticLock("N2", "mu", "/b/libb.so", 0, "0x7f0002000"),
                                       edge("N1", "N2", frame("g", "/src/b.cc", 2), frame("f", "/src/a.cc", 1))),
                            "p1.json"));
  CombinedGraph Graph = linked(Reports);
  EXPECT_TRUE(Graph.nodes().count("pthread_mutex 'mu'"));
  EXPECT_TRUE(Graph.nodes().count("pthread_mutex 'mu' (libb.so)"));
  EXPECT_EQ(Reports[0].Locks.size(), 2u);
  EXPECT_EQ(portableIdentity(Reports[0].Locks.begin()->second).rfind("static lib", 0), 0u);
}

TEST(RuntimeLockIdentityTest, ARetiredLockNeverTakesTheAddressOfALiveOne) {
  std::string Retired = R"({"id": "N3", "origin": "pthread_mutex", "name": null, "declared_at": null,
                            "address": "0x10", "variable": null, "retired": true})";
  RuntimeReport R = parse(reportText(pthreadLock("N1", "0x10") + "," + pthreadLock("N2", "0x20") + "," + Retired,
                                     edge("N1", "N2", frame("g", "/src/a.cc", 2), frame("f", "/src/a.cc", 1)) + "," +
                                         edge("N3", "N2", frame("g", "/src/a.cc", 2), frame("h", "/src/a.cc", 3))));
  EXPECT_EQ(R.Locks.size(), 3u);
  EXPECT_EQ(R.Edges.size(), 2u);
}

} // namespace
