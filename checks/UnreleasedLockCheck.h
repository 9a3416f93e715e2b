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

class UnreleasedLockCheck : public clang::tidy::ClangTidyCheck {
public:
  UnreleasedLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override { Unit.reset(); }

private:
  LockModel Model;
  /// Function names (words) that announce a locking protocol.
  std::vector<std::string> LockingFunctionWords;
  std::shared_ptr<UnitLockAnalyses> Unit;
};

} // namespace lockgraph

#endif
