//===- CallbackUnderLockCheck.cpp -----------------------------------------===//

#include "CallbackUnderLockCheck.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"

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

std::unique_ptr<SiteClassifier> CallbackUnderLockCheck::makeClassifier(UnitLockAnalyses &Unit) {
  return std::make_unique<CallbackClassifier>(Callbacks, Unit.Ctx);
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
  if (Hit.Callee)
    diag(Hit.Loc, "call to '%0' while holding %1 reaches %2, which runs code this function does not control")
        << functionName(Hit.Callee) << Locks << describe(Hit.Direct);
  else
    diag(Hit.Loc, "calling %0 while holding %1 runs code this function does not control; call it after "
                  "releasing the lock")
        << describe(Hit.Direct) << Locks;
  noteAcquisitions(*this, Held);
  noteCallChain(*this, Hit.Inner, [](const DirectSite &Site) { return "calls " + describe(Site) + " here"; });
}

} // namespace lockgraph
