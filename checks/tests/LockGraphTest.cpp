//===- LockGraphTest.cpp - Cycles of the lock-order graph -----------------===//

#include "analysis/LockGraph.h"

#include <gtest/gtest.h>
#include <set>

using lockgraph::LockGraph;
using Cycles = std::vector<LockGraph::Cycle>;

namespace {

TEST(LockGraph, AcyclicGraphHasNoCycles) {
  LockGraph G;
  G.addEdge(0, 1);
  G.addEdge(1, 2);
  G.addEdge(0, 2);
  EXPECT_TRUE(G.cyclicComponents().empty());
  EXPECT_TRUE(G.coveringCycles().empty());
}

TEST(LockGraph, TwoNodeCycleReportedOnce) {
  LockGraph G;
  G.addEdge(3, 1);
  G.addEdge(1, 3);
  EXPECT_EQ(G.coveringCycles(), (Cycles{{1, 3}}));
}

TEST(LockGraph, CycleRotatedToSmallestNode) {
  LockGraph G;
  G.addEdge(5, 2);
  G.addEdge(2, 9);
  G.addEdge(9, 5);
  EXPECT_EQ(G.coveringCycles(), (Cycles{{2, 9, 5}}));
}

TEST(LockGraph, SelfLoopsAreNotCycles) {
  LockGraph G;
  G.addEdge(4, 4);
  EXPECT_EQ(G.edgeCount(), 0u);
  EXPECT_TRUE(G.coveringCycles().empty());
}

TEST(LockGraph, DuplicateEdgesCountOnce) {
  LockGraph G;
  G.addEdge(0, 1);
  G.addEdge(0, 1);
  EXPECT_EQ(G.edgeCount(), 1u);
}

TEST(LockGraph, EveryEdgeOnACycleIsCovered) {
  // Two cycles sharing node 0: 0->1->0 and 0->2->3->0, plus a tail 3->4.
  LockGraph G;
  G.addEdge(0, 1);
  G.addEdge(1, 0);
  G.addEdge(0, 2);
  G.addEdge(2, 3);
  G.addEdge(3, 0);
  G.addEdge(3, 4);
  Cycles Found = G.coveringCycles();
  std::set<std::pair<unsigned, unsigned>> Covered;
  for (const auto &C : Found)
    for (size_t I = 0; I < C.size(); ++I)
      Covered.insert({C[I], C[(I + 1) % C.size()]});
  for (auto E : {std::pair{0u, 1u}, {1u, 0u}, {0u, 2u}, {2u, 3u}, {3u, 0u}})
    EXPECT_TRUE(Covered.count(E)) << E.first << "->" << E.second;
  EXPECT_FALSE(Covered.count({3, 4}));
  EXPECT_EQ(Found.size(), 2u);
}

TEST(LockGraph, ComponentsExcludeNodesOffCycles) {
  LockGraph G;
  G.addEdge(0, 1);
  G.addEdge(1, 2);
  G.addEdge(2, 1);
  EXPECT_EQ(G.cyclicComponents(), (std::vector<std::vector<unsigned>>{{1, 2}}));
}

TEST(LockGraph, LimitCapsTheNumberOfCycles) {
  LockGraph G;
  for (unsigned I = 0; I < 10; ++I) {
    G.addEdge(2 * I, 2 * I + 1);
    G.addEdge(2 * I + 1, 2 * I);
  }
  EXPECT_EQ(G.coveringCycles(3).size(), 3u);
  EXPECT_EQ(G.coveringCycles().size(), 10u);
}

TEST(LockGraph, LongChainClosedByOneEdgeNeedsNoDeepRecursion) {
  LockGraph G;
  const unsigned N = 200000;
  for (unsigned I = 0; I + 1 < N; ++I)
    G.addEdge(I, I + 1);
  G.addEdge(N - 1, 0);
  Cycles Found = G.coveringCycles();
  ASSERT_EQ(Found.size(), 1u);
  EXPECT_EQ(Found[0].size(), N);
}

} // namespace
