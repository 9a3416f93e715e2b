//===- GraphOutput.h - The whole-program lock-order graph as DOT and JSON --===//
//
// Writes the linked lock-order graph: one node per lock class, one edge per
// `held -> acquired` order seen anywhere, labelled with its first witness.
// Edges on a reported cycle are marked (red in DOT, "inCycle" in JSON).
// The JSON schema is described in docs/whole-program.md.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_GRAPHOUTPUT_H
#define LOCKGRAPH_TOOL_GRAPHOUTPUT_H

#include "analysis/LockOrderLinker.h"

#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

/// Paths in labels are relative to \p SourceRoot when inside it.
void writeGraphDot(llvm::raw_ostream &OS, const LockOrderLinker &Linked, const std::string &SourceRoot);
void writeGraphJson(llvm::raw_ostream &OS, const LockOrderLinker &Linked, const std::string &SourceRoot);

} // namespace lockgraph

#endif
