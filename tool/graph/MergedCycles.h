//===- MergedCycles.h - Cycles only the combined graph shows, as reports ---===//
//
// Cycles of the combined graph that neither half has alone become
// lockgraph-lock-order reports, one per group of such cycles sharing locks
// (as the linker reports one per strongly connected component), anchored
// at the edge that comes first in source order, with notes walking every
// edge: for a static edge where
// each lock was taken and the call chain, for a run-time edge where the
// held lock had been taken, where the next one was, and the callers.
// The report has the linker's shape, so findingsOf() makes it a finding.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_MERGEDCYCLES_H
#define LOCKGRAPH_TOOL_MERGEDCYCLES_H

#include "CombinedGraph.h"

#include <vector>

namespace lockgraph {

std::vector<LockReport> mergedCycleReports(const CombinedGraph &Graph);

} // namespace lockgraph

#endif
