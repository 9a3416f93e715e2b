//===- MergeCommand.h - `lockgraph merge` -----------------------------------===//
//
// Combines the static lock-order graph (facts or a compilation database)
// with the orders runtime reports saw, and reports the cycles that only the
// combination shows: an order seen only at run time closing a cycle with
// orders found statically, or the reverse. Those are findings of
// lockgraph-lock-order in the formats of `lockgraph check`, with a note per
// edge saying which half saw it and where. The merged graph can be drawn
// as HTML, DOT or JSON at the same time. See docs/graph.md.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_MERGECOMMAND_H
#define LOCKGRAPH_TOOL_MERGECOMMAND_H

#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace lockgraph {

/// `Args` are the arguments after `lockgraph merge`.
int runMergeCommand(llvm::ArrayRef<std::string> Args);

} // namespace lockgraph

#endif
