//===- CriticalSectionContext.cpp -----------------------------------------===//

#include "CriticalSectionContext.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph {

CriticalSectionCheck::CriticalSectionCheck(StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(readLockModelOptions(Options)) {}

void CriticalSectionCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  storeLockModelOptions(Options, Opts);
}

void CriticalSectionCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(stmt()), unless(isExpansionInSystemHeader())).bind("function"),
                     this);
}

void CriticalSectionCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("function");
  // Template patterns are skipped: their instantiations are analysed
  // instead, where types are known.
  if (!FD || FD->isDependentContext() || FD->isInvalidDecl() || skipFunction(*FD))
    return;
  if (Unit && &Unit->Ctx != Result.Context)
    forgetUnit();
  if (!Unit)
    Unit = sharedUnitAnalyses(Model, *Result.Context);
  checkFunction(*FD, *Unit);
}

namespace {

/// Replays a function's locksets and hands each call of interest made
/// under a surely-held lock to the check, once per call site.
class HeldCallFinder : public SiteObserver {
public:
  using Reporter = llvm::function_ref<void(const SiteHit &, llvm::ArrayRef<const HeldLock *>)>;
  HeldCallFinder(CallSiteSummaries &Sites, bool Interprocedural, Reporter Report, FreshObjects &Fresh,
                 const FunctionDecl &FD)
      : Sites(Sites), Interprocedural(Interprocedural), Report(Report), Fresh(Fresh), FD(FD) {}

  void element(const CFGElement &Element, const Lockset &Before) override {
    if (EndsProcess || surelyHeld(Before).empty())
      return;
    std::optional<SiteHit> Hit = Sites.hitAt(Element, Before);
    if (!Hit || (Hit->Callee && !Interprocedural))
      return;
    std::optional<std::vector<const HeldLock *>> Held = CallSiteSummaries::heldDuring(*Hit, Before);
    if (!Held)
      return;
    llvm::erase_if(*Held, [&](const HeldLock *H) { return Fresh.isFresh(H->Lock, &FD); });
    if (Held->empty())
      return;
    // A CFG may list one statement more than once (loop conditions).
    if (!Reported.insert(Hit->Loc.getRawEncoding()).second)
      return;
    Report(*Hit, *Held);
  }

private:
  CallSiteSummaries &Sites;
  bool Interprocedural;
  Reporter Report;
  FreshObjects &Fresh;
  const FunctionDecl &FD;
  std::set<unsigned> Reported;
};

} // namespace

HeldCallCheck::HeldCallCheck(StringRef Name, tidy::ClangTidyContext *Context)
    : CriticalSectionCheck(Name, Context),
      Interprocedural(parseBoolOption(*this, "Interprocedural", Options.get("Interprocedural", "true"), true)),
      FactsBlocking(readBlockingCatalogueOptions(Context->getOptions().CheckOptions)) {}

void HeldCallCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  CriticalSectionCheck::storeOptions(Opts);
  Options.store(Opts, "Interprocedural", Options.get("Interprocedural", "true"));
}

void HeldCallCheck::forgetUnit() {
  Sites.reset();
  Classifier.reset();
  CriticalSectionCheck::forgetUnit();
}

void HeldCallCheck::checkFunction(const FunctionDecl &FD, UnitLockAnalyses &Unit) {
  if (!Sites) {
    // Under a whole-program driver the link finishes what these checks
    // start (blocking calls in other files, virtual calls decided with
    // every file's overrides): the unit's facts must exist even when no
    // lock-order check runs. Computed once per unit; with a sink installed
    // nothing is linked here, so the link options do not matter.
    if (hasFactsSink())
      lockReportsOfTranslationUnit(Unit.Ctx, Model, LinkOptions(), FactsBlocking);
    Classifier = makeClassifier(Unit);
    Sites = std::make_unique<CallSiteSummaries>(Unit.Events, Unit.Locks, *Classifier);
  }
  const LocksetAnalysis *Analysis = Unit.Locks.analysisOf(&FD);
  if (!Analysis)
    return;
  auto Report = [this](const SiteHit &Hit, llvm::ArrayRef<const HeldLock *> Held) { report(Hit, Held); };
  HeldCallFinder Finder(*Sites, Interprocedural, Report, Unit.Fresh, FD);
  Analysis->replay(Finder);
}

bool parseBoolOption(const tidy::ClangTidyCheck &Check, llvm::StringRef Option, llvm::StringRef Text,
                     bool Default) {
  llvm::StringRef T = Text.trim();
  if (T.equals_insensitive("true") || T == "1" || T.equals_insensitive("on") || T.equals_insensitive("yes"))
    return true;
  if (T.equals_insensitive("false") || T == "0" || T.equals_insensitive("off") || T.equals_insensitive("no"))
    return false;
  Check.configurationDiag("invalid value '%0' for option '%1': expected true or false; using %2")
      << Text << Option << (Default ? "true" : "false");
  return Default;
}

unsigned parseUnsignedOption(const tidy::ClangTidyCheck &Check, llvm::StringRef Option, llvm::StringRef Text,
                             unsigned Default) {
  unsigned Value = 0;
  if (!Text.trim().getAsInteger(10, Value))
    return Value;
  Check.configurationDiag("invalid value '%0' for option '%1': expected a non-negative number; using %2")
      << Text << Option << Default;
  return Default;
}

} // namespace lockgraph
