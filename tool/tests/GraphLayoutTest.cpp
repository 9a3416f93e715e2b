//===- GraphLayoutTest.cpp - The circular layout at scale -----------------===//

#include "GraphLayout.h"

#include "gtest/gtest.h"

#include <chrono>
#include <string>

namespace lockgraph {
namespace {

TEST(GraphLayout, PlacesEveryNodeOnce) {
  GraphLayout L = circularLayout({{"a", "b"}}, {{"c", "a"}, {"b", "d"}, {"e", "f"}});
  EXPECT_EQ(L.Nodes.size(), 6u);
  for (const char *N : {"a", "b", "c", "d", "e", "f"})
    EXPECT_TRUE(L.Nodes.count(N)) << N;
}

TEST(GraphLayout, NeighboursFollowTheirNode) {
  // Clockwise from the top: a, then its neighbour z (although z sorts
  // last), then b and c: z is right of a, b below z.
  GraphLayout L = circularLayout({}, {{"a", "z"}, {"b", "c"}});
  EXPECT_GT(L.Nodes.at("z").Center.X, L.Nodes.at("a").Center.X);
  EXPECT_GT(L.Nodes.at("b").Center.Y, L.Nodes.at("z").Center.Y);
}

TEST(GraphLayout, FifteenThousandEdgesInMilliseconds) {
  // The layout used to be cubic (a 15,000-edge page did not finish in ten
  // minutes); it is linear in nodes and edges.
  std::vector<std::pair<std::string, std::string>> Edges;
  const int Nodes = 5000;
  for (int I = 0; I < Nodes; ++I)
    for (int K = 1; K <= 3; ++K)
      Edges.push_back({"lock_" + std::to_string(I), "lock_" + std::to_string((I * 7 + K * 13) % Nodes)});
  auto Start = std::chrono::steady_clock::now();
  GraphLayout L = circularLayout({{"lock_1", "lock_2"}}, Edges);
  double Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  EXPECT_EQ(L.Nodes.size(), size_t(Nodes));
  EXPECT_LT(Seconds, 10.0); // about 0.05 s; generous for a loaded machine
}

} // namespace
} // namespace lockgraph
