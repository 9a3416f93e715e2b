//===- CallbackUnderLockCheck.cpp -----------------------------------------===//

#include "CallbackUnderLockCheck.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph {

struct CallbackUnderLockCheck::UnitState {
  UnitState(const LockModel &Model, const CallbackOptions &Options, ASTContext &Ctx)
      : Analyses(Model, Ctx), Classifier(Options, Ctx), Sites(Analyses.Events, Analyses.Locks, Classifier) {}
  UnitLockAnalyses Analyses;
  CallbackClassifier Classifier;
  CallSiteSummaries Sites;
};

namespace {

std::string describe(const DirectSite &Site) {
  return describeCallback(static_cast<CallbackKind>(Site.Kind), Site.What);
}

class CallbackFinder : public LocksetObserver {
public:
  CallbackFinder(tidy::ClangTidyCheck &Check, CallSiteSummaries &Sites, bool Interprocedural)
      : Check(Check), Sites(Sites), Interprocedural(Interprocedural) {}

  void element(const CFGElement &Element, const Lockset &Before) override {
    if (surelyHeld(Before).empty())
      return;
    std::optional<SiteHit> Hit = Sites.hitAt(Element, Before);
    if (!Hit || (Hit->Callee && !Interprocedural))
      return;
    std::optional<std::vector<const HeldLock *>> Held = CallSiteSummaries::heldDuring(*Hit, Before);
    if (!Held || Held->empty() || !Reported.insert(Hit->Loc.getRawEncoding()).second)
      return;
    std::string Locks = describeLocks(*Held);
    if (Hit->Callee)
      Check.diag(Hit->Loc, "call to '%0' while holding %1 reaches %2, which runs code this function does not "
                           "control")
          << functionName(Hit->Callee) << Locks << describe(Hit->Direct);
    else
      Check.diag(Hit->Loc, "calling %0 while holding %1 runs code this function does not control; call it after "
                           "releasing the lock")
          << describe(Hit->Direct) << Locks;
    noteAcquisitions(Check, *Held);
    noteCallChain(Check, Hit->Inner, [](const DirectSite &Site) { return "calls " + describe(Site) + " here"; });
  }

private:
  tidy::ClangTidyCheck &Check;
  CallSiteSummaries &Sites;
  bool Interprocedural;
  std::set<unsigned> Reported;
};

std::string defaultCallbackTypes() {
  std::string Out;
  for (const std::string &T : CallbackOptions::defaultCallbackTypes())
    Out += (Out.empty() ? "" : ";") + T;
  return Out;
}

CallbackOptions readCallbackOptions(const tidy::ClangTidyCheck &Check,
                                    const tidy::ClangTidyCheck::OptionsView &Options) {
  CallbackOptions Out;
  Out.CallbackTypes = splitNameList(Options.get("CallbackTypes", defaultCallbackTypes()));
  Out.VirtualCalls = parseBoolOption(Check, "VirtualCalls", Options.get("VirtualCalls", "true"), true);
  return Out;
}

} // namespace

CallbackUnderLockCheck::CallbackUnderLockCheck(StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(readLockModelOptions(Options)), Callbacks(readCallbackOptions(*this, Options)),
      Interprocedural(parseBoolOption(*this, "Interprocedural", Options.get("Interprocedural", "true"), true)) {}

void CallbackUnderLockCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  storeLockModelOptions(Options, Opts);
  Options.store(Opts, "CallbackTypes", Options.get("CallbackTypes", defaultCallbackTypes()));
  Options.store(Opts, "VirtualCalls", Options.get("VirtualCalls", "true"));
  Options.store(Opts, "Interprocedural", Options.get("Interprocedural", "true"));
}

void CallbackUnderLockCheck::registerMatchers(MatchFinder *Finder) { matchAnalysableFunctions(Finder, this); }

void CallbackUnderLockCheck::check(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *FD = analysableFunction(Result);
  if (!FD)
    return;
  if (!Unit || &Unit->Analyses.Ctx != Result.Context)
    Unit = std::make_shared<UnitState>(Model, Callbacks, *Result.Context);
  LocksetAnalysis Analysis(Unit->Analyses.Events, &Unit->Analyses.Locks);
  if (!Analysis.run(FD))
    return;
  CallbackFinder Finder(*this, Unit->Sites, Interprocedural);
  Analysis.replay(Finder);
}

} // namespace lockgraph
