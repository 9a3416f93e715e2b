//===- GraphOutput.cpp ----------------------------------------------------===//

#include "GraphOutput.h"

#include "Findings.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace json = llvm::json;

#include <algorithm>

namespace lockgraph {
namespace {

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

json::Value framesJson(const std::vector<RuntimeFrame> &Frames, const std::string &Root) {
  json::Array Out;
  for (const RuntimeFrame &F : Frames)
    Out.push_back(json::Object{{"function", F.Function},
                               {"file", F.File.empty() ? json::Value(nullptr) : json::Value(pathRelativeTo(F.File, Root))},
                               {"line", int64_t(F.Line)}});
  return Out;
}

/// The DOT label: the static witness, or else the first runtime one.
std::string dotLabel(const CombinedEdge &E, const std::string &Root) {
  if (E.Static) {
    std::string Label = E.Static->Witness.Function + "\\n" + dotEscape(factLocText(E.Static->Witness.Site, Root));
    if (E.Static->Witnesses > 1)
      Label += "\\n(" + std::to_string(E.Static->Witnesses) + " places)";
    return Label;
  }
  const RuntimeFrame *F = firstSourceFrame(E.Runtime.front().Edge.Stack);
  if (!F)
    return "run time";
  return "run time: " + dotEscape(F->Function) + "\\n" + dotEscape(frameText(*F, Root));
}

} // namespace

std::string factLocText(const FactLoc &L, const std::string &Root) {
  if (!L.valid())
    return "";
  return pathRelativeTo(L.File, Root) + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
}

std::string frameText(const RuntimeFrame &F, const std::string &Root) {
  if (F.File.empty())
    return "";
  return pathRelativeTo(F.File, Root) + ":" + std::to_string(F.Line);
}

std::string commandLine(const std::vector<std::string> &Command) {
  std::string Out;
  for (const std::string &Arg : Command)
    Out += (Out.empty() ? "" : " ") + Arg;
  return Out;
}

std::string processesOf(const CombinedEdge &E) {
  std::vector<std::string> Seen;
  for (const RuntimeEvidence &R : E.Runtime) {
    std::string Command = commandLine(R.Edge.Command);
    if (Command.empty())
      continue;
    if (R.Edge.Age)
      Command += " (" + std::to_string(R.Edge.Age) + (R.Edge.Age == 1 ? " run ago)" : " runs ago)");
    if (std::find(Seen.begin(), Seen.end(), Command) == Seen.end())
      Seen.push_back(Command);
  }
  std::string Out;
  for (const std::string &C : Seen)
    Out += (Out.empty() ? "" : "; ") + C;
  return Out;
}

const RuntimeFrame *firstSourceFrame(const std::vector<RuntimeFrame> &Frames) {
  for (const RuntimeFrame &F : Frames)
    if (!F.File.empty())
      return &F;
  return nullptr;
}

void writeGraphDot(llvm::raw_ostream &OS, const CombinedGraph &Graph, const std::string &SourceRoot) {
  OS << "digraph lockorder {\n  node [shape=box, fontname=\"monospace\"];\n";
  for (const auto &[Name, Node] : Graph.nodes())
    OS << "  \"" << dotEscape(Name) << "\";\n";
  for (const CombinedEdge &E : Graph.edges()) {
    OS << "  \"" << dotEscape(E.From) << "\" -> \"" << dotEscape(E.To) << "\" [label=\"" << dotLabel(E, SourceRoot)
       << "\"";
    if (E.InCycle)
      OS << ", color=red, penwidth=2";
    if (!E.seenStatically())
      OS << ", style=dashed";
    else if (E.seenAtRunTime())
      OS << ", style=bold";
    OS << "];\n";
  }
  for (const CombinedCycle &C : Graph.cycles())
    if (C.Locks.size() == 1)
      OS << "  \"" << dotEscape(C.Locks[0]) << "\" -> \"" << dotEscape(C.Locks[0])
         << "\" [label=\"same-class nesting\", color=red, style=dashed];\n";
  OS << "}\n";
}

/// One edge's object; the document is streamed edge by edge, so a graph of
/// 100,000 edges never exists twice in memory (as a json::Value tree).
static json::Value edgeJson(const CombinedEdge &E, const std::string &SourceRoot) {
  json::Array SeenBy;
  if (E.seenStatically())
    SeenBy.push_back("static");
  if (E.seenAtRunTime())
    SeenBy.push_back("runtime");
  json::Object O{{"from", E.From},
                 {"to", E.To},
                 {"inCycle", E.InCycle},
                 {"seenBy", std::move(SeenBy)},
                 {"gates", json::Array(E.Gates)}};
  if (E.Static) {
    const EdgeWitness &W = E.Static->Witness;
    json::Array Chain;
    for (const ChainStep &S : W.Chain)
      Chain.push_back(json::Object{{"caller", S.Caller}, {"callee", S.Callee}, {"at", locJson(S.Site, SourceRoot)}});
    O["witnesses"] = int64_t(E.Static->Witnesses);
    O["function"] = W.Function;
    O["heldAt"] = locJson(W.HeldAt, SourceRoot);
    O["chain"] = std::move(Chain);
    O["acquiredAt"] = locJson(W.AcquiredAt, SourceRoot);
  }
  if (E.seenAtRunTime()) {
    json::Array Runtime;
    for (const RuntimeEvidence &R : E.Runtime) {
      json::Object Seen{{"report", R.ReportPath},
                        {"heldLock", R.FromName},
                        {"acquiredLock", R.ToName},
                        {"thread", int64_t(R.Edge.Thread)},
                        {"stack", framesJson(R.Edge.Stack, SourceRoot)},
                        {"heldSite", framesJson(R.Edge.HeldSite, SourceRoot)}};
      if (!R.Edge.Command.empty())
        Seen["command"] = json::Array(R.Edge.Command);
      if (R.Edge.Age)
        Seen["runsAgo"] = int64_t(R.Edge.Age);
      Runtime.push_back(std::move(Seen));
    }
    O["runtime"] = std::move(Runtime);
  }
  return O;
}

void writeGraphJson(llvm::raw_ostream &OS, const CombinedGraph &Graph, const std::string &SourceRoot) {
  // Keys in alphabetical order, as json::Object prints them.
  json::OStream J(OS, 2);
  J.object([&] {
    J.attributeArray("cycles", [&] {
      for (const CombinedCycle &C : Graph.cycles())
        J.value(json::Object{{"locks", json::Array(C.Locks)},
                             {"staticAlone", C.StaticAlone},
                             {"runtimeAlone", C.RuntimeAlone},
                             {"spansProcesses", C.spansProcesses()},
                             {"needsBothHalves", C.needsBothHalves()}});
    });
    J.attributeArray("edges", [&] {
      for (const CombinedEdge &E : Graph.edges())
        J.value(edgeJson(E, SourceRoot));
    });
    J.attribute("format", "lockgraph_graph");
    J.attribute("functions", int64_t(Graph.functionCount()));
    J.attributeArray("nodes", [&] {
      for (const auto &[Name, Node] : Graph.nodes())
        J.value(Name);
    });
    J.attributeObject("runtimeLocks", [&] {
      for (const auto &[Name, Node] : Graph.nodes()) {
        if (Node.RuntimeLocks.empty())
          continue;
        json::Array Locks;
        for (const CombinedNode::RuntimeLockRef &L : Node.RuntimeLocks)
          Locks.push_back(json::Object{
              {"name", L.Name},
              {"matchedAt", L.MatchedAt ? json::Value(frameText(*L.MatchedAt, SourceRoot)) : json::Value(nullptr)}});
        J.attribute(Name, std::move(Locks));
      }
    });
    J.attribute("runtimeReports", int64_t(Graph.runtimeReportCount()));
    J.attribute("version", 2);
  });
  OS << '\n';
}

} // namespace lockgraph
