//===- LockSummaries.cpp --------------------------------------------------===//

#include "analysis/LockSummaries.h"
#include "analysis/ManualLockPaths.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace lockgraph {

/// A lock the function leaves held on some paths only, by an early return
/// that skips the unlock the other paths reach, is its bug, reported in it
/// (lockgraph-unreleased-lock): its callers do not go on holding the lock
/// and ordering what they take next after it.
void LockSummaries::forgetLeaks(const FunctionDecl *FD, LockSummary &S) {
  if (llvm::none_of(S.Acquired, [](const HeldLock &H) { return !H.Definitely && !H.Owner; }))
    return;
  std::vector<LeakingPath> Leaks = ManualLockPaths(Events, *this).leaks(FD);
  llvm::erase_if(S.Acquired, [&](const HeldLock &H) {
    return !H.Definitely && llvm::any_of(Leaks, [&](const LeakingPath &P) { return P.Lock == H.Lock; });
  });
}

const LockSummary *LockSummaries::summaryOf(const FunctionDecl *Callee) {
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || !Def)
    return nullptr;
  Def = Def->getCanonicalDecl() == Callee->getCanonicalDecl() ? Def : Callee;
  // Library internals (the standard library's own mutex wrappers) are
  // modelled by the lock model, not by reading their code.
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(Def->getLocation()))
    return nullptr;
  if (auto It = Cache.find(Def); It != Cache.end())
    return It->second.get();
  if (Depth >= MaxDepth || InProgress.contains(Def))
    return nullptr;

  InProgress.insert(Def);
  ++Depth;
  LocksetAnalysis Analysis(Events, this);
  std::unique_ptr<LockSummary> Summary;
  if (Analysis.run(Def)) {
    Summary = std::make_unique<LockSummary>(Analysis.summary());
    forgetLeaks(Def, *Summary);
  }
  --Depth;
  InProgress.erase(Def);

  // Cache even failures and empty summaries: asking again gives the same.
  const LockSummary *Result = Summary.get();
  Cache[Def] = std::move(Summary);
  return Result && !Result->empty() ? Result : nullptr;
}

const LocksetAnalysis *LockSummaries::analysisOf(const FunctionDecl *FD) {
  auto [It, New] = Analyses.try_emplace(FD);
  if (New) {
    // Asked by checks between summaries, never from inside one: the
    // analysis is the one a caller at depth 0 would run.
    assert(Depth == 0 && "a function's own analysis asked for while summarising a callee");
    auto Analysis = std::make_unique<LocksetAnalysis>(Events, this);
    if (Analysis->run(FD))
      Analyses[FD] = std::move(Analysis);
    return Analyses[FD].get();
  }
  return It->second.get();
}

} // namespace lockgraph
