//===- CombinedGraph.cpp --------------------------------------------------===//

#include "CombinedGraph.h"

#include "analysis/LockGraph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace lockgraph {
namespace {

std::vector<std::string> intersect(const std::vector<std::string> &A, const std::vector<std::string> &B) {
  std::vector<std::string> Out;
  std::set_intersection(A.begin(), A.end(), B.begin(), B.end(), std::back_inserter(Out));
  return Out;
}

std::vector<std::string> sortedUnique(std::vector<std::string> V) {
  std::sort(V.begin(), V.end());
  V.erase(std::unique(V.begin(), V.end()), V.end());
  return V;
}

} // namespace

CombinedEdge &CombinedGraph::edgeFor(const std::string &From, const std::string &To) {
  auto [It, New] = EdgeMap.try_emplace({From, To});
  if (New) {
    It->second.From = From;
    It->second.To = To;
  }
  Nodes[From].Name = From;
  Nodes[To].Name = To;
  return It->second;
}

void CombinedGraph::addStatic(const LockOrderLinker &Linked) {
  Functions += Linked.functionCount();
  for (const LockEdge &E : Linked.edges()) {
    CombinedEdge &C = edgeFor(E.From, E.To);
    C.Gates = C.seenAtRunTime() ? intersect(C.Gates, E.Gates) : E.Gates;
    C.Static = E;
    Nodes[E.From].Static = Nodes[E.To].Static = true;
  }
  for (const LockReport &R : Linked.reports())
    if (R.Check == LockOrderCheckName && R.Cycle.size() == 1) {
      NestedClasses.push_back(R.Cycle.front());
      Nodes[R.Cycle.front()].Name = R.Cycle.front();
      Nodes[R.Cycle.front()].Static = true;
    }
}

void CombinedGraph::addRuntime(const RuntimeReport &Report, const std::map<std::string, LockMapping> &Mapping) {
  ++RuntimeReports;
  auto NodeOf = [&](const std::string &Key) {
    auto It = Mapping.find(Key);
    return It != Mapping.end() ? It->second.Class : runtimeNodeName(Report, Report.Locks.at(Key));
  };
  // Every runtime lock that has edges is listed on its node, mapped or not.
  std::map<std::string, bool> Listed;
  auto List = [&](const std::string &Key, const std::string &Node) {
    if (Listed[Key])
      return;
    Listed[Key] = true;
    auto It = Mapping.find(Key);
    Nodes[Node].RuntimeLocks.push_back(
        {Report.Locks.at(Key).displayName(), It != Mapping.end() ? It->second.MatchedAt : std::nullopt});
  };
  for (const RuntimeEdge &E : Report.Edges) {
    std::string From = NodeOf(E.From), To = NodeOf(E.To);
    // Two instances of one class nested: the runtime orders them per
    // instance; as classes they are no order.
    if (From == To)
      continue;
    CombinedEdge &C = edgeFor(From, To);
    List(E.From, From);
    List(E.To, To);
    std::vector<std::string> Gates;
    for (const std::string &G : E.Gates)
      Gates.push_back(NodeOf(G));
    Gates = sortedUnique(std::move(Gates));
    bool First = !C.seenStatically() && !C.seenAtRunTime();
    C.Gates = First ? Gates : intersect(C.Gates, Gates);
    C.Runtime.push_back(
        RuntimeEvidence{Report.Path, E, Report.Locks.at(E.From).displayName(), Report.Locks.at(E.To).displayName()});
  }
}

std::string CombinedGraph::runtimeNodeName(const RuntimeReport &Report, const RuntimeLock &Lock) {
  // A lock without an identity is its report's own (pids repeat across runs).
  std::string Process = Report.Pid ? "pid " + std::to_string(Report.Pid) : Report.Path;
  std::string Identity = Lock.Identity.empty() ? Report.Path + " " + Lock.Key : Lock.Identity;
  auto [It, New] = RuntimeNodeByIdentity.try_emplace(Identity);
  if (!New)
    return It->second;
  std::string Name = Lock.displayName();
  if (llvm::StringRef(Identity).starts_with("site ") && Lock.Origin != "class")
    Name = Lock.Origin + " acquired at " + Identity.substr(5);
  // Another lock has that name (a global of the same name in another
  // module, two processes' own locks): say whose this one is.
  auto Taken = RuntimeIdentityByName.find(Name);
  if (Taken != RuntimeIdentityByName.end() && Taken->second != Identity) {
    bool Static = !Lock.Module.empty() && !Lock.Identity.empty();
    Name += " (" + (Static ? llvm::sys::path::filename(Lock.Module).str() : Process) + ")";
  }
  RuntimeIdentityByName.emplace(Name, Identity);
  return It->second = Name;
}

size_t CombinedGraph::edgeIndex(const std::string &From, const std::string &To) const {
  auto It = std::lower_bound(Edges.begin(), Edges.end(), std::pair(From, To), [](const CombinedEdge &E, const auto &K) {
    return std::tie(E.From, E.To) < std::tie(K.first, K.second);
  });
  return It != Edges.end() && It->From == From && It->To == To ? size_t(It - Edges.begin()) : Edges.size();
}

const CombinedEdge *CombinedGraph::edge(const std::string &From, const std::string &To) const {
  size_t I = edgeIndex(From, To);
  return I < Edges.size() ? &Edges[I] : nullptr;
}

CombinedGraph::EdgeCounts CombinedGraph::edgeCounts() const {
  EdgeCounts C;
  for (const CombinedEdge &E : Edges) {
    C.StaticOnly += E.seenStatically() && !E.seenAtRunTime();
    C.RuntimeOnly += !E.seenStatically();
    C.Both += E.seenStatically() && E.seenAtRunTime();
  }
  return C;
}

void CombinedGraph::finish(size_t MaxCycles) {
  Edges.clear();
  for (auto &[Key, E] : EdgeMap)
    Edges.push_back(std::move(E));
  EdgeMap.clear();
  // Nodes numbered in name order, as in the linker: the same cycles, in
  // the same order, as `lockgraph check` for a static-only graph.
  std::map<std::string, unsigned> Ids;
  std::vector<std::string> Names;
  for (auto &[Name, Node] : Nodes) {
    Ids[Name] = unsigned(Names.size());
    Names.push_back(Name);
  }
  LockGraph Graph;
  for (const CombinedEdge &E : Edges)
    Graph.addEdge(Ids[E.From], Ids[E.To]);
  Cycles.clear();
  for (const std::string &Class : NestedClasses)
    Cycles.push_back(CombinedCycle{{Class}, true, false});
  std::vector<LockGraph::Cycle> Covering = Graph.coveringCycles(MaxCycles + 1);
  CyclesCapped = Covering.size() > MaxCycles;
  if (CyclesCapped)
    Covering.resize(MaxCycles);
  for (const LockGraph::Cycle &C : Covering) {
    CombinedCycle Out;
    Out.StaticAlone = Out.AllAtRunTime = true;
    std::vector<std::string> Common;
    std::vector<std::string> Processes; // the reports that saw every edge so far
    for (size_t I = 0; I < C.size(); ++I) {
      const CombinedEdge *E = edge(Names[C[I]], Names[C[(I + 1) % C.size()]]);
      Out.Locks.push_back(E->From);
      Out.StaticAlone &= E->seenStatically();
      Out.AllAtRunTime &= E->seenAtRunTime();
      Common = I == 0 ? E->Gates : intersect(Common, E->Gates);
      std::vector<std::string> Seen;
      for (const RuntimeEvidence &R : E->Runtime)
        Seen.push_back(R.ReportPath);
      Processes = I == 0 ? sortedUnique(std::move(Seen)) : intersect(Processes, sortedUnique(std::move(Seen)));
    }
    Out.RuntimeAlone = !Processes.empty();
    if (Common.empty()) // a common gate serialises the threads
      Cycles.push_back(std::move(Out));
  }
  for (const CombinedCycle &C : Cycles)
    for (size_t I = 0; I < C.Locks.size(); ++I) {
      Nodes[C.Locks[I]].InCycle = true;
      if (C.Locks.size() > 1)
        Edges[edgeIndex(C.Locks[I], C.Locks[(I + 1) % C.Locks.size()])].InCycle = true;
    }
}

} // namespace lockgraph
