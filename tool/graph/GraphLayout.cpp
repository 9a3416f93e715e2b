//===- GraphLayout.cpp ----------------------------------------------------===//

#include "GraphLayout.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace lockgraph {
namespace {

constexpr double CharWidth = 7.3; // 12px monospace
constexpr double BoxHeight = 28, BoxPadding = 20, Gap = 36, Margin = 40;

/// Where the ray from the centre of \p B towards \p Toward leaves the box.
Point borderPoint(const NodeBox &B, Point Toward) {
  double DX = Toward.X - B.Center.X, DY = Toward.Y - B.Center.Y;
  if (DX == 0 && DY == 0)
    return B.Center;
  double SX = DX != 0 ? (B.Width / 2) / std::abs(DX) : INFINITY;
  double SY = DY != 0 ? (B.Height / 2) / std::abs(DY) : INFINITY;
  double S = std::min(SX, SY);
  return {B.Center.X + DX * S, B.Center.Y + DY * S};
}

/// Node order around the circle: groups first, then each remaining node
/// after a placed neighbour (breadth first, neighbours in edge order), then
/// any left over by name. Linear in nodes and edges: a page of 15,000
/// orders is laid out in milliseconds.
std::vector<std::string> circleOrder(const std::vector<std::vector<std::string>> &Groups,
                                     const std::vector<std::pair<std::string, std::string>> &Edges) {
  std::map<std::string, std::vector<const std::string *>> Neighbours;
  for (const auto &[From, To] : Edges) {
    Neighbours[From].push_back(&To);
    Neighbours[To].push_back(&From);
  }
  std::vector<std::string> Order;
  std::set<std::string> Placed;
  auto Place = [&](const std::string &N) {
    if (Placed.insert(N).second)
      Order.push_back(N);
  };
  for (const auto &G : Groups)
    for (const std::string &N : G)
      Place(N);
  std::set<std::string> All;
  for (const auto &[Node, _] : Neighbours)
    All.insert(Node);
  for (const auto &G : Groups)
    All.insert(G.begin(), G.end());
  // One breadth-first sweep, resumed at each seed: nodes placed before a
  // seed have had all their neighbours placed already.
  size_t Next = 0;
  for (const std::string &Seed : All) {
    Place(Seed);
    for (; Next < Order.size(); ++Next)
      if (auto It = Neighbours.find(Order[Next]); It != Neighbours.end())
        for (const std::string *N : It->second)
          Place(*N);
  }
  return Order;
}

} // namespace

GraphLayout circularLayout(const std::vector<std::vector<std::string>> &Groups,
                           const std::vector<std::pair<std::string, std::string>> &Edges) {
  GraphLayout L;
  std::vector<std::string> Order = circleOrder(Groups, Edges);
  double Around = 0, Widest = 0;
  for (const std::string &N : Order) {
    double W = double(N.size()) * CharWidth + BoxPadding;
    L.Nodes[N] = NodeBox{{}, W, BoxHeight};
    Around += W + Gap;
    Widest = std::max(Widest, W);
  }
  const double Pi = 3.14159265358979323846;
  double Radius = Order.size() <= 1 ? 0 : std::max(120.0, Around / (2 * Pi) * 1.2);
  L.Width = 2 * Radius + Widest + 2 * Margin;
  L.Height = 2 * Radius + BoxHeight + 2 * Margin + 40; // room for self loops
  Point Center{L.Width / 2, L.Height / 2 + 20};
  for (size_t I = 0; I < Order.size(); ++I) {
    // Start at the top, go clockwise.
    double Angle = -Pi / 2 + 2 * Pi * double(I) / double(Order.size());
    L.Nodes[Order[I]].Center = {Center.X + Radius * std::cos(Angle), Center.Y + Radius * std::sin(Angle)};
  }
  return L;
}

std::string GraphLayout::edgePath(const std::string &From, const std::string &To) const {
  const NodeBox &A = Nodes.at(From);
  if (From == To) {
    double X = A.Center.X, Y = A.Center.Y - A.Height / 2;
    return llvm::formatv("M{0:f1},{1:f1} C{2:f1},{3:f1} {4:f1},{3:f1} {5:f1},{1:f1}", X - 12, Y, X - 40, Y - 44,
                         X + 40, X + 12);
  }
  const NodeBox &B = Nodes.at(To);
  double DX = B.Center.X - A.Center.X, DY = B.Center.Y - A.Center.Y;
  double Length = std::sqrt(DX * DX + DY * DY);
  // Bend to the right of the direction of travel: the reverse edge bends
  // the other way.
  double Bend = std::min(60.0, 0.18 * Length);
  Point Control{(A.Center.X + B.Center.X) / 2 - DY / Length * Bend,
                (A.Center.Y + B.Center.Y) / 2 + DX / Length * Bend};
  Point Start = borderPoint(A, Control), End = borderPoint(B, Control);
  return llvm::formatv("M{0:f1},{1:f1} Q{2:f1},{3:f1} {4:f1},{5:f1}", Start.X, Start.Y, Control.X, Control.Y,
                       End.X, End.Y);
}

} // namespace lockgraph
