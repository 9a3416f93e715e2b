//===- LockAcrossAwaitCheck.cpp -------------------------------------------===//

#include "LockAcrossAwaitCheck.h"
#include "LockModelOptionsIO.h"
#include "analysis/LockSummaries.h"
#include "analysis/Lockset.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph {
namespace {

/// Reports each suspension point with the synchronous locks held there.
class SuspensionFinder : public LocksetObserver {
public:
  SuspensionFinder(clang::tidy::ClangTidyCheck &Check, const LockModel &Model) : Check(Check), Model(Model) {}

  void element(const CFGElement &Element, const Lockset &Before) override {
    auto S = Element.getAs<CFGStmt>();
    if (!S)
      return;
    const auto *Suspend = dyn_cast<CoroutineSuspendExpr>(S->getStmt());
    if (!Suspend)
      return;
    if (const auto *Await = dyn_cast<CoawaitExpr>(Suspend); Await && Await->isImplicit())
      return;
    const char *Keyword = isa<CoyieldExpr>(Suspend) ? "co_yield" : "co_await";
    for (const HeldLock &H : Before.held())
      report(Suspend, Keyword, H);
  }

private:
  void report(const CoroutineSuspendExpr *Suspend, const char *Keyword, const HeldLock &H) {
    // One report per suspension point and lock, even when the CFG repeats
    // an element (a co_await inside a loop condition, say).
    if (!Reported.insert({Suspend, H.Lock.key()}).second)
      return;
    const std::string &Name = H.Lock.spelling();
    Check.diag(Suspend->getBeginLoc(),
               "'%0' while %select{lock '%1' may be held|holding lock '%1'}2: the coroutine may resume on "
               "another thread, and other threads block on '%1' until it does")
        << Keyword << Name << H.Definitely;
    if (H.AcquiredAt.isValid()) {
      if (H.Via)
        Check.diag(H.AcquiredAt, "'%0' acquired here by the call to '%1'; release it before suspending, or "
                                 "use an async mutex",
                   DiagnosticIDs::Note)
            << Name << H.Via->getQualifiedNameAsString();
      else
        Check.diag(H.AcquiredAt, "'%0' acquired here; release it before suspending, or use an async mutex",
                   DiagnosticIDs::Note)
            << Name;
    }
    if (H.Via && H.ViaLoc.isValid())
      Check.diag(H.ViaLoc, "'%0' locks it here", DiagnosticIDs::Note) << H.Via->getQualifiedNameAsString();
  }

  clang::tidy::ClangTidyCheck &Check;
  const LockModel &Model;
  std::set<std::pair<const Stmt *, std::string>> Reported;
};

} // namespace

LockAcrossAwaitCheck::LockAcrossAwaitCheck(StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(readLockModelOptions(Options)) {}

void LockAcrossAwaitCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  storeLockModelOptions(Options, Opts);
}

void LockAcrossAwaitCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(coroutineBodyStmt())).bind("coroutine"), this);
}

void LockAcrossAwaitCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("coroutine");
  // Templates are analysed once per instantiation, where types are known.
  if (!FD || FD->isDependentContext())
    return;
  LockEventExtractor Events(Model, *Result.Context);
  LockSummaries Summaries(Events);
  LocksetAnalysis Analysis(Events, &Summaries);
  if (!Analysis.run(FD))
    return;
  SuspensionFinder Finder(*this, Model);
  Analysis.replay(Finder);
}

} // namespace lockgraph
