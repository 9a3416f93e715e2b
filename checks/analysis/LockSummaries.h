//===- LockSummaries.h - On-demand lock analyses of a unit's functions -----===//
//
// Computes a callee's LockSummary the first time a caller needs it, by
// running the lockset analysis over the callee, and remembers it for the
// rest of the translation unit. Recursion and long call chains stop at a
// bounded depth: the callee is then treated as doing nothing to locks.
//
// It also keeps each function's own converged analysis (analysisOf), so
// that every check and the facts of one translation unit replay one CFG
// and one fixed point per function instead of building their own.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOCKSUMMARIES_H
#define LOCKGRAPH_ANALYSIS_LOCKSUMMARIES_H

#include "analysis/Lockset.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace lockgraph {

class LockSummaries : public SummaryProvider {
public:
  explicit LockSummaries(const LockEventExtractor &Events, unsigned MaxDepth = 6)
      : Events(Events), MaxDepth(MaxDepth) {}

  const LockSummary *summaryOf(const clang::FunctionDecl *Callee) override;

  /// The converged lockset analysis of \p FD's body, computed the first
  /// time anyone asks and kept for the rest of the translation unit; null
  /// when it has no body or Clang cannot build its CFG. The same as
  /// running a LocksetAnalysis with these summaries.
  const LocksetAnalysis *analysisOf(const clang::FunctionDecl *FD);

private:
  void forgetLeaks(const clang::FunctionDecl *FD, LockSummary &S);

  const LockEventExtractor &Events;
  unsigned MaxDepth;
  unsigned Depth = 0;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<LockSummary>> Cache;
  llvm::DenseSet<const clang::FunctionDecl *> InProgress;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<LocksetAnalysis>> Analyses;
};

} // namespace lockgraph

#endif
