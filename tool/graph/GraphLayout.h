//===- GraphLayout.h - Where to draw the locks and orders of a graph --------===//
//
// A circular layout: lock-order graphs are small (tens of classes in a
// service) and full of cycles, which a circle shows as loops around it,
// without the cycle breaking a layered layout needs. Nodes of one cycle
// are placed next to each other, in cycle order; the others follow their
// neighbours. Edges are quadratic curves bent to their right, so A -> B
// and B -> A are two visible arcs. Graphviz is not needed.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_GRAPHLAYOUT_H
#define LOCKGRAPH_TOOL_GRAPHLAYOUT_H

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lockgraph {

struct Point {
  double X = 0, Y = 0;
};

struct NodeBox {
  Point Center;
  double Width = 0, Height = 0;
};

struct GraphLayout {
  std::map<std::string, NodeBox> Nodes;
  double Width = 0, Height = 0;
  /// An SVG path from the border of \p From's box to the border of \p To's
  /// (a loop above the node when they are the same).
  std::string edgePath(const std::string &From, const std::string &To) const;
};

/// \p Groups are node sequences to keep adjacent (cycles), \p Edges the
/// graph's edges; every node named anywhere is placed.
GraphLayout circularLayout(const std::vector<std::vector<std::string>> &Groups,
                           const std::vector<std::pair<std::string, std::string>> &Edges);

} // namespace lockgraph

#endif
