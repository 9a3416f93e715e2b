//===- LockGraph.cpp ------------------------------------------------------===//

#include "analysis/LockGraph.h"

#include <algorithm>
#include <set>

namespace lockgraph {

void LockGraph::addEdge(Node From, Node To) {
  if (From == To)
    return;
  Node Needed = std::max(From, To) + 1;
  if (Successors.size() < Needed)
    Successors.resize(Needed);
  if (Edges.insert(key(From, To)).second)
    Successors[From].push_back(To);
}

std::vector<std::vector<LockGraph::Node>> LockGraph::cyclicComponents() const {
  // Iterative Tarjan: lock graphs of large programs are deep enough that
  // recursion could exhaust the stack.
  const size_t N = Successors.size();
  const unsigned Unvisited = ~0u;
  std::vector<unsigned> Index(N, Unvisited), Low(N, 0);
  std::vector<bool> OnStack(N, false);
  std::vector<Node> Stack;
  std::vector<std::pair<Node, size_t>> Work; // node, next successor to visit
  std::vector<std::vector<Node>> Out;
  unsigned Next = 0;
  for (Node Root = 0; Root < N; ++Root) {
    if (Index[Root] != Unvisited)
      continue;
    Work.push_back({Root, 0});
    while (!Work.empty()) {
      auto &[V, Pos] = Work.back();
      if (Pos == 0 && Index[V] == Unvisited) {
        Index[V] = Low[V] = Next++;
        Stack.push_back(V);
        OnStack[V] = true;
      }
      if (Pos < Successors[V].size()) {
        Node W = Successors[V][Pos++];
        if (Index[W] == Unvisited)
          Work.push_back({W, 0});
        else if (OnStack[W])
          Low[V] = std::min(Low[V], Index[W]);
        continue;
      }
      Node Done = V;
      Work.pop_back();
      if (!Work.empty())
        Low[Work.back().first] = std::min(Low[Work.back().first], Low[Done]);
      if (Low[Done] != Index[Done])
        continue;
      std::vector<Node> Component;
      Node W;
      do {
        W = Stack.back();
        Stack.pop_back();
        OnStack[W] = false;
        Component.push_back(W);
      } while (W != Done);
      if (Component.size() > 1) {
        std::sort(Component.begin(), Component.end());
        Out.push_back(std::move(Component));
      }
    }
  }
  std::sort(Out.begin(), Out.end());
  return Out;
}

std::vector<LockGraph::Cycle> LockGraph::coveringCycles(size_t Limit) const {
  std::vector<Cycle> Out;
  std::set<Cycle> Seen;
  std::unordered_set<uint64_t> Covered;
  const size_t N = Successors.size();
  std::vector<int> Component(N, -1);
  std::vector<std::vector<Node>> Components = cyclicComponents();
  for (size_t C = 0; C < Components.size(); ++C)
    for (Node V : Components[C])
      Component[V] = int(C);

  std::vector<Node> Parent(N);
  std::vector<unsigned> VisitedIn(N, 0);
  unsigned Generation = 0;
  for (const std::vector<Node> &Members : Components) {
    for (Node U : Members) {
      for (Node V : Successors[U]) {
        if (Out.size() >= Limit)
          return Out;
        if (Component[V] != Component[U] || Covered.count(key(U, V)))
          continue;
        // Shortest path V -> ... -> U inside the component closes U -> V.
        ++Generation;
        std::vector<Node> Queue{V};
        VisitedIn[V] = Generation;
        bool Found = V == U;
        for (size_t Head = 0; Head < Queue.size() && !Found; ++Head) {
          Node X = Queue[Head];
          for (Node Y : Successors[X]) {
            if (Component[Y] != Component[U] || VisitedIn[Y] == Generation)
              continue;
            VisitedIn[Y] = Generation;
            Parent[Y] = X;
            if (Y == U) {
              Found = true;
              break;
            }
            Queue.push_back(Y);
          }
        }
        if (!Found)
          continue;
        Cycle Path;
        for (Node X = U; X != V; X = Parent[X])
          Path.push_back(X);
        Path.push_back(V);
        std::reverse(Path.begin(), Path.end()); // V ... U
        for (size_t I = 0; I < Path.size(); ++I)
          Covered.insert(key(Path[I], Path[(I + 1) % Path.size()]));
        std::rotate(Path.begin(), std::min_element(Path.begin(), Path.end()), Path.end());
        if (Seen.insert(Path).second)
          Out.push_back(std::move(Path));
      }
    }
  }
  return Out;
}

} // namespace lockgraph
