//===- BlockingUnderLockCheck.cpp -----------------------------------------===//

#include "BlockingUnderLockCheck.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph {

struct BlockingUnderLockCheck::UnitState {
  UnitState(const LockModel &Model, const BlockingCatalogue &Catalogue, ASTContext &Ctx)
      : Analyses(Model, Ctx), Classifier(Catalogue, Model, Ctx), Sites(Analyses.Events, Analyses.Locks, Classifier) {}
  UnitLockAnalyses Analyses;
  BlockingClassifier Classifier;
  CallSiteSummaries Sites;
};

namespace {

std::string describeEnd(const DirectSite &Site) {
  return "'" + Site.What + "' " + describeBlocking(static_cast<BlockingKind>(Site.Kind)).str() + " here";
}

class BlockingFinder : public LocksetObserver {
public:
  BlockingFinder(tidy::ClangTidyCheck &Check, CallSiteSummaries &Sites, bool Interprocedural)
      : Check(Check), Sites(Sites), Interprocedural(Interprocedural) {}

  void element(const CFGElement &Element, const Lockset &Before) override {
    if (surelyHeld(Before).empty())
      return;
    std::optional<SiteHit> Hit = Sites.hitAt(Element, Before);
    if (!Hit || (Hit->Callee && !Interprocedural))
      return;
    std::optional<std::vector<const HeldLock *>> Held = CallSiteSummaries::heldDuring(*Hit, Before);
    if (!Held || Held->empty())
      return;
    // A CFG may list one statement more than once (loop conditions).
    if (!Reported.insert(Hit->Loc.getRawEncoding()).second)
      return;
    report(*Hit, *Held);
  }

private:
  void report(const SiteHit &Hit, llvm::ArrayRef<const HeldLock *> Held) {
    auto Kind = static_cast<BlockingKind>(Hit.Direct.Kind);
    std::string Locks = describeLocks(Held);
    if (Hit.Callee) {
      Check.diag(Hit.Loc, "call to '%0' may block while holding %1: it reaches '%2', which %3")
          << functionName(Hit.Callee) << Locks << Hit.Direct.What << describeBlocking(Kind);
    } else if (Kind == BlockingKind::ConditionWait) {
      Check.diag(Hit.Loc, "'%0' waits on a condition variable while holding %1, which the wait does not release")
          << Hit.Direct.What << Locks;
    } else {
      Check.diag(Hit.Loc, "'%0' %1 while holding %2") << Hit.Direct.What << describeBlocking(Kind) << Locks;
    }
    noteAcquisitions(Check, Held, "release it before blocking, or copy what you need and block outside");
    noteCallChain(Check, Hit.Inner, describeEnd);
  }

  tidy::ClangTidyCheck &Check;
  CallSiteSummaries &Sites;
  bool Interprocedural;
  std::set<unsigned> Reported;
};

BlockingCatalogueOptions readCatalogueOptions(const tidy::ClangTidyCheck &Check,
                                              const tidy::ClangTidyCheck::OptionsView &Options) {
  BlockingCatalogueOptions Out;
  Out.Extra = splitNameList(Options.get("BlockingFunctions", ""));
  Out.Ignored = splitNameList(Options.get("IgnoredBlockingFunctions", ""));
  Out.Defaults = parseBoolOption(Check, "BlockingDefaults", Options.get("BlockingDefaults", "true"), true);
  return Out;
}

} // namespace

BlockingUnderLockCheck::BlockingUnderLockCheck(StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(readLockModelOptions(Options)),
      Catalogue(readCatalogueOptions(*this, Options)),
      Interprocedural(parseBoolOption(*this, "Interprocedural", Options.get("Interprocedural", "true"), true)) {}

void BlockingUnderLockCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  storeLockModelOptions(Options, Opts);
  Options.store(Opts, "BlockingFunctions", Options.get("BlockingFunctions", ""));
  Options.store(Opts, "IgnoredBlockingFunctions", Options.get("IgnoredBlockingFunctions", ""));
  Options.store(Opts, "BlockingDefaults", Options.get("BlockingDefaults", "true"));
  Options.store(Opts, "Interprocedural", Options.get("Interprocedural", "true"));
}

void BlockingUnderLockCheck::registerMatchers(MatchFinder *Finder) { matchAnalysableFunctions(Finder, this); }

void BlockingUnderLockCheck::check(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *FD = analysableFunction(Result);
  if (!FD)
    return;
  if (!Unit || &Unit->Analyses.Ctx != Result.Context)
    Unit = std::make_shared<UnitState>(Model, Catalogue, *Result.Context);
  LocksetAnalysis Analysis(Unit->Analyses.Events, &Unit->Analyses.Locks);
  if (!Analysis.run(FD))
    return;
  BlockingFinder Finder(*this, Unit->Sites, Interprocedural);
  Analysis.replay(Finder);
}

} // namespace lockgraph
