//===- BlockingUnderLockCheck.h - lockgraph-blocking-under-lock ------------===//
//
// Flags calls that can block the thread (sleeps, I/O, joins, waits) made
// while a lock is held, directly or through functions of the same
// translation unit. Every thread that needs the lock stalls for as long as
// the call blocks. A condition wait on the held lock releases it and is
// fine; a wait while another lock stays held is not.
//
// Docs: docs/checks/lockgraph-blocking-under-lock.md
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_BLOCKINGUNDERLOCKCHECK_H
#define LOCKGRAPH_BLOCKINGUNDERLOCKCHECK_H

#include "CriticalSectionContext.h"
#include "analysis/BlockingCalls.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

class BlockingUnderLockCheck : public HeldCallCheck {
public:
  BlockingUnderLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  std::unique_ptr<SiteClassifier> makeClassifier(UnitLockAnalyses &Unit) override;
  void report(const SiteHit &Hit, llvm::ArrayRef<const HeldLock *> Held) override;

  BlockingCatalogue Catalogue;
  /// Also report I/O made under the lock that serialises that stream.
  bool IoLocks;
};

} // namespace lockgraph

#endif
