//===- MergedCycles.cpp ---------------------------------------------------===//

#include "MergedCycles.h"

#include "GraphOutput.h"
#include "RuntimeLockIdentity.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

namespace lockgraph {
namespace {

std::string quoted(const std::string &S) { return quotedName(S); }

FactLoc frameLoc(const RuntimeFrame *F) {
  FactLoc L;
  if (F) {
    L.File = F->File;
    L.Line = F->Line;
  }
  return L;
}

/// Where a report about \p E anchors: the static site, else the runtime one.
FactLoc anchorOf(const CombinedEdge &E) {
  if (E.Static)
    return E.Static->Witness.Site;
  return frameLoc(firstSourceFrame(E.Runtime.front().Edge.Stack));
}

std::string halvesOf(const CombinedEdge &E) {
  if (E.seenStatically() && E.seenAtRunTime())
    return "seen by static analysis and at run time";
  return E.seenStatically() ? "seen by static analysis" : "seen only at run time";
}

/// Which process made a runtime order: "thread 12 of './t1 ab'", and when
/// it was kept from an earlier run, how long ago.
std::string madeBy(const RuntimeEdge &E) {
  std::string Out = "thread " + std::to_string(E.Thread);
  if (!E.Command.empty())
    Out += " of '" + commandLine(E.Command) + "'";
  if (E.Age)
    Out += ", " + std::to_string(E.Age) + (E.Age == 1 ? " run" : " runs") + " ago";
  return Out;
}

void addEdgeNotes(std::vector<LockReportNote> &Notes, const CombinedEdge &E, const std::string &Edge) {
  if (E.Static) {
    addEdgeWitnessNotes(Notes, E.Static->Witness, Edge);
    return;
  }
  const RuntimeEvidence &R = E.Runtime.front();
  // The runtime's own name of a lock, when it says more than the class.
  auto Also = [](const std::string &Name, const std::string &Node) {
    return Name == Node ? std::string() : ", " + Name;
  };
  std::string Thread = madeBy(R.Edge);
  // An unoptimized build calls the lock wrappers (<mutex>'s, lockgraph's)
  // out of line, and the runtime keeps one frame of the held lock: the
  // wrapper's line is no place to show the reader.
  const RuntimeFrame *Held = firstSourceFrame(R.Edge.HeldSite);
  if (Held && isLibraryLockFrame(*Held))
    Notes.push_back({quoted(E.From) + " had been acquired at run time (" + Thread + Also(R.FromName, E.From) +
                         ") in lock wrapper " + quoted(Held->Function) +
                         ", called out of line, so the calling line is not known " + Edge,
                     FactLoc()});
  else
    Notes.push_back({quoted(E.From) + " had been acquired here at run time (" + Thread + Also(R.FromName, E.From) +
                         ") " + Edge,
                     frameLoc(Held)});
  // The acquisition, then the callers that led to it.
  const RuntimeFrame *Top = firstSourceFrame(R.Edge.Stack);
  Notes.push_back({quoted(E.To) + " acquired here while " + quoted(E.From) + " was held (" + Thread +
                       Also(R.ToName, E.To) + ")",
                   frameLoc(Top)});
  const size_t MaxCallers = 4;
  size_t Shown = 0;
  bool Below = false;
  for (const RuntimeFrame &F : R.Edge.Stack) {
    if (&F == Top) {
      Below = true;
      continue;
    }
    if (Below && !F.File.empty() && Shown++ < MaxCallers)
      Notes.push_back({"called from " + quoted(F.Function) + " here", frameLoc(&F)});
  }
}

} // namespace

/// A cycle's edges, rotated to start at the one first in source order.
static std::vector<const CombinedEdge *> anchoredEdges(const CombinedGraph &Graph, const CombinedCycle &C) {
  std::vector<const CombinedEdge *> Edges;
  for (size_t I = 0; I < C.Locks.size(); ++I)
    Edges.push_back(Graph.edge(C.Locks[I], C.Locks[(I + 1) % C.Locks.size()]));
  size_t First = 0;
  for (size_t I = 1; I < Edges.size(); ++I)
    if (sourceOrderBefore(anchorOf(*Edges[I]), anchorOf(*Edges[First])))
      First = I;
  std::rotate(Edges.begin(), Edges.begin() + First, Edges.end());
  return Edges;
}

static std::string pathOf(const std::vector<const CombinedEdge *> &Edges) {
  std::string Path;
  for (const CombinedEdge *E : Edges)
    Path += quoted(E->From) + " -> ";
  return Path + quoted(Edges.front()->From);
}

/// Cycles that share a lock are one finding, as the linker reports one
/// finding per strongly connected component.
static std::vector<std::vector<const CombinedCycle *>> groupBySharedLocks(std::vector<const CombinedCycle *> Cycles) {
  std::map<std::string, size_t> GroupOfLock;
  std::vector<size_t> Parent(Cycles.size());
  std::function<size_t(size_t)> Find = [&](size_t I) { return Parent[I] == I ? I : Parent[I] = Find(Parent[I]); };
  for (size_t I = 0; I < Cycles.size(); ++I) {
    Parent[I] = I;
    for (const std::string &L : Cycles[I]->Locks) {
      auto [It, New] = GroupOfLock.try_emplace(L, I);
      if (!New)
        Parent[Find(I)] = Find(It->second);
    }
  }
  std::map<size_t, std::vector<const CombinedCycle *>> Groups;
  for (size_t I = 0; I < Cycles.size(); ++I)
    Groups[Find(I)].push_back(Cycles[I]);
  std::vector<std::vector<const CombinedCycle *>> Out;
  for (auto &[Root, G] : Groups)
    Out.push_back(std::move(G));
  return Out;
}

std::vector<LockReport> mergedCycleReports(const CombinedGraph &Graph) {
  std::vector<const CombinedCycle *> Merged;
  for (const CombinedCycle &C : Graph.cycles())
    if (C.foundOnlyByLinking())
      Merged.push_back(&C);
  std::vector<LockReport> Out;
  for (const std::vector<const CombinedCycle *> &Group : groupBySharedLocks(std::move(Merged))) {
    std::vector<std::vector<const CombinedEdge *>> Cycles;
    for (const CombinedCycle *C : Group)
      Cycles.push_back(anchoredEdges(Graph, *C));
    std::stable_sort(Cycles.begin(), Cycles.end(), [](const auto &A, const auto &B) {
      return sourceOrderBefore(anchorOf(*A.front()), anchorOf(*B.front()));
    });
    std::vector<const CombinedEdge *> Edges;
    std::set<std::string> Locks;
    for (const std::vector<const CombinedEdge *> &C : Cycles)
      for (const CombinedEdge *E : C) {
        Locks.insert(E->From);
        if (llvm::find(Edges, E) == Edges.end())
          Edges.push_back(E);
      }

    LockReport R;
    R.Check = LockOrderCheckName;
    R.Where = anchorOf(*Edges.front());
    bool BothHalves = llvm::any_of(Group, [](const CombinedCycle *C) { return C->needsBothHalves(); });
    bool Earlier = llvm::any_of(Edges, [](const CombinedEdge *E) {
      return E->seenAtRunTime() && E->Runtime.front().Edge.Age > 0;
    });
    std::string Why = std::string(BothHalves ? " found only by combining static analysis and run time"
                                  : Earlier  ? " found only by linking the lock orders of this run with earlier runs'"
                                             : " found only by linking the lock orders of several processes") +
                      ": threads taking these locks in these orders can deadlock";
    if (Cycles.size() == 1) {
      for (const CombinedEdge *E : Edges)
        R.Cycle.push_back(E->From);
      R.Message = "lock-order cycle " + pathOf(Edges) + Why;
    } else {
      R.Cycle.assign(Locks.begin(), Locks.end());
      R.Message = componentMessage(Locks, Edges.size(), Cycles.size(), pathOf(Cycles.front())) + Why;
    }
    for (size_t I = 0; I < Edges.size(); ++I)
      addEdgeNotes(R.Notes, *Edges[I],
                   "(edge " + std::to_string(I + 1) + " of " + std::to_string(Edges.size()) + ", " +
                       quoted(Edges[I]->From) + " -> " + quoted(Edges[I]->To) + ", " + halvesOf(*Edges[I]) + ")");
    Out.push_back(std::move(R));
  }
  return Out;
}

} // namespace lockgraph
