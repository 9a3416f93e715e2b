#include "lock_graph.h"

#include "flat_map.h"
#include "os.h"

namespace lockgraph::rt {

struct EdgeIndex {
  FlatMap map;
};

namespace {
std::uint64_t edgeKey(NodeId from, NodeId to) {
  return (static_cast<std::uint64_t>(from) << 32) | to;
}
std::uint8_t pairBit(Access held, Access acquired) {
  return static_cast<std::uint8_t>(1u << (static_cast<int>(held) * 2 + static_cast<int>(acquired)));
}
template <class T> T* mapArray(std::uint32_t n) {
  return static_cast<T*>(mapPages(sizeof(T) * (static_cast<std::size_t>(n) + 1)));
}
} // namespace

void GateSet::add(NodeId n) {
  if (count < kMax && !contains(n))
    nodes[count++] = n;
}

bool GateSet::contains(NodeId n) const {
  for (std::uint32_t i = 0; i < count; ++i)
    if (nodes[i] == n)
      return true;
  return false;
}

void GateSet::intersectWith(const GateSet& other) {
  std::uint32_t kept = 0;
  for (std::uint32_t i = 0; i < count; ++i)
    if (other.contains(nodes[i]))
      nodes[kept++] = nodes[i];
  count = kept;
}

LockGraph::LockGraph(std::uint32_t nodeCapacity, std::uint32_t edgeCapacity)
    : nodes_(mapArray<Node>(nodeCapacity)), edges_(mapArray<Edge>(edgeCapacity)),
      nodeCapacity_(nodeCapacity), edgeCapacity_(edgeCapacity) {
  index_ = static_cast<EdgeIndex*>(mapPages(sizeof(EdgeIndex)));
  visitStamp_ = mapArray<std::uint32_t>(nodeCapacity * 2);
  parentEdge_ = mapArray<EdgeId>(nodeCapacity * 2);
  parentMode_ = mapArray<std::uint8_t>(nodeCapacity * 2);
  queue_ = mapArray<std::uint32_t>(nodeCapacity * 2);
  path_ = mapArray<EdgeId>(nodeCapacity);
  settled_ = static_cast<std::atomic<std::uint64_t>*>(
      mapPages(static_cast<std::size_t>(kSettledNodes) * kSettledNodes / 8));
  components_ = mapArray<Component>(nodeCapacity);
  forwardList_ = mapArray<ComponentId>(nodeCapacity);
  backwardList_ = mapArray<ComponentId>(nodeCapacity);
  searchStack_ = mapArray<ComponentId>(nodeCapacity);
  orderPool_ = mapArray<std::uint32_t>(nodeCapacity);
}

NodeId LockGraph::addNode() {
  NodeId id;
  if (freeNodes_ != kNoNode) {
    id = freeNodes_;
    freeNodes_ = nodes_[id].nextFree;
  } else if (nodeHighWater_ <= nodeCapacity_) {
    id = nodeHighWater_++;
  } else {
    return kNoNode;
  }
  nodes_[id] = Node{kNoEdge, kNoEdge, kNoNode, true, false, 0, kNoNode, kNoNode};
  nodes_[id].component = newComponent(id);
  return id;
}

bool LockGraph::isLive(NodeId node) const {
  return node != kNoNode && node < nodeHighWater_ && nodes_[node].live;
}

bool LockGraph::removeNode(NodeId node) {
  if (!isLive(node))
    return false;
  while (nodes_[node].firstOut != kNoEdge)
    unlinkEdge(nodes_[node].firstOut);
  while (nodes_[node].firstIn != kNoEdge)
    unlinkEdge(nodes_[node].firstIn);
  leaveComponent(node);
  nodes_[node].live = false;
  nodes_[node].nextFree = freeNodes_;
  freeNodes_ = node;
  return nodes_[node].hadEdges;
}

EdgeId LockGraph::allocateEdge() {
  if (freeEdges_ != kNoEdge) {
    EdgeId id = freeEdges_;
    freeEdges_ = edges_[id].nextOut;
    return id;
  }
  if (edgeHighWater_ <= edgeCapacity_)
    return edgeHighWater_++;
  return kNoEdge;
}

void LockGraph::unlinkEdge(EdgeId id) {
  Edge& e = edges_[id];
  if (e.prevOut != kNoEdge)
    edges_[e.prevOut].nextOut = e.nextOut;
  else
    nodes_[e.from].firstOut = e.nextOut;
  if (e.nextOut != kNoEdge)
    edges_[e.nextOut].prevOut = e.prevOut;
  if (e.prevIn != kNoEdge)
    edges_[e.prevIn].nextIn = e.nextIn;
  else
    nodes_[e.to].firstIn = e.nextIn;
  if (e.nextIn != kNoEdge)
    edges_[e.nextIn].prevIn = e.prevIn;
  index_->map.erase(edgeKey(e.from, e.to));
  setSettled(e.from, e.to, false);
  e = Edge{};
  e.nextOut = freeEdges_;
  freeEdges_ = id;
  --liveEdges_;
}

EdgeId LockGraph::findEdge(NodeId from, NodeId to) const {
  std::uint64_t* slot = index_->map.find(edgeKey(from, to));
  return slot ? static_cast<EdgeId>(*slot) : kNoEdge;
}

LockGraph::InsertResult LockGraph::insertEdge(NodeId from, NodeId to, Access held,
                                              Access acquired, const GateSet& gates) {
  InsertResult result;
  if (!isLive(from) || !isLive(to) || from == to)
    return result;
  std::uint8_t bit = pairBit(held, acquired);
  if (EdgeId existing = findEdge(from, to)) {
    Edge& e = edges_[existing];
    std::uint32_t gatesBefore = e.gates.count;
    e.gates.intersectWith(gates);
    result.edge = existing;
    result.changed = (e.accessPairs & bit) == 0 || e.gates.count != gatesBefore;
    e.accessPairs |= bit;
    result.mayCloseCycle = result.changed && sameComponent(from, to);
    if (result.changed)
      updateSettled(e);
    return result;
  }
  EdgeId id = allocateEdge();
  if (id == kNoEdge)
    return result;
  Edge& e = edges_[id];
  e = Edge{};
  e.from = from;
  e.to = to;
  e.accessPairs = bit;
  e.gates = gates;
  e.nextOut = nodes_[from].firstOut;
  if (e.nextOut != kNoEdge)
    edges_[e.nextOut].prevOut = id;
  nodes_[from].firstOut = id;
  e.nextIn = nodes_[to].firstIn;
  if (e.nextIn != kNoEdge)
    edges_[e.nextIn].prevIn = id;
  nodes_[to].firstIn = id;
  index_->map.insert(edgeKey(from, to), id, nullptr);
  ++liveEdges_;
  nodes_[from].hadEdges = nodes_[to].hadEdges = true;
  result.edge = id;
  result.changed = true;
  result.created = true;
  result.mayCloseCycle = restoreOrderAfter(from, to);
  updateSettled(e);
  return result;
}

void LockGraph::setSettled(NodeId from, NodeId to, bool value) {
  if (from >= kSettledNodes || to >= kSettledNodes)
    return;
  std::size_t bit = static_cast<std::size_t>(from) * kSettledNodes + to;
  std::uint64_t mask = std::uint64_t{1} << (bit % 64);
  if (value)
    settled_[bit / 64].fetch_or(mask, std::memory_order_release);
  else
    settled_[bit / 64].fetch_and(~mask, std::memory_order_release);
}

void LockGraph::updateSettled(const Edge& e) {
  if (e.gates.count == 0 && (e.accessPairs & pairBit(Access::exclusive, Access::exclusive)))
    setSettled(e.from, e.to, true);
}

bool LockGraph::findCycle(EdgeId closing, Access held, Access acquired, CyclePath* out) {
  const Edge& c = edges_[closing];
  const NodeId start = c.to;
  const NodeId goal = c.from;
  // Every cycle through the closing edge stays inside its component.
  const ComponentId within = nodes_[goal].component;
  if (++stamp_ == 0) { // wrapped: old stamps could alias the new one
    for (std::uint32_t i = 0; i < nodeHighWater_ * 2; ++i)
      visitStamp_[i] = 0;
    stamp_ = 1;
  }
  // A search state is (node, mode in which the path's thread acquires it).
  auto state = [](NodeId n, Access a) { return n * 2 + static_cast<std::uint32_t>(a); };
  std::uint32_t head = 0, tail = 0;
  std::uint32_t first = state(start, acquired);
  visitStamp_[first] = stamp_;
  parentEdge_[first] = kNoEdge;
  queue_[tail++] = first;
  std::uint32_t found = 0;
  bool reached = false;
  while (head < tail && !reached) {
    std::uint32_t s = queue_[head++];
    NodeId node = s / 2;
    Access arrived = static_cast<Access>(s % 2);
    for (EdgeId e = nodes_[node].firstOut; e != kNoEdge && !reached; e = edges_[e].nextOut) {
      if (e == closing)
        continue;
      const Edge& edge = edges_[e];
      if (nodes_[edge.to].component != within)
        continue;
      for (int h = 0; h < 2 && !reached; ++h) {
        for (int a = 0; a < 2; ++a) {
          if (!(edge.accessPairs & pairBit(Access(h), Access(a))))
            continue;
          // Another thread holds `node` in mode h while this path's thread
          // wants it in mode `arrived`; only a conflict can block.
          if (!conflicts(arrived, Access(h)))
            continue;
          std::uint32_t next = state(edge.to, Access(a));
          if (edge.to == goal) {
            if (!conflicts(Access(a), held))
              continue;
            visitStamp_[next] = stamp_;
            parentEdge_[next] = e;
            parentMode_[next] = static_cast<std::uint8_t>(s & 1);
            found = next;
            reached = true;
            break;
          }
          // A simple cycle passes through its start only once.
          if (edge.to == start || visitStamp_[next] == stamp_)
            continue;
          visitStamp_[next] = stamp_;
          parentEdge_[next] = e;
          parentMode_[next] = static_cast<std::uint8_t>(s & 1);
          queue_[tail++] = next;
        }
      }
    }
  }
  if (!reached)
    return false;
  // Walk predecessors back from the goal; the predecessor state of `s` is
  // (from-node of its parent edge, stored arrival mode).
  std::uint32_t length = 0;
  std::uint32_t s = found;
  while (s != first) {
    EdgeId e = parentEdge_[s];
    path_[length++] = e;
    std::uint32_t prevMode = parentMode_[s] & 1;
    s = state(edges_[e].from, static_cast<Access>(prevMode));
  }
  // path_ holds goal-side first; the cycle reads closing, then start -> goal.
  out->length = length + 1;
  for (std::uint32_t i = 0; i < length / 2; ++i) {
    EdgeId t = path_[i];
    path_[i] = path_[length - 1 - i];
    path_[length - 1 - i] = t;
  }
  for (std::uint32_t i = length; i > 0; --i)
    path_[i] = path_[i - 1];
  path_[0] = closing;
  out->edges = path_;
  return true;
}

} // namespace lockgraph::rt
