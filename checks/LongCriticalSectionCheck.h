//===- LongCriticalSectionCheck.h - lockgraph-long-critical-section --------===//
//
// Flags expensive work done while a lock is held: loops whose trip count
// is not a small constant, calls known to be costly (sorting, regular
// expressions, formatting), publishing a container by copy, and critical
// sections longer than a configurable number of statements. Every other
// thread that needs the lock waits for all of it. The cure is the
// copy-out / compute / publish pattern.
//
// Docs: docs/checks/lockgraph-long-critical-section.md
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_LONGCRITICALSECTIONCHECK_H
#define LOCKGRAPH_LONGCRITICALSECTIONCHECK_H

#include "CriticalSectionContext.h"
#include "analysis/CriticalSectionCost.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

class LongCriticalSectionCheck : public CriticalSectionCheck {
public:
  LongCriticalSectionCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  void checkFunction(const clang::FunctionDecl &FD, UnitLockAnalyses &Unit) override;

  CostOptions Cost;
  bool Loops;
};

} // namespace lockgraph

#endif
