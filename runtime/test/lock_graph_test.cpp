// The lock-order graph on its own: edges, cycles, access modes, gates.
#include "lock_graph.h"

#include <gtest/gtest.h>

#include <vector>

namespace lockgraph::rt {
namespace {

constexpr Access W = Access::exclusive;
constexpr Access R = Access::shared;

class LockGraphTest : public ::testing::Test {
protected:
  LockGraph graph{1024, 4096};
  GateSet noGates;

  std::vector<NodeId> nodes(int n) {
    std::vector<NodeId> out;
    for (int i = 0; i < n; ++i)
      out.push_back(graph.addNode());
    return out;
  }
  // Inserts from -> to and returns the cycle length it closes, 0 if none.
  std::uint32_t add(NodeId from, NodeId to, Access held = W, Access acquired = W,
                    const GateSet& gates = GateSet{}) {
    auto r = graph.insertEdge(from, to, held, acquired, gates);
    EXPECT_NE(r.edge, kNoEdge);
    CyclePath path;
    return r.mayCloseCycle && graph.findCycle(r.edge, held, acquired, &path) ? path.length : 0;
  }
};

TEST_F(LockGraphTest, NewEdgeIsReportedAsCreatedOnce) {
  auto n = nodes(2);
  auto first = graph.insertEdge(n[0], n[1], W, W, noGates);
  auto second = graph.insertEdge(n[0], n[1], W, W, noGates);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_FALSE(second.changed);
  EXPECT_EQ(first.edge, second.edge);
  EXPECT_EQ(graph.edgeCount(), 1u);
}

TEST_F(LockGraphTest, ConsistentOrderHasNoCycle) {
  auto n = nodes(4);
  EXPECT_EQ(add(n[0], n[1]), 0u);
  EXPECT_EQ(add(n[1], n[2]), 0u);
  EXPECT_EQ(add(n[0], n[2]), 0u);
  EXPECT_EQ(add(n[2], n[3]), 0u);
}

TEST_F(LockGraphTest, ReverseEdgeClosesTwoCycle) {
  auto n = nodes(2);
  EXPECT_EQ(add(n[0], n[1]), 0u);
  EXPECT_EQ(add(n[1], n[0]), 2u);
}

TEST_F(LockGraphTest, FindsLongCycleAndListsItsEdgesInOrder) {
  auto n = nodes(5);
  for (int i = 0; i < 4; ++i)
    add(n[i], n[i + 1]);
  auto closing = graph.insertEdge(n[4], n[0], W, W, noGates);
  CyclePath path;
  ASSERT_TRUE(graph.findCycle(closing.edge, W, W, &path));
  ASSERT_EQ(path.length, 5u);
  EXPECT_EQ(path.edges[0], closing.edge);
  NodeId at = n[0];
  for (std::uint32_t i = 1; i < path.length; ++i) {
    EXPECT_EQ(graph.edge(path.edges[i]).from, at);
    at = graph.edge(path.edges[i]).to;
  }
  EXPECT_EQ(at, n[4]);
}

TEST_F(LockGraphTest, ReadersOnBothEndsDoNotConflict) {
  auto n = nodes(2);
  EXPECT_EQ(add(n[0], n[1], R, R), 0u);
  EXPECT_EQ(add(n[1], n[0], R, R), 0u);
}

TEST_F(LockGraphTest, WriteThenReadInversionIsACycle) {
  auto n = nodes(2);
  // T1 holds A for writing and reads B; T2 holds B for writing and wants A
  // for writing: both sides conflict.
  EXPECT_EQ(add(n[0], n[1], W, R), 0u);
  EXPECT_EQ(add(n[1], n[0], W, W), 2u);
}

TEST_F(LockGraphTest, ReadReadOnOneLockBreaksTheCycle) {
  auto n = nodes(2);
  // B is only ever read: the thread holding B (read) does not stop the one
  // wanting B (read).
  EXPECT_EQ(add(n[0], n[1], W, R), 0u);
  EXPECT_EQ(add(n[1], n[0], R, W), 0u);
}

TEST_F(LockGraphTest, NewAccessPairOnExistingEdgeCanCloseACycle) {
  auto n = nodes(2);
  EXPECT_EQ(add(n[0], n[1], W, R), 0u);
  EXPECT_EQ(add(n[1], n[0], R, W), 0u);
  EXPECT_EQ(add(n[1], n[0], W, W), 2u);
}

TEST_F(LockGraphTest, GatesAreIntersectedAcrossObservations) {
  auto n = nodes(3);
  GateSet g;
  g.add(n[2]);
  graph.insertEdge(n[0], n[1], W, W, g);
  EXPECT_EQ(graph.edge(graph.findEdge(n[0], n[1])).gates.count, 1u);
  auto again = graph.insertEdge(n[0], n[1], W, W, noGates);
  EXPECT_TRUE(again.changed) << "losing a gate can expose a cycle";
  EXPECT_EQ(graph.edge(again.edge).gates.count, 0u);
}

TEST_F(LockGraphTest, RemovedNodeTakesItsEdgesAlong) {
  auto n = nodes(3);
  add(n[0], n[1]);
  add(n[1], n[2]);
  graph.removeNode(n[1]);
  EXPECT_EQ(graph.edgeCount(), 0u);
  EXPECT_FALSE(graph.isLive(n[1]));
  NodeId reused = graph.addNode();
  EXPECT_EQ(reused, n[1]) << "ids are recycled";
  EXPECT_EQ(add(n[2], reused), 0u) << "no phantom edge survives reuse";
  EXPECT_EQ(add(reused, n[0]), 0u);
}

TEST_F(LockGraphTest, FullGraphRefusesNodesInsteadOfCrashing) {
  LockGraph tiny(2, 1);
  NodeId a = tiny.addNode(), b = tiny.addNode();
  EXPECT_NE(a, kNoNode);
  EXPECT_NE(b, kNoNode);
  EXPECT_EQ(tiny.addNode(), kNoNode);
  EXPECT_NE(tiny.insertEdge(a, b, W, W, GateSet{}).edge, kNoEdge);
  EXPECT_EQ(tiny.insertEdge(b, a, W, W, GateSet{}).edge, kNoEdge);
}

TEST_F(LockGraphTest, ManyNodesChainThenCloseFindsTheWholeCycle) {
  auto n = nodes(500);
  for (int i = 0; i + 1 < 500; ++i)
    ASSERT_EQ(add(n[i], n[i + 1]), 0u);
  EXPECT_EQ(add(n[499], n[0]), 500u);
}

} // namespace
} // namespace lockgraph::rt
