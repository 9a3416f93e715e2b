//===- GraphOutput.cpp ----------------------------------------------------===//

#include "GraphOutput.h"

#include "Findings.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <set>

namespace json = llvm::json;

namespace lockgraph {
namespace {

using EdgeSet = std::set<std::pair<std::string, std::string>>;

/// Edges on some reported cycle (same-class nesting marks its self-edge).
EdgeSet cycleEdges(const LockOrderLinker &Linked) {
  EdgeSet Out;
  for (const LockReport &R : Linked.reports()) {
    if (R.Check != LockOrderCheckName || R.Cycle.empty())
      continue;
    for (size_t I = 0; I < R.Cycle.size(); ++I)
      Out.insert({R.Cycle[I], R.Cycle[(I + 1) % R.Cycle.size()]});
  }
  return Out;
}

std::string where(const FactLoc &L, const std::string &Root) {
  if (!L.valid())
    return "";
  return pathRelativeTo(L.File, Root) + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
}

std::string dotEscape(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out;
}

json::Value locJson(const FactLoc &L, const std::string &Root) {
  if (!L.valid())
    return nullptr;
  return json::Object{{"file", pathRelativeTo(L.File, Root)}, {"line", int64_t(L.Line)}, {"column", int64_t(L.Column)}};
}

} // namespace

void writeGraphDot(llvm::raw_ostream &OS, const LockOrderLinker &Linked, const std::string &SourceRoot) {
  EdgeSet InCycle = cycleEdges(Linked);
  std::set<std::string> Nodes;
  for (const LockEdge &E : Linked.edges()) {
    Nodes.insert(E.From);
    Nodes.insert(E.To);
  }
  for (const auto &[From, To] : InCycle)
    Nodes.insert(From);
  OS << "digraph lockorder {\n  node [shape=box, fontname=\"monospace\"];\n";
  for (const std::string &N : Nodes)
    OS << "  \"" << dotEscape(N) << "\";\n";
  for (const LockEdge &E : Linked.edges()) {
    std::string Label = E.Witness.Function + "\\n" + dotEscape(where(E.Witness.Site, SourceRoot));
    if (E.Witnesses > 1)
      Label += "\\n(" + std::to_string(E.Witnesses) + " places)";
    OS << "  \"" << dotEscape(E.From) << "\" -> \"" << dotEscape(E.To) << "\" [label=\"" << Label << "\"";
    if (InCycle.count({E.From, E.To}))
      OS << ", color=red, penwidth=2";
    OS << "];\n";
  }
  for (const auto &[From, To] : InCycle)
    if (From == To)
      OS << "  \"" << dotEscape(From) << "\" -> \"" << dotEscape(To)
         << "\" [label=\"same-class nesting\", color=red, style=dashed];\n";
  OS << "}\n";
}

void writeGraphJson(llvm::raw_ostream &OS, const LockOrderLinker &Linked, const std::string &SourceRoot) {
  EdgeSet InCycle = cycleEdges(Linked);
  std::set<std::string> NodeSet;
  json::Array Edges;
  for (const LockEdge &E : Linked.edges()) {
    NodeSet.insert(E.From);
    NodeSet.insert(E.To);
    json::Array Chain;
    for (const ChainStep &S : E.Witness.Chain)
      Chain.push_back(json::Object{{"caller", S.Caller}, {"callee", S.Callee}, {"at", locJson(S.Site, SourceRoot)}});
    Edges.push_back(json::Object{{"from", E.From},
                                 {"to", E.To},
                                 {"inCycle", InCycle.count({E.From, E.To}) != 0},
                                 {"witnesses", int64_t(E.Witnesses)},
                                 {"gates", json::Array(E.Gates)},
                                 {"function", E.Witness.Function},
                                 {"heldAt", locJson(E.Witness.HeldAt, SourceRoot)},
                                 {"chain", std::move(Chain)},
                                 {"acquiredAt", locJson(E.Witness.AcquiredAt, SourceRoot)}});
  }
  json::Array Cycles;
  for (const LockReport &R : Linked.reports())
    if (R.Check == LockOrderCheckName && !R.Cycle.empty())
      Cycles.push_back(json::Object{{"locks", json::Array(R.Cycle)},
                                    {"message", R.Message},
                                    {"at", locJson(R.Where, SourceRoot)}});
  json::Object Doc{{"format", "lockgraph_graph"},
                   {"version", 1},
                   {"functions", int64_t(Linked.functionCount())},
                   {"nodes", json::Array(std::vector<std::string>(NodeSet.begin(), NodeSet.end()))},
                   {"edges", std::move(Edges)},
                   {"cycles", std::move(Cycles)}};
  OS << llvm::formatv("{0:2}", json::Value(std::move(Doc))) << '\n';
}

} // namespace lockgraph
