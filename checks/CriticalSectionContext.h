//===- CriticalSectionContext.h - What the critical-section checks share ---===//
//
// The four critical-section checks (blocking-under-lock,
// long-critical-section, callback-under-lock, unreleased-lock) analyse
// every function with a body, share lock summaries across a translation
// unit, and read their options as text (the stock clang-tidy-19 binary
// does not export the typed option readers to plugins).
//
// CriticalSectionCheck owns that skeleton; HeldCallCheck adds the part
// blocking-under-lock and callback-under-lock share: finding one kind of
// call (classified by a SiteClassifier) made, directly or through callees,
// while a lock is surely held.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CRITICALSECTIONCONTEXT_H
#define LOCKGRAPH_CRITICALSECTIONCONTEXT_H

#include "TranslationUnitFacts.h"
#include "analysis/BlockingCalls.h"
#include "analysis/CallSiteSummaries.h"
#include "analysis/UnitLockAnalyses.h"

#include "clang-tidy/ClangTidyCheck.h"

#include <memory>

namespace lockgraph {

/// A check that looks at every analysable function of a translation unit
/// with the unit's shared lock analyses. Subclasses implement
/// checkFunction().
class CriticalSectionCheck : public clang::tidy::ClangTidyCheck {
public:
  CriticalSectionCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override { return LangOpts.CPlusPlus; }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) final;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) final;
  void onStartOfTranslationUnit() final {
    Model.beginTranslationUnit();
    // Every check that may ask for the unit's facts forgets the last unit's
    // (TranslationUnitFacts.h): the lock-order checks may be disabled.
    beginTranslationUnitFacts();
    forgetUnit();
    forgetSharedUnitAnalyses();
  }
  void onEndOfTranslationUnit() final {
    // Matching is over: every check has recorded what it adds to the facts.
    endTranslationUnitFacts();
    forgetUnit();
    forgetSharedUnitAnalyses();
  }
  /// Stores the lock-model options; subclasses add their own after calling it.
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

protected:
  virtual void checkFunction(const clang::FunctionDecl &FD, UnitLockAnalyses &Unit) = 0;
  /// Functions the check leaves alone whatever they contain.
  virtual bool skipFunction(const clang::FunctionDecl &FD) const { return false; }
  /// Drops per-unit state; overriders call the base.
  virtual void forgetUnit() { Unit.reset(); }

  const LockModel Model;

private:
  /// The unit's analyses, shared with the other checks
  /// (UnitLockAnalyses.h); they live as long as the unit they describe.
  std::shared_ptr<UnitLockAnalyses> Unit;
};

/// A check for calls of one kind made while a lock is held. Subclasses say
/// which calls (makeClassifier) and how to report one (report).
class HeldCallCheck : public CriticalSectionCheck {
public:
  HeldCallCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

protected:
  virtual std::unique_ptr<SiteClassifier> makeClassifier(UnitLockAnalyses &Unit) = 0;
  /// \p Hit is made while \p Held (never empty) stay held; called once per call site.
  virtual void report(const SiteHit &Hit, llvm::ArrayRef<const HeldLock *> Held) = 0;

private:
  void checkFunction(const clang::FunctionDecl &FD, UnitLockAnalyses &Unit) final;
  void forgetUnit() final;

  /// Whether calls into functions that reach such a call are reported too.
  const bool Interprocedural;
  /// What blocks, for the unit's facts when this check extracts them.
  const BlockingCatalogue FactsBlocking;
  std::unique_ptr<SiteClassifier> Classifier;
  std::unique_ptr<CallSiteSummaries> Sites;
};

/// "true"/"false" (also 1/0, on/off, yes/no). Anything else is reported
/// as a configuration error of \p Check and reads as \p Default.
bool parseBoolOption(const clang::tidy::ClangTidyCheck &Check, llvm::StringRef Option, llvm::StringRef Text,
                     bool Default);
/// A non-negative decimal number; anything else is reported and reads as
/// \p Default.
unsigned parseUnsignedOption(const clang::tidy::ClangTidyCheck &Check, llvm::StringRef Option, llvm::StringRef Text,
                             unsigned Default);

} // namespace lockgraph

#endif
