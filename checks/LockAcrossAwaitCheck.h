//===- LockAcrossAwaitCheck.h - lockgraph-lock-across-await ----------------===//
//
// Flags co_await and co_yield reached while a synchronous mutex is held.
// A suspended coroutine may resume on another thread (unlocking a mutex
// from a thread that does not own it is undefined behaviour) and every
// thread that needs the lock blocks for as long as the coroutine sleeps.
//
// Docs: docs/checks/lockgraph-lock-across-await.md
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_LOCKACROSSAWAITCHECK_H
#define LOCKGRAPH_LOCKACROSSAWAITCHECK_H

#include "model/LockModel.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

class LockAcrossAwaitCheck : public clang::tidy::ClangTidyCheck {
public:
  LockAcrossAwaitCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override { Model.beginTranslationUnit(); }

private:
  LockModel Model;
};

} // namespace lockgraph

#endif
