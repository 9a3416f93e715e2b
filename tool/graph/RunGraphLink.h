//===- RunGraphLink.h - One lock-order graph for a test suite's processes --===//
//
// `lockgraph run --graph-dir=DIR -- ctest` has every process of the run
// write its lock-order graph into DIR (runtime option graph_dir). After
// the run this links them into one graph, locks identified across
// processes (RuntimeLockIdentity.h), and reports the lock-order cycles no
// single process saw: test A took `a` then `b`, test B `b` then `a`. With a
// graph kept from earlier runs (a CI cache), orders seen before close
// cycles too, and orders not seen this time are kept, with their age, in
// the graph written for the next run. File format: docs/formats.md.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_RUNGRAPHLINK_H
#define LOCKGRAPH_TOOL_RUNGRAPHLINK_H

#include "RuntimeReport.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace lockgraph {

/// Links the graphs in \p Directory (and the kept graph \p BaselineGraph,
/// when not empty and present, without its orders older than \p MaxAge
/// runs when that is not 0), prints the cycles spanning processes on
/// standard error and writes the linked graph to \p WriteGraph (when not
/// empty). Returns 0 without such a cycle, 1 with, 2 when an input or the
/// output is unusable (said on standard error).
int linkRunGraphs(const std::string &Directory, const std::string &BaselineGraph, const std::string &WriteGraph,
                  unsigned MaxAge = 0);

/// The linked graph of \p Reports (identities linked) as a runtime report
/// holding `Runs` runs: one lock per identity, one order per pair of
/// identities with the first report's evidence, its command and its age.
/// Locks only their process knows are left out.
void writeLinkedGraph(llvm::raw_ostream &OS, const std::vector<RuntimeReport> &Reports, unsigned Runs);

} // namespace lockgraph

#endif
