//===- LockReportCheck.cpp ------------------------------------------------===//

#include "LockReportCheck.h"
#include "LockModelOptionsIO.h"
#include "TranslationUnitFacts.h"
#include "analysis/UnitLockAnalyses.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph {

LockReportCheck::LockReportCheck(StringRef Name, clang::tidy::ClangTidyContext *Context, const char *Reports)
    : ClangTidyCheck(Name, Context), Model(readLockModelOptions(Options)),
      Blocking(readBlockingCatalogueOptions(Context->getOptions().CheckOptions)), Reports(Reports) {
  Link.AssumeEveryOverride = readAssumeEveryOverride(Context->getOptions().CheckOptions);
}

void LockReportCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeLockModelOptions(Options, Opts);
}

void LockReportCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("unit"), this);
}

void LockReportCheck::onStartOfTranslationUnit() {
  Model.beginTranslationUnit();
  beginTranslationUnitFacts();
  forgetSharedUnitAnalyses();
}

void LockReportCheck::onEndOfTranslationUnit() {
  // Every check has run over the unit: what they recorded joins the facts.
  endTranslationUnitFacts();
  forgetSharedUnitAnalyses();
}

static SourceLocation sourceLocation(const FactLoc &L) {
  return L.Raw ? SourceLocation::getFromRawEncoding(L.Raw) : SourceLocation();
}

void LockReportCheck::check(const MatchFinder::MatchResult &Result) {
  for (const LockReport &R : lockReportsOfTranslationUnit(*Result.Context, Model, Link, Blocking)) {
    if (R.Check != Reports)
      continue;
    SourceLocation Where = sourceLocation(R.Where);
    if (Where.isInvalid())
      continue;
    // Messages are built from source spellings: pass them as arguments so
    // that no '%' in them is read as a format directive.
    diag(Where, "%0") << R.Message;
    for (const LockReportNote &N : R.Notes)
      if (SourceLocation At = sourceLocation(N.Where); At.isValid())
        diag(At, "%0", DiagnosticIDs::Note) << N.Message;
  }
}

} // namespace lockgraph
