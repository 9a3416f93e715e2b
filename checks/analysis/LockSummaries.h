//===- LockSummaries.h - On-demand lock summaries of callees ---------------===//
//
// Computes a callee's LockSummary the first time a caller needs it, by
// running the lockset analysis over the callee, and remembers it for the
// rest of the translation unit. Recursion and long call chains stop at a
// bounded depth: the callee is then treated as doing nothing to locks.
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

private:
  void forgetLeaks(const clang::FunctionDecl *FD, LockSummary &S);

  const LockEventExtractor &Events;
  unsigned MaxDepth;
  unsigned Depth = 0;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<LockSummary>> Cache;
  llvm::DenseSet<const clang::FunctionDecl *> InProgress;
};

} // namespace lockgraph

#endif
