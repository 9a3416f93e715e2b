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

class BlockingUnderLockCheck : public clang::tidy::ClangTidyCheck {
public:
  BlockingUnderLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override { Unit.reset(); }

private:
  LockModel Model;
  BlockingCatalogue Catalogue;
  bool Interprocedural;
  /// Summaries live as long as the translation unit they describe.
  struct UnitState;
  std::shared_ptr<UnitState> Unit;
};

} // namespace lockgraph

#endif
