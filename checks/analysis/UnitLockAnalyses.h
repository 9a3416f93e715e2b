//===- UnitLockAnalyses.h - One translation unit's lock analyses -----------===//
//
// Lock events, lock summaries and each function's converged lockset
// analysis for one translation unit. Every check that reads the same lock
// model options shares one instance on the thread analysing the unit: a
// function's CFG is built and its fixed point found once, however many
// checks (and the lock-order facts) replay it.
//
// The instance lives from the first check that asks for it to the end of
// the translation unit (forgetSharedUnitAnalyses, called by the checks at
// the start and end of each unit).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_UNITLOCKANALYSES_H
#define LOCKGRAPH_ANALYSIS_UNITLOCKANALYSES_H

#include "analysis/LockSummaries.h"
#include "model/FreshObjects.h"

#include <memory>

namespace lockgraph {

struct UnitLockAnalyses {
  UnitLockAnalyses(const LockModel &Options, clang::ASTContext &Ctx)
      : Model(Options), Ctx(Ctx), Events(Model, Ctx), Locks(Events) {}
  UnitLockAnalyses(const UnitLockAnalyses &) = delete;
  UnitLockAnalyses &operator=(const UnitLockAnalyses &) = delete;

  /// A copy of the options of the model it was asked for, with its own
  /// memory of this unit's classes.
  const LockModel Model;
  clang::ASTContext &Ctx;
  LockEventExtractor Events;
  LockSummaries Locks;
  /// A lock of an object no other thread can see yet guards nothing anyone
  /// waits for: no critical section (docs/lock-model.md).
  FreshObjects Fresh;
};

/// This thread's analyses of \p Ctx for a model with \p Model's options,
/// created on first use. Holders keep them alive after they are forgotten.
std::shared_ptr<UnitLockAnalyses> sharedUnitAnalyses(const LockModel &Model, clang::ASTContext &Ctx);

/// Forgets this thread's analyses (a new translation unit starts, or one
/// ended: its declarations' addresses may be reused); they are freed when
/// their last holder lets go.
void forgetSharedUnitAnalyses();

} // namespace lockgraph

#endif
