//===- LongCriticalSectionCheck.cpp ---------------------------------------===//

#include "LongCriticalSectionCheck.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"


using namespace clang;

namespace lockgraph {
namespace {

std::string joined(const std::vector<std::string> &Names) {
  std::string Out;
  for (const std::string &N : Names)
    Out += (Out.empty() ? "" : ";") + N;
  return Out;
}

constexpr llvm::StringLiteral Advice =
    "copy the data out under the lock, release it, compute, then reacquire to publish the result";

} // namespace

LongCriticalSectionCheck::LongCriticalSectionCheck(StringRef Name, tidy::ClangTidyContext *Context)
    : CriticalSectionCheck(Name, Context), Loops(parseBoolOption(*this, "Loops", Options.get("Loops", "true"), true)) {
  CostOptions Defaults;
  Cost.SmallTripCount = parseUnsignedOption(*this, "SmallTripCount", Options.get("SmallTripCount", "16"), Defaults.SmallTripCount);
  Cost.MaxStatements = parseUnsignedOption(*this, "MaxStatements", Options.get("MaxStatements", "0"), Defaults.MaxStatements);
  Cost.StrictLoops = parseBoolOption(*this, "StrictLoops", Options.get("StrictLoops", "false"), false);
  Cost.CostlyFunctions = splitNameList(Options.get("CostlyFunctions", joined(Defaults.CostlyFunctions)));
}

void LongCriticalSectionCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  CriticalSectionCheck::storeOptions(Opts);
  Options.store(Opts, "Loops", Options.get("Loops", "true"));
  Options.store(Opts, "SmallTripCount", Options.get("SmallTripCount", "16"));
  Options.store(Opts, "MaxStatements", Options.get("MaxStatements", "0"));
  Options.store(Opts, "StrictLoops", Options.get("StrictLoops", "false"));
  Options.store(Opts, "CostlyFunctions",
                Options.get("CostlyFunctions", joined(CostOptions::defaultCostlyFunctions())));
}

void LongCriticalSectionCheck::checkFunction(const FunctionDecl &FD, UnitLockAnalyses &Unit) {
  CriticalSectionCost Cost(Unit.Events, Unit.Locks, this->Cost);
  for (const CostlyWork &W : Cost.find(&FD)) {
    std::vector<const HeldLock *> Held;
    for (const HeldLock &H : W.Locks)
      if (!Unit.Fresh.isFresh(H.Lock, &FD)) // nobody else can be waiting for it
        Held.push_back(&H);
    if (Held.empty())
      continue;
    std::string Locks = describeLocks(Held);
    switch (W.What) {
    case CostlyWork::Kind::Loop:
      if (!Loops)
        continue;
      if (W.Detail.empty())
        diag(W.Loc, "loop with a trip count that is not a small constant runs while holding %0; %1") << Locks << Advice;
      else
        diag(W.Loc, "loop with a trip count that is not a small constant runs while holding %0 and %1; %2")
            << Locks << W.Detail << Advice;
      break;
    case CostlyWork::Kind::CostlyCall:
      diag(W.Loc, "'%0' is costly to run while holding %1; %2") << W.Detail << Locks << Advice;
      break;
    case CostlyWork::Kind::ContainerCopy:
      diag(W.Loc, "copying container '%0' while holding %1 allocates under the lock; move or swap it in instead")
          << W.Detail << Locks;
      break;
    case CostlyWork::Kind::LongSection:
      diag(W.Loc, "critical section of %0 spans %1 statements (more than %2); %3")
          << Locks << W.Detail << this->Cost.MaxStatements << Advice;
      continue; // the warning is at the acquisition already
    }
    noteAcquisitions(*this, Held);
  }
}

} // namespace lockgraph
