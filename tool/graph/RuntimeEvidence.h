//===- RuntimeEvidence.h - Rank performance advice by what a run measured -===//
//
// The critical-section checks say a lock is held across something slow; a
// run of the program under the runtime (`lockgraph run --stats`, the JSON
// report's `statistics[]`) says how often that lock made a thread wait.
// `lockgraph check --runtime=REPORT` puts the two together: each advice
// finding whose lock the run saw gets a note with its contention and hold
// times, advice is listed most contended first, and `--min-contention=N`
// keeps only advice about locks contended at least N times.
//
// A static lock and a runtime lock are matched the way `lockgraph merge`
// matches them (RuntimeLockMapping.h): through the acquisition sites of the
// static facts. A finding's lock is the class acquired where its
// "acquired here" note points.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_RUNTIMEEVIDENCE_H
#define LOCKGRAPH_TOOL_RUNTIMEEVIDENCE_H

#include "Findings.h"
#include "RuntimeReport.h"
#include "analysis/LockOrderFacts.h"

#include <vector>

namespace lockgraph {

struct RuntimeEvidenceResult {
  /// Advice findings that got runtime statistics.
  unsigned Annotated = 0;
  /// Advice findings dropped by the contention threshold.
  unsigned BelowThreshold = 0;
};

/// Annotates, sorts and filters the performance-advice findings of
/// \p Report (isPerformanceAdvice) with \p Run's statistics; lock bugs are
/// left as they are. \p MinContention 0 filters nothing.
RuntimeEvidenceResult rankAdviceByRuntime(CheckReport &Report, const RuntimeReport &Run,
                                          const std::vector<TUFacts> &Facts, uint64_t MinContention);

} // namespace lockgraph

#endif
