//===- LockReportCheck.h - Shared base of the lock-order-graph checks -----===//
//
// lockgraph-lock-order and lockgraph-double-lock report findings of the
// same linked facts (TranslationUnitFacts.h); this base turns the findings
// of one check name into clang-tidy diagnostics with their notes.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_LOCKREPORTCHECK_H
#define LOCKGRAPH_LOCKREPORTCHECK_H

#include "analysis/BlockingCalls.h"
#include "analysis/LockOrderLinker.h"
#include "model/LockModel.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

class LockReportCheck : public clang::tidy::ClangTidyCheck {
public:
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

protected:
  /// \p Reports is the name of the findings this check reports
  /// (LockOrderCheckName or DoubleLockCheckName).
  LockReportCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context, const char *Reports);

private:
  LockModel Model;
  LinkOptions Link;
  BlockingCatalogue Blocking;
  const char *Reports;
};

} // namespace lockgraph

#endif
