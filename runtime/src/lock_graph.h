// The lock-order graph: a node per lock class, an edge A -> B when B was
// acquired while A was held. This file knows nothing about threads, stacks
// or reports; it answers two questions for the detector: "is this edge
// new?" and "does this edge close a cycle that can deadlock?".
//
// Edges remember which access modes were seen (exclusive/shared on each end)
// so that a cycle is only reported when at every lock on it the two threads
// involved want conflicting access: two readers never block each other.
// Edges also remember the gate: locks held every time the edge was made. A
// cycle whose edges all share a gate cannot deadlock, because the gate
// serializes the threads that make it.
//
// Cycle checks cost nothing on the common path: the graph keeps its
// strongly connected components in a topological order, updated
// incrementally (Pearce and Kelly, "A dynamic topological sort algorithm
// for directed acyclic graphs", 2006). An edge that agrees with the order
// cannot close a cycle and is accepted in O(1); one against it reorders
// only the components whose order lies between its ends, and only when
// that finds a path back does the cycle search run, inside the one
// component that the cycle's nodes are merged into. Components are not
// split again when nodes go away: a component may then be larger than
// needed, which costs a search, never a report.
//
// Not synchronized; the detector calls it under its graph lock.
#pragma once

#include <atomic>
#include <cstdint>

namespace lockgraph::rt {

using NodeId = std::uint32_t;
using EdgeId = std::uint32_t;
constexpr NodeId kNoNode = 0;
constexpr EdgeId kNoEdge = 0;

enum class Access : std::uint8_t { exclusive = 0, shared = 1 };

inline bool conflicts(Access a, Access b) {
  return a == Access::exclusive || b == Access::exclusive;
}

// Locks held at every observation of an edge, besides its two ends. Bounded:
// when more locks are held only the outermost are remembered, which can
// only make fewer cycles look gated, never more.
struct GateSet {
  static constexpr int kMax = 4;
  std::uint32_t count = 0;
  NodeId nodes[kMax] = {};

  void add(NodeId n);
  bool contains(NodeId n) const;
  void intersectWith(const GateSet& other);
};

struct Edge {
  NodeId from;
  NodeId to;
  // Bit (held * 2 + acquired) for each Access pair observed.
  std::uint8_t accessPairs;
  GateSet gates;
  EdgeId nextOut, prevOut, nextIn, prevIn;
};

struct CyclePath {
  // Edges of the cycle in order, starting with the closing edge.
  const EdgeId* edges = nullptr;
  std::uint32_t length = 0;
};

class LockGraph {
public:
  LockGraph(std::uint32_t nodeCapacity, std::uint32_t edgeCapacity);

  // kNoNode when the graph is full.
  NodeId addNode();
  // Drops the node and every edge touching it; the id may be handed out
  // again. Returns whether the node ever had an edge: only then can a
  // validated chain of locks mention it.
  bool removeNode(NodeId node);
  bool isLive(NodeId node) const;

  struct InsertResult {
    EdgeId edge = kNoEdge; // kNoEdge when the graph is full
    // True when the edge is new, gained an access pair, or lost a gate: any
    // of these can create a cycle that was not there before.
    bool changed = false;
    bool created = false;
    // False when no cycle can pass through the edge (its ends lie in
    // different components), so that findCycle need not run.
    bool mayCloseCycle = false;
  };
  InsertResult insertEdge(NodeId from, NodeId to, Access held, Access acquired,
                          const GateSet& gates);
  EdgeId findEdge(NodeId from, NodeId to) const;

  // Whether from -> to is in the graph with both ends exclusive and no gate
  // left, so that observing it again changes nothing. Lock-free, callable
  // without the graph's lock (a stale answer is "no"); only for the first
  // kSettledNodes node ids, which a bit matrix covers: that is where a
  // program's many nested locks keep their order questions out of the lock.
  static constexpr NodeId kSettledNodes = 8192;
  bool settled(NodeId from, NodeId to) const {
    if (from >= kSettledNodes || to >= kSettledNodes)
      return false;
    std::size_t bit = static_cast<std::size_t>(from) * kSettledNodes + to;
    return (settled_[bit / 64].load(std::memory_order_acquire) >> (bit % 64)) & 1;
  }
  // The first edge leaving `node` (kNoEdge when none); the next one is
  // edge(id).nextOut. For walking the whole graph (the report's graph dump).
  EdgeId firstOutEdge(NodeId node) const { return isLive(node) ? nodes_[node].firstOut : kNoEdge; }
  // The first edge entering `node`; the next one is edge(id).nextIn.
  EdgeId firstInEdge(NodeId node) const { return isLive(node) ? nodes_[node].firstIn : kNoEdge; }
  const Edge& edge(EdgeId id) const { return edges_[id]; }

  // Searches for a shortest path back from `closing`'s target to its source
  // such that the whole cycle can deadlock given access modes. `held` and
  // `acquired` are the modes of the closing observation. The path stays
  // valid until the next call.
  bool findCycle(EdgeId closing, Access held, Access acquired, CyclePath* out);

  std::uint32_t edgeCount() const { return liveEdges_; }
  // Test support: whether every edge between two components goes from the
  // earlier to the later one in the topological order, and whether two
  // nodes share a component.
  bool orderIsTopological() const;
  bool sameComponent(NodeId a, NodeId b) const { return nodes_[a].component == nodes_[b].component; }
  // One past the highest node id ever handed out.
  std::uint32_t nodeLimit() const { return nodeHighWater_; }

private:
  using ComponentId = std::uint32_t;
  struct Node {
    EdgeId firstOut;
    EdgeId firstIn;
    NodeId nextFree;
    bool live;
    bool hadEdges;
    ComponentId component;
    NodeId nextMember, prevMember; // the component's members, doubly linked
  };
  struct Component {
    std::uint32_t order;   // position in the topological order
    NodeId firstMember;
    std::uint32_t size;
    ComponentId nextFree;
    std::uint32_t forwardStamp, backwardStamp; // search marks
  };
  EdgeId allocateEdge();
  void unlinkEdge(EdgeId id);
  void updateSettled(const Edge& e);
  void setSettled(NodeId from, NodeId to, bool value);
  std::atomic<std::uint64_t>* settled_; // kSettledNodes^2 bits, lazily committed

  // lock_graph_order.cpp: the components and their order.
  ComponentId newComponent(NodeId first);
  void leaveComponent(NodeId node);
  // Restores the order after edge from -> to was added; returns whether a
  // cycle may pass through it (its ends now share a component).
  bool restoreOrderAfter(NodeId from, NodeId to);
  std::uint32_t searchForward(ComponentId start, std::uint32_t upper, ComponentId goal, bool* reached);
  std::uint32_t searchBackward(ComponentId start, std::uint32_t lower, ComponentId goal, bool* reached);
  ComponentId mergeComponents(const ComponentId* members, std::uint32_t count);
  void sortByOrder(ComponentId* list, std::uint32_t count);

  Component* components_;
  ComponentId componentHighWater_ = 1;
  ComponentId freeComponents_ = 0;
  std::uint32_t nextOrder_ = 1;
  std::uint32_t orderStamp_ = 0;
  ComponentId* forwardList_;  // scratch of the reordering, one per component
  ComponentId* backwardList_;
  ComponentId* searchStack_;
  std::uint32_t* orderPool_;

  Node* nodes_;
  Edge* edges_;
  std::uint32_t nodeCapacity_, edgeCapacity_;
  std::uint32_t nodeHighWater_ = 1; // id 0 is kNoNode
  std::uint32_t edgeHighWater_ = 1;
  NodeId freeNodes_ = kNoNode;
  EdgeId freeEdges_ = kNoEdge;
  std::uint32_t liveEdges_ = 0;

  // Edge lookup by (from, to); see flat_map.h.
  struct EdgeIndex* index_;

  // Breadth-first search scratch, indexed by node * 2 + arrival mode.
  std::uint32_t* visitStamp_;
  EdgeId* parentEdge_;
  std::uint8_t* parentMode_;
  std::uint32_t* queue_;
  EdgeId* path_;
  std::uint32_t stamp_ = 0;
};

} // namespace lockgraph::rt
