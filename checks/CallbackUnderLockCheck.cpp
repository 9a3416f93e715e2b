//===- CallbackUnderLockCheck.cpp -----------------------------------------===//

#include "CallbackUnderLockCheck.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"
#include "TranslationUnitFacts.h"
#include "analysis/FactsExtractor.h"

using namespace clang;

namespace lockgraph {

namespace {

std::string describe(const DirectSite &Site) {
  return describeCallback(static_cast<CallbackKind>(Site.Kind), Site.What);
}

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
    : HeldCallCheck(Name, Context), Callbacks(readCallbackOptions(*this, Options)) {}

void CallbackUnderLockCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  HeldCallCheck::storeOptions(Opts);
  Options.store(Opts, "CallbackTypes", Options.get("CallbackTypes", defaultCallbackTypes()));
  Options.store(Opts, "VirtualCalls", Options.get("VirtualCalls", "true"));
}

std::unique_ptr<SiteClassifier> CallbackUnderLockCheck::makeClassifier(UnitLockAnalyses &Analyses) {
  Unit = &Analyses;
  Overrides.reset();
  return std::make_unique<CallbackClassifier>(Callbacks, Analyses.Ctx);
}

void CallbackUnderLockCheck::recordDispatch(const SiteHit &Hit, const std::string &Message) {
  const clang::CXXMethodDecl *Method = Hit.Direct.Dispatches;
  if (!Method || !Unit || !translationUnitFactsPending())
    return;
  // Names as the unit's facts give them (rare: only findings on virtual
  // calls ask).
  FactsExtractor Names(sharedUnitAnalyses(Unit->Model, Unit->Ctx));
  VirtualCallbackFact Fact;
  // Where the diagnostic is shown: a macro's use, or the argument the
  // user wrote.
  Fact.Site = Names.locate(Unit->Ctx.getSourceManager().getFileLoc(Hit.Loc));
  Fact.Message = Message;
  Fact.Method = Names.functionId(Method);
  Fact.MethodIsPure = Method->getCanonicalDecl()->isPureVirtual();
  Fact.InAbstractClass = Method->getParent()->hasDefinition() && Method->getParent()->isAbstract();
  const clang::FunctionDecl *Def = nullptr;
  if (Method->hasBody(Def) && Def)
    if (const auto *Body = dyn_cast_or_null<clang::CompoundStmt>(Def->getBody()))
      Fact.MethodIsEmptyHook = Body->body_empty() && !Def->isDefaulted();
  if (!Overrides)
    Overrides = std::make_unique<KnownOverrides>(Unit->Ctx);
  for (const clang::CXXMethodDecl *Elsewhere : Overrides->undefinedOverriders(Method))
    Fact.Undefined.push_back(Names.functionId(Elsewhere));
  recordVirtualCallback(std::move(Fact));
}

void CallbackUnderLockCheck::report(const SiteHit &Hit, llvm::ArrayRef<const HeldLock *> AllHeld) {
  // A virtual call on a member the lock's owner holds alone uses the
  // guarded state (a sink's formatter under the sink's mutex).
  std::vector<const HeldLock *> Held(AllHeld.begin(), AllHeld.end());
  if (Hit.Direct.Object && static_cast<CallbackKind>(Hit.Direct.Kind) == CallbackKind::Virtual)
    llvm::erase_if(Held, [&](const HeldLock *H) { return guardsOwnedMember(*H, *Hit.Direct.Object); });
  if (Held.empty())
    return;
  std::string Locks = describeLocks(Held);
  std::string Message =
      Hit.Callee ? "call to '" + functionName(Hit.Callee) + "' while holding " + Locks + " reaches " +
                       describe(Hit.Direct) + ", which runs code this function does not control"
                 : "calling " + describe(Hit.Direct) + " while holding " + Locks +
                       " runs code this function does not control; call it after releasing the lock";
  // Source spellings go in as an argument, so no '%' in them is a directive.
  diag(Hit.Loc, "%0") << Message;
  recordDispatch(Hit, Message);
  noteAcquisitions(*this, Held);
  noteCallChain(*this, Hit.Inner, [](const DirectSite &Site) { return "calls " + describe(Site) + " here"; });
}

} // namespace lockgraph
