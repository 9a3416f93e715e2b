// The lock-order graph's incremental topological order: an edge that agrees
// with the order needs no cycle search, one against it reorders, one that
// closes a cycle merges the cycle's components, and the answer always
// agrees with plain reachability.
#include "lock_graph.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <utility>
#include <vector>

namespace lockgraph::rt {
namespace {

constexpr Access W = Access::exclusive;

class LockGraphOrderTest : public ::testing::Test {
protected:
  LockGraph graph{4096, 1 << 16};

  std::vector<NodeId> nodes(int n) {
    std::vector<NodeId> out;
    for (int i = 0; i < n; ++i)
      out.push_back(graph.addNode());
    return out;
  }
  LockGraph::InsertResult add(NodeId from, NodeId to) {
    return graph.insertEdge(from, to, W, W, GateSet{});
  }
};

TEST_F(LockGraphOrderTest, EdgesAlongTheOrderNeedNoCycleSearch) {
  auto n = nodes(4);
  EXPECT_FALSE(add(n[0], n[1]).mayCloseCycle);
  EXPECT_FALSE(add(n[1], n[2]).mayCloseCycle);
  EXPECT_FALSE(add(n[0], n[3]).mayCloseCycle);
  EXPECT_TRUE(graph.orderIsTopological());
}

TEST_F(LockGraphOrderTest, EdgeAgainstTheOrderReordersWithoutACycle) {
  auto n = nodes(4);
  add(n[2], n[3]);
  // Against creation order, but no path back from n[0] to n[3].
  EXPECT_FALSE(add(n[3], n[0]).mayCloseCycle);
  EXPECT_FALSE(add(n[1], n[2]).mayCloseCycle);
  EXPECT_TRUE(graph.orderIsTopological());
  EXPECT_FALSE(graph.sameComponent(n[3], n[0]));
}

TEST_F(LockGraphOrderTest, ClosingACycleMergesItsNodesIntoOneComponent) {
  auto n = nodes(5);
  add(n[0], n[1]);
  add(n[1], n[2]);
  add(n[3], n[4]);
  auto closing = add(n[2], n[0]);
  EXPECT_TRUE(closing.mayCloseCycle);
  EXPECT_TRUE(graph.sameComponent(n[0], n[2]));
  EXPECT_TRUE(graph.sameComponent(n[1], n[2]));
  EXPECT_FALSE(graph.sameComponent(n[3], n[0])) << "off the cycle";
  CyclePath path;
  EXPECT_TRUE(graph.findCycle(closing.edge, W, W, &path));
  EXPECT_EQ(path.length, 3u);
  // Edges leaving or entering the merged component are ordered as usual.
  EXPECT_FALSE(add(n[2], n[3]).mayCloseCycle);
  EXPECT_TRUE(graph.orderIsTopological());
  EXPECT_TRUE(add(n[4], n[1]).mayCloseCycle) << "n[1] -> n[2] -> n[3] -> n[4] -> n[1]";
  EXPECT_TRUE(graph.sameComponent(n[4], n[0]));
}

TEST_F(LockGraphOrderTest, RemovedNodesLeaveTheirComponent) {
  auto n = nodes(3);
  add(n[0], n[1]);
  add(n[1], n[0]);
  graph.removeNode(n[1]);
  NodeId reused = graph.addNode();
  EXPECT_FALSE(graph.sameComponent(reused, n[0]));
  EXPECT_FALSE(add(reused, n[2]).mayCloseCycle);
  EXPECT_TRUE(graph.orderIsTopological());
}

TEST_F(LockGraphOrderTest, AnEdgeIsSettledOnceExclusiveAndUngated) {
  auto n = nodes(3);
  GateSet gate;
  gate.add(n[2]);
  graph.insertEdge(n[0], n[1], W, W, gate);
  EXPECT_FALSE(graph.settled(n[0], n[1])) << "a gate can still be lost";
  graph.insertEdge(n[0], n[1], W, W, GateSet{});
  EXPECT_TRUE(graph.settled(n[0], n[1]));
  EXPECT_FALSE(graph.settled(n[1], n[0]));
  graph.insertEdge(n[1], n[2], Access::shared, W, GateSet{});
  EXPECT_FALSE(graph.settled(n[1], n[2])) << "a write-write observation would be new";
  graph.removeNode(n[1]);
  NodeId reused = graph.addNode();
  ASSERT_EQ(reused, n[1]);
  EXPECT_FALSE(graph.settled(n[0], reused)) << "gone with the node";
}

// Whether `to` reaches `from` without the edge from -> to itself.
bool reaches(const std::set<std::pair<int, int>>& edges, int to, int from) {
  std::vector<int> stack{to};
  std::set<int> seen{to};
  while (!stack.empty()) {
    int v = stack.back();
    stack.pop_back();
    if (v == from)
      return true;
    for (auto [a, b] : edges)
      if (a == v && seen.insert(b).second)
        stack.push_back(b);
  }
  return false;
}

TEST_F(LockGraphOrderTest, RandomEdgesAgreeWithReachability) {
  std::mt19937 random(12);
  for (int round = 0; round < 20; ++round) {
    LockGraph g(256, 4096);
    constexpr int kNodes = 40;
    std::vector<NodeId> id;
    for (int i = 0; i < kNodes; ++i)
      id.push_back(g.addNode());
    std::set<std::pair<int, int>> edges;
    for (int k = 0; k < 120; ++k) {
      int a = static_cast<int>(random() % kNodes), b = static_cast<int>(random() % kNodes);
      if (a == b || edges.count({a, b}))
        continue;
      bool cycle = reaches(edges, b, a);
      edges.insert({a, b});
      auto r = g.insertEdge(id[a], id[b], W, W, GateSet{});
      ASSERT_EQ(r.mayCloseCycle, cycle) << "round " << round << " edge " << a << " -> " << b;
      ASSERT_TRUE(g.orderIsTopological()) << "round " << round << " edge " << a << " -> " << b;
      CyclePath path;
      ASSERT_EQ(r.mayCloseCycle && g.findCycle(r.edge, W, W, &path), cycle);
    }
  }
}

TEST_F(LockGraphOrderTest, RandomEdgesWithRemovalsNeverMissACycle) {
  std::mt19937 random(34);
  LockGraph g(256, 1 << 14);
  constexpr int kNodes = 30;
  std::vector<NodeId> id;
  for (int i = 0; i < kNodes; ++i)
    id.push_back(g.addNode());
  std::set<std::pair<int, int>> edges;
  for (int k = 0; k < 3000; ++k) {
    if (random() % 20 == 0) { // a lock goes away; a new one takes its place
      int v = static_cast<int>(random() % kNodes);
      g.removeNode(id[v]);
      id[v] = g.addNode();
      for (auto it = edges.begin(); it != edges.end();)
        it = it->first == v || it->second == v ? edges.erase(it) : std::next(it);
      continue;
    }
    int a = static_cast<int>(random() % kNodes), b = static_cast<int>(random() % kNodes);
    if (a == b || edges.count({a, b}))
      continue;
    bool cycle = reaches(edges, b, a);
    edges.insert({a, b});
    auto r = g.insertEdge(id[a], id[b], W, W, GateSet{});
    if (cycle)
      ASSERT_TRUE(r.mayCloseCycle) << "step " << k;
    ASSERT_TRUE(g.orderIsTopological()) << "step " << k;
    CyclePath path;
    ASSERT_EQ(r.mayCloseCycle && g.findCycle(r.edge, W, W, &path), cycle) << "step " << k;
  }
}

} // namespace
} // namespace lockgraph::rt
