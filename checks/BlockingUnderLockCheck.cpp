//===- BlockingUnderLockCheck.cpp -----------------------------------------===//

#include "BlockingUnderLockCheck.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"
#include "analysis/IoLocks.h"

using namespace clang;

namespace lockgraph {

namespace {

std::string describeEnd(const DirectSite &Site) {
  return "'" + Site.What + "' " + describeBlocking(static_cast<BlockingKind>(Site.Kind)).str() + " here";
}

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
    : HeldCallCheck(Name, Context), Catalogue(readCatalogueOptions(*this, Options)),
      IoLocks(parseBoolOption(*this, "IoLocks", Options.get("IoLocks", "false"), false)) {}

void BlockingUnderLockCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  HeldCallCheck::storeOptions(Opts);
  Options.store(Opts, "BlockingFunctions", Options.get("BlockingFunctions", ""));
  Options.store(Opts, "IgnoredBlockingFunctions", Options.get("IgnoredBlockingFunctions", ""));
  Options.store(Opts, "BlockingDefaults", Options.get("BlockingDefaults", "true"));
  Options.store(Opts, "IoLocks", Options.get("IoLocks", "false"));
}

std::unique_ptr<SiteClassifier> BlockingUnderLockCheck::makeClassifier(UnitLockAnalyses &Unit) {
  return std::make_unique<BlockingClassifier>(Catalogue, Model, Unit.Ctx);
}

void BlockingUnderLockCheck::report(const SiteHit &Hit, llvm::ArrayRef<const HeldLock *> AllHeld) {
  auto Kind = static_cast<BlockingKind>(Hit.Direct.Kind);
  // A sink's mutex around its own stream's writes is an I/O lock: waiting
  // for that I/O is what the lock is for, made here or in a helper.
  std::vector<const HeldLock *> Held(AllHeld.begin(), AllHeld.end());
  if (!IoLocks && (Kind == BlockingKind::FileIO || Kind == BlockingKind::SocketIO))
    llvm::erase_if(Held, [&](const HeldLock *H) { return serialisesIo(*H, Hit.Direct.Object); });
  if (Held.empty())
    return;
  std::string Locks = describeLocks(Held);
  if (Hit.Callee) {
    diag(Hit.Loc, "call to '%0' may block while holding %1: it reaches '%2', which %3")
        << functionName(Hit.Callee) << Locks << Hit.Direct.What << describeBlocking(Kind);
  } else if (Kind == BlockingKind::ConditionWait) {
    diag(Hit.Loc, "'%0' waits on a condition variable while holding %1, which the wait does not release")
        << Hit.Direct.What << Locks;
  } else {
    diag(Hit.Loc, "'%0' %1 while holding %2") << Hit.Direct.What << describeBlocking(Kind) << Locks;
  }
  noteAcquisitions(*this, Held, "release it before blocking, or copy what you need and block outside");
  noteCallChain(*this, Hit.Inner, describeEnd);
}

} // namespace lockgraph
