//===- CrossUnitBlocking.cpp ----------------------------------------------===//

#include "analysis/CrossUnitBlocking.h"
#include "analysis/BlockingKinds.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <set>

namespace lockgraph {
namespace {

/// One way a call to a function reaches a blocking call.
struct BlockReach {
  const BlockFact *Block = nullptr;
  /// The calls from the function down to the one that blocks.
  std::vector<ChainStep> Chain;
  /// The function's caller's locks (in the function's terms) not held
  /// while it blocks.
  std::vector<LockRef> Released;
  /// The units that define every function on the way: the units whose
  /// own check sees this reach.
  std::vector<unsigned> Units;
};

/// At most this many reaches per function: enough to keep one each unit
/// sees and one it does not.
constexpr size_t MaxReaches = 8;
/// Calls deeper than this are not followed (the per-unit summaries stop
/// earlier still).
constexpr unsigned MaxDepth = 32;

std::vector<unsigned> intersect(const std::vector<unsigned> &A, const std::vector<unsigned> &B) {
  std::vector<unsigned> Out;
  std::set_intersection(A.begin(), A.end(), B.begin(), B.end(), std::back_inserter(Out));
  return Out;
}

bool overlaps(const std::vector<unsigned> &A, const std::vector<unsigned> &B) { return !intersect(A, B).empty(); }

/// A condition wait releases its own mutex. When the waiter reaches that
/// mutex through a pointer (`pthread_cond_wait(&cv_, &mu_->mu_)` in a
/// `CondVar` built on a pointer to its owner's `Mutex`), it is usually the
/// very lock the caller in another file holds, through wrappers the link
/// cannot see through: whether the caller's lock stays held is not known,
/// so the wait is left to the per-file check. A wait on a mutex the waiter
/// owns (a thread object's own state) releases nothing of the caller's.
bool releasesAnUnrelatableMutex(const BlockFact &B) {
  return blockingKindNamed(B.Kind) == BlockingKind::ConditionWait &&
         llvm::any_of(B.ReleasedBefore, [](const LockRef &L) { return llvm::StringRef(L.Spelling).contains("->"); });
}

class Reaches {
public:
  Reaches(const std::map<std::string, FunctionFacts> &Functions,
          const std::unordered_map<std::string, std::vector<unsigned>> &DefinedIn, CallerLock InCaller)
      : Functions(Functions), DefinedIn(DefinedIn), InCaller(InCaller) {}

  const FunctionFacts *callee(const CallFact &C) const {
    if (C.Virtual || C.InAssertion)
      return nullptr;
    auto It = Functions.find(C.Callee);
    return It == Functions.end() ? nullptr : &It->second;
  }

  const std::vector<unsigned> &unitsOf(const FunctionFacts &F) const {
    static const std::vector<unsigned> None;
    auto It = DefinedIn.find(F.Id);
    return It == DefinedIn.end() ? None : It->second;
  }

  /// The reaches of \p G seen from a call \p C to it, in the caller's terms.
  std::vector<BlockReach> throughCall(const FunctionFacts &Caller, const CallFact &C, const FunctionFacts &G) {
    std::vector<BlockReach> Out;
    for (const BlockReach &R : of(G)) {
      BlockReach T;
      T.Block = R.Block;
      T.Chain.push_back(ChainStep{C.Site, Caller.Name, G.Name, {}});
      T.Chain.insert(T.Chain.end(), R.Chain.begin(), R.Chain.end());
      T.Released = C.ReleasedBefore;
      for (const LockRef &L : R.Released)
        if (std::optional<LockRef> Mine = InCaller(L, C))
          T.Released.push_back(std::move(*Mine));
      T.Units = R.Units;
      Out.push_back(std::move(T));
    }
    return Out;
  }

  const std::vector<BlockReach> &of(const FunctionFacts &F) {
    if (auto It = Memo.find(F.Id); It != Memo.end())
      return It->second;
    static const std::vector<BlockReach> Nothing;
    if (!InProgress.insert(F.Id).second || InProgress.size() > MaxDepth)
      return Nothing; // recursion, or too deep: not followed
    std::vector<BlockReach> Out;
    std::set<std::pair<std::vector<unsigned>, size_t>> Kinds;
    auto Add = [&](BlockReach R) {
      R.Units = intersect(R.Units, unitsOf(F));
      if (Out.size() < MaxReaches && Kinds.insert({R.Units, R.Released.size()}).second)
        Out.push_back(std::move(R));
    };
    for (const BlockFact &B : F.Blocks)
      if (!releasesAnUnrelatableMutex(B))
        Add(BlockReach{&B, {}, B.ReleasedBefore, unitsOf(F)});
    for (const CallFact &C : F.Calls)
      if (const FunctionFacts *G = callee(C))
        for (BlockReach &R : throughCall(F, C, *G))
          Add(std::move(R));
    InProgress.erase(F.Id);
    return Memo[F.Id] = std::move(Out);
  }

private:
  const std::map<std::string, FunctionFacts> &Functions;
  const std::unordered_map<std::string, std::vector<unsigned>> &DefinedIn;
  CallerLock InCaller;
  std::unordered_map<std::string, std::vector<BlockReach>> Memo;
  std::set<std::string> InProgress;
};

std::string describeHeld(const std::vector<const HeldFact *> &Held) {
  std::string Out = Held.size() == 1 ? "lock " : "locks ";
  for (size_t I = 0; I < Held.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Held.size() ? " and " : ", ";
    Out += quotedName(Held[I]->Lock.Spelling);
  }
  return Out;
}

LockReport reportOf(const CallFact &C, const BlockReach &R, const std::vector<const HeldFact *> &Held) {
  llvm::StringRef Does = "blocks";
  if (std::optional<BlockingKind> K = blockingKindNamed(R.Block->Kind))
    Does = describeBlocking(*K);
  LockReport Out;
  Out.Check = BlockingUnderLockCheckName;
  Out.Where = C.Site;
  Out.Message = "call to " + quotedName(C.CalleeName) + " may block while holding " + describeHeld(Held) +
                ": it reaches " + quotedName(R.Block->What) + ", which " + Does.str();
  for (const HeldFact *H : Held)
    if (H->AcquiredAt.valid())
      Out.Notes.push_back({quotedName(H->Lock.Spelling) +
                               " acquired here; release it before blocking, or copy what you need and block outside",
                           H->AcquiredAt});
  for (size_t I = 1; I < R.Chain.size(); ++I)
    Out.Notes.push_back(
        {quotedName(R.Chain[I].Caller) + " calls " + quotedName(R.Chain[I].Callee) + " here", R.Chain[I].Site});
  Out.Notes.push_back({quotedName(R.Block->What) + " " + Does.str() + " here", R.Block->Site});
  return Out;
}

} // namespace

std::vector<LockReport> crossUnitBlockingReports(const std::map<std::string, FunctionFacts> &Functions,
                                                 const std::unordered_map<std::string, std::vector<unsigned>> &DefinedIn,
                                                 CallerLock InCaller) {
  Reaches All(Functions, DefinedIn, InCaller);
  std::vector<LockReport> Out;
  for (const auto &[Id, F] : Functions)
    for (const CallFact &C : F.Calls) {
      std::vector<const HeldFact *> Held;
      for (const HeldFact &H : C.Held)
        if (H.Definitely && !H.Lock.Fresh)
          Held.push_back(&H);
      if (Held.empty())
        continue;
      const FunctionFacts *G = All.callee(C);
      if (!G)
        continue;
      std::vector<BlockReach> Reached = All.throughCall(F, C, *G);
      // A unit that defines the caller and every function on some way to
      // the blocking call reports it itself.
      const std::vector<unsigned> &CallerUnits = All.unitsOf(F);
      if (llvm::any_of(Reached, [&](const BlockReach &R) { return overlaps(R.Units, CallerUnits); }))
        continue;
      for (const BlockReach &R : Reached) {
        std::vector<const HeldFact *> StillHeld = Held;
        llvm::erase_if(StillHeld, [&](const HeldFact *H) { return isReleasedLock(*H, R.Released); });
        if (!StillHeld.empty()) {
          Out.push_back(reportOf(C, R, StillHeld));
          break;
        }
      }
    }
  return Out;
}

} // namespace lockgraph
