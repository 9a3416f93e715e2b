//===- CriticalSectionContext.h - What the critical-section checks share ---===//
//
// The four critical-section checks (blocking-under-lock,
// long-critical-section, callback-under-lock, unreleased-lock) analyse
// every function with a body, share lock summaries across a translation
// unit, and read their options as text (the stock clang-tidy-19 binary
// does not export the typed option readers to plugins).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CRITICALSECTIONCONTEXT_H
#define LOCKGRAPH_CRITICALSECTIONCONTEXT_H

#include "analysis/LockSummaries.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

/// Lock events and lock summaries for one translation unit.
struct UnitLockAnalyses {
  UnitLockAnalyses(const LockModel &Model, clang::ASTContext &Ctx) : Ctx(Ctx), Events(Model, Ctx), Locks(Events) {}
  clang::ASTContext &Ctx;
  LockEventExtractor Events;
  LockSummaries Locks;
};

/// Function definitions worth analysing; bind name "function".
void matchAnalysableFunctions(clang::ast_matchers::MatchFinder *Finder, clang::tidy::ClangTidyCheck *Check);

/// The matched function, or null when it should be skipped (a template
/// pattern: instantiations are analysed instead, where types are known).
const clang::FunctionDecl *analysableFunction(const clang::ast_matchers::MatchFinder::MatchResult &Result);

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
