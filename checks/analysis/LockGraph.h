//===- LockGraph.h - Cycles in a directed graph of lock classes ------------===//
//
// A small graph interface (add edges, ask for cycles) hiding the algorithm:
// Tarjan's strongly connected components, then, inside each component, the
// shortest cycle through every edge not yet on a reported cycle. Every edge
// that lies on some cycle is therefore shown in at least one reported cycle,
// each cycle is reported once, and the work stays polynomial (enumerating
// all elementary cycles can be exponential).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOCKGRAPH_H
#define LOCKGRAPH_ANALYSIS_LOCKGRAPH_H

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace lockgraph {

class LockGraph {
public:
  using Node = unsigned;
  /// A cycle as the nodes visited in order; the edge from the last node
  /// back to the first closes it. Rotated to start at its smallest node.
  using Cycle = std::vector<Node>;

  /// Adds the edge once however often it is added. Self-loops are ignored:
  /// a lock nested in itself is a different report (same-class nesting).
  void addEdge(Node From, Node To);

  size_t nodeCount() const { return Successors.size(); }
  size_t edgeCount() const { return Edges.size(); }
  bool hasEdge(Node From, Node To) const { return Edges.count(key(From, To)) != 0; }

  /// Strongly connected components with more than one node.
  std::vector<std::vector<Node>> cyclicComponents() const;

  /// Cycles covering every edge that lies on a cycle, at most \p Limit of
  /// them, in a deterministic order.
  std::vector<Cycle> coveringCycles(size_t Limit = 10000) const;

private:
  static uint64_t key(Node From, Node To) { return (uint64_t(From) << 32) | To; }
  std::vector<std::vector<Node>> Successors;
  std::unordered_set<uint64_t> Edges;
};

} // namespace lockgraph

#endif
