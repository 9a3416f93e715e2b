//===- HtmlGraphOutput.h - The lock-order graph as one HTML page -----------===//
//
// One self-contained page (inline CSS, inline SVG, a few lines of inline
// script; nothing fetched from the network) that shows a combined lock-order
// graph: locks as boxes on a circle (GraphLayout.h), orders as arrows (solid:
// static, dashed: run time only, thick: both), cycles in red, a list of the
// cycles, and for every lock and order a details panel with its source
// locations and, for run-time orders, the stacks. Every lock and order links
// to its panel (#detail-node-N, #detail-edge-N), which works without the
// script too (CSS :target). All text from the program (file, function and
// lock names) is escaped.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_HTMLGRAPHOUTPUT_H
#define LOCKGRAPH_TOOL_HTMLGRAPHOUTPUT_H

#include "CombinedGraph.h"

#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

/// Paths shown are relative to \p SourceRoot; links point at the files.
void writeGraphHtml(llvm::raw_ostream &OS, const CombinedGraph &Graph, const std::string &SourceRoot);

/// \p Text with &, <, >, " and ' replaced by character references.
std::string htmlEscape(llvm::StringRef Text);

} // namespace lockgraph

#endif
