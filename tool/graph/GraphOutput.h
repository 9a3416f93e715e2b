//===- GraphOutput.h - The lock-order graph as DOT and JSON ----------------===//
//
// Writes a combined lock-order graph (static, run time, or both; see
// CombinedGraph.h): one node per lock class, one edge per `held -> acquired`
// order seen anywhere, labelled with its first witness. Edges on a cycle are
// marked (red in DOT, "inCycle" in JSON); in DOT, edges seen only at run
// time are dashed and edges seen by both halves bold. The JSON schema is
// described in docs/whole-program.md; the HTML page is HtmlGraphOutput.h.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_GRAPHOUTPUT_H
#define LOCKGRAPH_TOOL_GRAPHOUTPUT_H

#include "CombinedGraph.h"

#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

/// Paths in labels are relative to \p SourceRoot when inside it.
void writeGraphDot(llvm::raw_ostream &OS, const CombinedGraph &Graph, const std::string &SourceRoot);
void writeGraphJson(llvm::raw_ostream &OS, const CombinedGraph &Graph, const std::string &SourceRoot);

/// "file:line:col" relative to \p Root, or "" when unknown.
std::string factLocText(const FactLoc &L, const std::string &Root);
/// "file:line" relative to \p Root, or "" when unknown.
std::string frameText(const RuntimeFrame &F, const std::string &Root);
/// A process's command line as one string ("./test_deposit --gtest_filter=X"),
/// "" when the report does not say.
std::string commandLine(const std::vector<std::string> &Command);
/// The processes (tests) that made an order at run time, "; "-separated,
/// each once, with how many runs ago when the order was kept from earlier
/// runs; "" when no report named its process.
std::string processesOf(const CombinedEdge &E);
/// The first frame with a source file: what a reader looks at first.
const RuntimeFrame *firstSourceFrame(const std::vector<RuntimeFrame> &Frames);

} // namespace lockgraph

#endif
