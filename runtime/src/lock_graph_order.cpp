// The lock-order graph's components and their topological order (see
// lock_graph.h): Pearce and Kelly's incremental algorithm, extended to merge
// the components on a cycle into one instead of failing.
#include "lock_graph.h"

#include <algorithm>

namespace lockgraph::rt {

LockGraph::ComponentId LockGraph::newComponent(NodeId first) {
  ComponentId id;
  if (freeComponents_ != 0) {
    id = freeComponents_;
    freeComponents_ = components_[id].nextFree;
  } else {
    id = componentHighWater_++; // never more components than nodes
  }
  // Last in the order: a new node has no edges, any place is right.
  components_[id] = Component{nextOrder_++, first, 1, 0, 0, 0};
  nodes_[first].nextMember = nodes_[first].prevMember = kNoNode;
  return id;
}

void LockGraph::leaveComponent(NodeId node) {
  Node& n = nodes_[node];
  Component& c = components_[n.component];
  if (n.prevMember != kNoNode)
    nodes_[n.prevMember].nextMember = n.nextMember;
  else
    c.firstMember = n.nextMember;
  if (n.nextMember != kNoNode)
    nodes_[n.nextMember].prevMember = n.prevMember;
  if (--c.size == 0) {
    c.nextFree = freeComponents_;
    freeComponents_ = n.component;
  }
}

// Components reachable from `start` through components ordered below
// `upper`, into forwardList_; `reached` says whether `goal` (ordered at
// `upper`) was among the targets. Depth first, with an explicit stack.
std::uint32_t LockGraph::searchForward(ComponentId start, std::uint32_t upper, ComponentId goal,
                                       bool* reached) {
  std::uint32_t found = 0, depth = 0;
  components_[start].forwardStamp = orderStamp_;
  forwardList_[found++] = start;
  searchStack_[depth++] = start;
  while (depth > 0) {
    ComponentId c = searchStack_[--depth];
    for (NodeId m = components_[c].firstMember; m != kNoNode; m = nodes_[m].nextMember) {
      for (EdgeId e = nodes_[m].firstOut; e != kNoEdge; e = edges_[e].nextOut) {
        ComponentId w = nodes_[edges_[e].to].component;
        if (w == goal)
          *reached = true;
        Component& target = components_[w];
        if (target.forwardStamp == orderStamp_ || target.order > upper || w == goal)
          continue;
        target.forwardStamp = orderStamp_;
        forwardList_[found++] = w;
        searchStack_[depth++] = w;
      }
    }
  }
  return found;
}

// Components that reach `start` through components ordered above `lower`,
// into backwardList_; `reached` says whether `goal` (ordered at `lower`)
// was among the sources.
std::uint32_t LockGraph::searchBackward(ComponentId start, std::uint32_t lower, ComponentId goal,
                                        bool* reached) {
  std::uint32_t found = 0, depth = 0;
  components_[start].backwardStamp = orderStamp_;
  backwardList_[found++] = start;
  searchStack_[depth++] = start;
  while (depth > 0) {
    ComponentId c = searchStack_[--depth];
    for (NodeId m = components_[c].firstMember; m != kNoNode; m = nodes_[m].nextMember) {
      for (EdgeId e = nodes_[m].firstIn; e != kNoEdge; e = edges_[e].nextIn) {
        ComponentId w = nodes_[edges_[e].from].component;
        if (w == goal)
          *reached = true;
        Component& source = components_[w];
        if (source.backwardStamp == orderStamp_ || source.order < lower || w == goal)
          continue;
        source.backwardStamp = orderStamp_;
        backwardList_[found++] = w;
        searchStack_[depth++] = w;
      }
    }
  }
  return found;
}

void LockGraph::sortByOrder(ComponentId* list, std::uint32_t count) {
  std::sort(list, list + count,
            [this](ComponentId a, ComponentId b) { return components_[a].order < components_[b].order; });
}

// Moves the members of every listed component into the largest one (fewest
// relabelled), frees the others, and returns the survivor.
LockGraph::ComponentId LockGraph::mergeComponents(const ComponentId* members, std::uint32_t count) {
  ComponentId into = members[0];
  for (std::uint32_t i = 1; i < count; ++i)
    if (components_[members[i]].size > components_[into].size)
      into = members[i];
  Component& target = components_[into];
  for (std::uint32_t i = 0; i < count; ++i) {
    ComponentId from = members[i];
    if (from == into)
      continue;
    Component& source = components_[from];
    NodeId last = kNoNode;
    for (NodeId m = source.firstMember; m != kNoNode; m = nodes_[m].nextMember) {
      nodes_[m].component = into;
      last = m;
    }
    if (last != kNoNode) { // splice the whole list in front
      nodes_[last].nextMember = target.firstMember;
      if (target.firstMember != kNoNode)
        nodes_[target.firstMember].prevMember = last;
      target.firstMember = source.firstMember;
    }
    target.size += source.size;
    source.size = 0;
    source.firstMember = kNoNode;
    source.nextFree = freeComponents_;
    freeComponents_ = from;
  }
  return into;
}

bool LockGraph::restoreOrderAfter(NodeId from, NodeId to) {
  ComponentId source = nodes_[from].component, target = nodes_[to].component;
  if (source == target)
    return true;
  std::uint32_t lower = components_[target].order, upper = components_[source].order;
  if (upper < lower)
    return false; // the edge agrees with the order: the O(1) case
  // Only components ordered between the edge's ends can be affected.
  if (++orderStamp_ == 0) {
    for (ComponentId c = 1; c < componentHighWater_; ++c)
      components_[c].forwardStamp = components_[c].backwardStamp = 0;
    orderStamp_ = 1;
  }
  bool cycle = false, unused = false;
  std::uint32_t forward = searchForward(target, upper, source, &cycle);
  std::uint32_t backward = searchBackward(source, lower, target, &unused);
  if (cycle) {
    // Each end is on the other's side too (the searches stop at them).
    components_[target].backwardStamp = orderStamp_;
    components_[source].forwardStamp = orderStamp_;
  }
  // Every order value in play, lowest first, handed out again below.
  std::uint32_t pool = 0;
  for (std::uint32_t i = 0; i < backward; ++i)
    orderPool_[pool++] = components_[backwardList_[i]].order;
  for (std::uint32_t i = 0; i < forward; ++i)
    if (components_[forwardList_[i]].backwardStamp != orderStamp_)
      orderPool_[pool++] = components_[forwardList_[i]].order;
  std::sort(orderPool_, orderPool_ + pool);
  sortByOrder(backwardList_, backward);
  sortByOrder(forwardList_, forward);
  std::uint32_t next = 0;
  if (!cycle) {
    // Pearce-Kelly: what reaches the source, then what the target reaches.
    for (std::uint32_t i = 0; i < backward; ++i)
      components_[backwardList_[i]].order = orderPool_[next++];
    for (std::uint32_t i = 0; i < forward; ++i)
      components_[forwardList_[i]].order = orderPool_[next++];
    return false;
  }
  // A cycle: the components both reached from the target and reaching the
  // source (the source itself included) are strongly connected now. They
  // become one, placed after the rest of what reaches the source and before
  // the rest of what the target reaches.
  std::uint32_t onCycle = 0;
  for (std::uint32_t i = 0; i < forward; ++i)
    if (components_[forwardList_[i]].backwardStamp == orderStamp_)
      searchStack_[onCycle++] = forwardList_[i];
  searchStack_[onCycle++] = source;
  // The pool has a value to spare for each component merged away. As in
  // the plain case, what reaches the source takes the lowest values (it
  // only moves down) and what the target reaches the highest (it only moves
  // up), so the components outside the window stay correctly ordered.
  for (std::uint32_t i = 0; i < backward; ++i)
    if (components_[backwardList_[i]].forwardStamp != orderStamp_)
      components_[backwardList_[i]].order = orderPool_[next++];
  std::uint32_t mergedOrder = orderPool_[next];
  std::uint32_t afterMerged = 0;
  for (std::uint32_t i = 0; i < forward; ++i)
    afterMerged += components_[forwardList_[i]].backwardStamp != orderStamp_;
  next = pool - afterMerged;
  for (std::uint32_t i = 0; i < forward; ++i)
    if (components_[forwardList_[i]].backwardStamp != orderStamp_)
      components_[forwardList_[i]].order = orderPool_[next++];
  ComponentId merged = mergeComponents(searchStack_, onCycle);
  components_[merged].order = mergedOrder;
  return true;
}

bool LockGraph::orderIsTopological() const {
  for (NodeId n = 1; n < nodeHighWater_; ++n) {
    if (!nodes_[n].live)
      continue;
    for (EdgeId e = nodes_[n].firstOut; e != kNoEdge; e = edges_[e].nextOut) {
      ComponentId a = nodes_[n].component, b = nodes_[edges_[e].to].component;
      if (a != b && components_[a].order >= components_[b].order)
        return false;
    }
  }
  return true;
}

} // namespace lockgraph::rt
