//===- UnreleasedLockCheck.h - lockgraph-unreleased-lock -------------------===//
//
// Flags a lock taken by hand (`m.lock()`, `pthread_mutex_lock`) that some
// path out of the function leaves held while other paths release it: an
// early return, a break out of the loop that unlocks, a throw. The next
// thread to lock it waits forever. A guard releases on every path.
//
// Docs: docs/checks/lockgraph-unreleased-lock.md
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_UNRELEASEDLOCKCHECK_H
#define LOCKGRAPH_UNRELEASEDLOCKCHECK_H

#include "CriticalSectionContext.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

class UnreleasedLockCheck : public CriticalSectionCheck {
public:
  UnreleasedLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  bool skipFunction(const clang::FunctionDecl &FD) const override;
  void checkFunction(const clang::FunctionDecl &FD, UnitLockAnalyses &Unit) override;

  /// Function names (words) that announce a locking protocol.
  std::vector<std::string> LockingFunctionWords;
};

} // namespace lockgraph

#endif
