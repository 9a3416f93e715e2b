//===- CombinedGraph.h - One lock-order graph from both halves -------------===//
//
// What `lockgraph graph` draws and `lockgraph merge` checks: the static
// lock-order graph (linked facts), the run-time one (runtime reports, their
// locks mapped to static classes where RuntimeLockMapping can), or both.
// Each edge keeps its evidence from each half: the static witness (function,
// where each lock was taken, the call chain) and the runtime observations
// (thread and stacks). Cycles are found on the combined graph, so a cycle
// made of edges from both halves shows up although neither half sees it
// alone. Cycles whose edges were all taken under one common lock (a gate)
// are dropped, as in both halves.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_COMBINEDGRAPH_H
#define LOCKGRAPH_TOOL_COMBINEDGRAPH_H

#include "RuntimeLockMapping.h"
#include "RuntimeReport.h"
#include "analysis/LockOrderLinker.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

struct RuntimeEvidence {
  std::string ReportPath;
  RuntimeEdge Edge;
  std::string FromName, ToName; // the runtime's names for the two locks
};

struct CombinedEdge {
  std::string From, To;
  std::optional<LockEdge> Static;
  std::vector<RuntimeEvidence> Runtime;
  /// Locks held at every witness of either half, besides the two ends.
  std::vector<std::string> Gates;
  bool InCycle = false;
  bool seenStatically() const { return Static.has_value(); }
  bool seenAtRunTime() const { return !Runtime.empty(); }
};

struct CombinedNode {
  std::string Name;
  bool Static = false;
  /// Runtime locks shown as this node, with the frame that mapped each.
  struct RuntimeLockRef {
    std::string Name;
    std::optional<RuntimeFrame> MatchedAt;
  };
  std::vector<RuntimeLockRef> RuntimeLocks;
  bool InCycle = false;
};

struct CombinedCycle {
  /// Lock names in order; the last one's edge leads back to the first. A
  /// single lock is same-class nesting.
  std::vector<std::string> Locks;
  bool StaticAlone = false;  // every edge seen by the static half
  bool RuntimeAlone = false; // every edge seen by one process (one runtime report)
  bool AllAtRunTime = false; // every edge seen at run time, by any processes
  /// Static analysis saw some edges, only runs the others.
  bool needsBothHalves() const { return !StaticAlone && !AllAtRunTime; }
  /// Runs saw every edge, but no one process saw them all: threads of
  /// different tests (or runs) took the locks in these orders.
  bool spansProcesses() const { return AllAtRunTime && !RuntimeAlone && !StaticAlone; }
  /// Neither half alone reported it: only linking the graphs shows it.
  bool foundOnlyByLinking() const { return !StaticAlone && !RuntimeAlone; }
};

class CombinedGraph {
public:
  /// The linked static graph: its edges, and its same-class nestings.
  void addStatic(const LockOrderLinker &Linked);
  /// One runtime report; locks in \p Mapping become their static class.
  void addRuntime(const RuntimeReport &Report, const std::map<std::string, LockMapping> &Mapping);
  /// Finds the cycles and marks their nodes and edges; call after adding.
  void finish(size_t MaxCycles = 10000);

  const std::map<std::string, CombinedNode> &nodes() const { return Nodes; }
  /// Sorted by (From, To).
  const std::vector<CombinedEdge> &edges() const { return Edges; }
  const std::vector<CombinedCycle> &cycles() const { return Cycles; }
  /// Whether finish() stopped at MaxCycles with more cycles left.
  bool cyclesCapped() const { return CyclesCapped; }
  const CombinedEdge *edge(const std::string &From, const std::string &To) const;
  size_t functionCount() const { return Functions; }
  struct EdgeCounts {
    size_t StaticOnly = 0, RuntimeOnly = 0, Both = 0;
  };
  /// How many orders each half saw alone, and both.
  EdgeCounts edgeCounts() const;
  size_t runtimeReportCount() const { return RuntimeReports; }

private:
  CombinedEdge &edgeFor(const std::string &From, const std::string &To);
  /// Index of the edge in Edges, or Edges.size().
  size_t edgeIndex(const std::string &From, const std::string &To) const;
  std::map<std::string, CombinedNode> Nodes;
  std::map<std::pair<std::string, std::string>, CombinedEdge> EdgeMap;
  /// The node a runtime lock not mapped to a static class is drawn as:
  /// one per identity (RuntimeLockIdentity.h), named as the runtime names
  /// the lock unless another identity has that name.
  std::string runtimeNodeName(const RuntimeReport &Report, const RuntimeLock &Lock);
  std::map<std::string, std::string> RuntimeNodeByIdentity;
  std::map<std::string, std::string> RuntimeIdentityByName;
  std::vector<std::string> NestedClasses;
  std::vector<CombinedEdge> Edges;
  std::vector<CombinedCycle> Cycles;
  bool CyclesCapped = false;
  size_t Functions = 0;
  size_t RuntimeReports = 0;
};

} // namespace lockgraph

#endif
