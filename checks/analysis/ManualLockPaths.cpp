//===- ManualLockPaths.cpp ------------------------------------------------===//

#include "analysis/ManualLockPaths.h"
#include "analysis/StableConditions.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include <map>
#include <set>

using namespace clang;

namespace lockgraph {
namespace {

struct Transition {
  bool Acquire;
  SourceLocation Loc;
};

/// What one block does to the locks held by hand, read off the converged
/// lockset analysis.
struct BlockFacts {
  bool Reachable = false;
  std::set<std::string> EntryManual;     ///< held by hand on some path in
  std::set<std::string> EntrySure;       ///< held by hand on every path in
  std::map<std::string, std::vector<Transition>> Steps;
  /// Held by hand on some path out, and not waiting on a try-lock outcome.
  std::set<std::string> ExitManual;
  std::map<std::string, SourceLocation> AcquiredAt;
  const Stmt *ExitStmt = nullptr;
  LeakingPath::Exit ExitKind = LeakingPath::Exit::FallOffEnd;
};

bool heldByHand(const HeldLock &H) { return !H.Owner; }

/// A lock a callee returns holding on some of its paths only: an early
/// return in the callee that skips its unlock (reported in the callee,
/// where the path is), or a try-lock helper whose result says whether it
/// holds it. Either way the caller did not take it: a helper that holds
/// it on every path (`LockAll()`) is a lock the caller took.
bool leftByCalleeOnSomePaths(const HeldLock &H) { return H.Via && !H.Definitely; }
bool surelyByHand(const HeldLock &H) { return !H.Owner && H.Definitely && H.PendingTry.empty(); }

std::set<std::string> manualKeys(const Lockset &S) {
  std::set<std::string> Out;
  for (const HeldLock &H : S.held())
    if (heldByHand(H))
      Out.insert(H.Lock.key());
  return Out;
}

SourceLocation locationOf(const CFGElement &E) {
  if (auto S = E.getAs<CFGStmt>())
    return S->getStmt()->getBeginLoc();
  if (auto C = E.getAs<CFGConstructor>())
    return C->getStmt()->getBeginLoc();
  return {};
}

class FactsCollector : public LocksetObserver {
public:
  explicit FactsCollector(std::vector<BlockFacts> &Facts) : Facts(Facts) {}

  void blockStart(const CFGBlock &Block, const Lockset &Before) override {
    Cur = &Facts[Block.getBlockID()];
    Cur->Reachable = true;
    for (const HeldLock &H : Before.held()) {
      if (heldByHand(H))
        Cur->EntryManual.insert(H.Lock.key());
      if (surelyByHand(H))
        Cur->EntrySure.insert(H.Lock.key());
      Names.emplace(H.Lock.key(), H.Lock);
    }
    Prev = manualKeys(Before);
    PrevLoc = SourceLocation();
  }

  void element(const CFGElement &Element, const Lockset &Before) override {
    diff(Before);
    PrevLoc = locationOf(Element);
    if (auto S = Element.getAs<CFGStmt>()) {
      if (isa<ReturnStmt>(S->getStmt())) {
        Cur->ExitStmt = S->getStmt();
        Cur->ExitKind = LeakingPath::Exit::Return;
      } else if (isa<CXXThrowExpr>(S->getStmt())) {
        Cur->ExitStmt = S->getStmt();
        Cur->ExitKind = LeakingPath::Exit::Throw;
      }
    }
  }

  // A lock() on a lock that some path already holds (a `continue` that
  // skipped the unlock) changes nothing in the merged lockset, but on the
  // paths that had released it, it is a new acquisition.
  // Likewise an unlock() on a lock no path holds here (the caller's) is no
  // change to the merged lockset, but a path that does it and locks again
  // hands the caller's lock back.
  void event(const LockEvent &E, const Lockset &Before) override {
    bool Acquire = E.Kind == LockEventKind::Acquire || E.Kind == LockEventKind::TryAcquire;
    if ((!Acquire && E.Kind != LockEventKind::Release) || E.Guard)
      return;
    for (const LockExpr &M : E.Mutexes) {
      if (!Acquire && Before.find(M))
        continue; // the diff records releasing a held lock
      Cur->Steps[M.key()].push_back({Acquire, E.Site ? E.Site->getBeginLoc() : PrevLoc});
      Names.emplace(M.key(), M);
    }
  }

  void blockEnd(const CFGBlock &Block, const Lockset &After) override {
    diff(After);
    for (const HeldLock &H : After.held()) {
      if (heldByHand(H) && H.PendingTry.empty())
        Cur->ExitManual.insert(H.Lock.key());
      Cur->AcquiredAt[H.Lock.key()] = H.AcquiredAt;
      Names.emplace(H.Lock.key(), H.Lock);
    }
  }

  std::map<std::string, LockExpr> Names;

private:
  void diff(const Lockset &Now) {
    std::set<std::string> Keys = manualKeys(Now);
    for (const HeldLock &H : Now.held())
      if (Keys.count(H.Lock.key()) && !Prev.count(H.Lock.key()) && !leftByCalleeOnSomePaths(H))
        Cur->Steps[H.Lock.key()].push_back({true, PrevLoc});
    for (const std::string &K : Prev)
      if (!Keys.count(K))
        Cur->Steps[K].push_back({false, PrevLoc});
    for (const HeldLock &H : Now.held())
      Names.emplace(H.Lock.key(), H.Lock);
    Prev = std::move(Keys);
  }

  std::vector<BlockFacts> &Facts;
  BlockFacts *Cur = nullptr;
  std::set<std::string> Prev;
  SourceLocation PrevLoc;
};

struct Condition {
  unsigned Id;
  bool Negated;
};

class PathWalker {
public:
  PathWalker(const CFG &Cfg, const std::vector<BlockFacts> &Facts, ASTContext &Ctx,
             const std::set<const ValueDecl *> &Changed, unsigned MaxStates)
      : Cfg(Cfg), Facts(Facts), Ctx(Ctx), Changed(Changed), MaxStates(MaxStates) {}

  /// CallerReleased: the path unlocked the lock without having taken it
  /// (its caller's); Restored: it took it again after that, handing the
  /// caller's lock back, which is no leak.
  enum State : unsigned char { NotTaken, Held, Released, CallerReleased, Restored };

  struct HeldExit {
    const CFGBlock *Block;
    const Stmt *Jump;
  };

  /// Walks every path for lock \p Key. Returns false when the walk was cut
  /// short (too many states): then nothing is known.
  bool walk(const std::string &Key) {
    this->Key = &Key;
    HeldExits.clear();
    ReleasedAt = SourceLocation();
    AnyReleasedExit = false;
    Seen.clear();
    std::vector<PathState> Stack;
    Stack.push_back({&Cfg.getEntry(), NotTaken, nullptr, {}, {}});
    while (!Stack.empty()) {
      if (Seen.size() > MaxStates)
        return false;
      PathState S = std::move(Stack.back());
      Stack.pop_back();
      if (!Seen.insert(S.key()).second)
        continue;
      step(S, Stack);
    }
    return true;
  }

  std::vector<HeldExit> HeldExits;
  bool AnyReleasedExit = false;
  SourceLocation ReleasedAt;

private:
  struct PathState {
    const CFGBlock *Block;
    State St;
    const Stmt *Jump;
    std::vector<std::pair<unsigned, bool>> Assumed; // sorted by condition id
    SourceLocation LastRelease;
    std::string key() const {
      std::string K = std::to_string(Block->getBlockID()) + ":" + std::to_string(St) + ":" +
                      std::to_string(reinterpret_cast<uintptr_t>(Jump));
      for (auto &[Id, Value] : Assumed)
        K += "," + std::to_string(Id) + (Value ? "t" : "f");
      return K;
    }
  };

  void step(PathState S, std::vector<PathState> &Stack) {
    const BlockFacts &F = Facts[S.Block->getBlockID()];
    if (!F.Reachable)
      return;
    // The merged state at the block entry is authoritative where it is
    // definite: a failed try-lock edge, or a lock every path holds.
    if (S.St == Held && !F.EntryManual.count(*Key))
      S.St = NotTaken;
    if (S.St != Held && S.St != Restored && F.EntrySure.count(*Key))
      S.St = Held;
    if (auto It = F.Steps.find(*Key); It != F.Steps.end())
      for (const Transition &T : It->second) {
        if (T.Acquire) {
          S.St = S.St == CallerReleased || S.St == Restored ? Restored : Held;
          S.Jump = nullptr;
        } else if (S.St == NotTaken || S.St == Restored) {
          S.St = CallerReleased;
        } else if (S.St == Held) {
          S.St = Released;
          S.LastRelease = T.Loc;
        }
      }
    if (S.Block->hasNoReturnElement())
      return; // abort(), exit(): nothing runs after
    const Stmt *Terminator = S.Block->getTerminatorStmt();
    const Stmt *Jump = S.Jump;
    if (S.St == Held && !Jump && Terminator &&
        (isa<BreakStmt>(Terminator) || isa<ContinueStmt>(Terminator) || isa<GotoStmt>(Terminator)))
      Jump = Terminator;
    std::optional<Condition> Cond = conditionOf(*S.Block);
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : S.Block->succs()) {
      unsigned SuccIndex = Index++;
      const CFGBlock *Next = Succ.getReachableBlock();
      if (!Next)
        continue;
      PathState N = S;
      N.Block = Next;
      N.Jump = Jump;
      if (Cond && S.Block->succ_size() == 2) {
        bool Value = (SuccIndex == 0) != Cond->Negated;
        auto It = llvm::find_if(N.Assumed, [&](auto &P) { return P.first == Cond->Id; });
        if (It != N.Assumed.end() && It->second != Value)
          continue; // contradicts what this path already took
        if (It == N.Assumed.end()) {
          N.Assumed.push_back({Cond->Id, Value});
          llvm::sort(N.Assumed);
        }
      }
      if (Next == &Cfg.getExit()) {
        if (S.St == Held && F.ExitManual.count(*Key))
          HeldExits.push_back({S.Block, Jump});
        if (S.St == Released) {
          AnyReleasedExit = true;
          if (ReleasedAt.isInvalid())
            ReleasedAt = S.LastRelease;
        }
        continue;
      }
      Stack.push_back(std::move(N));
    }
  }

  std::optional<Condition> conditionOf(const CFGBlock &Block) {
    std::optional<StableCondition> Cond =
        readStableCondition(dyn_cast_or_null<Expr>(Block.getTerminatorCondition()), Changed, Ctx);
    if (!Cond)
      return std::nullopt;
    auto [It, Inserted] = ConditionIds.emplace(Cond->Hash, ConditionIds.size());
    return Condition{It->second, Cond->Negated};
  }

  const CFG &Cfg;
  const std::vector<BlockFacts> &Facts;
  ASTContext &Ctx;
  const std::set<const ValueDecl *> &Changed;
  unsigned MaxStates;
  const std::string *Key = nullptr;
  std::set<std::string> Seen;
  std::map<unsigned, unsigned> ConditionIds;
};

} // namespace

std::vector<LeakingPath> ManualLockPaths::leaks(const FunctionDecl *FD) {
  std::vector<LeakingPath> Out;
  const LocksetAnalysis *Analysis = Locks.analysisOf(FD);
  if (!Analysis || !Analysis->cfg())
    return Out;
  const CFG &Cfg = *Analysis->cfg();
  std::vector<BlockFacts> Facts(Cfg.getNumBlockIDs());
  FactsCollector Collector(Facts);
  Analysis->replay(Collector);

  std::set<std::string> Candidates;
  for (const BlockFacts &F : Facts)
    for (const auto &[Key, Steps] : F.Steps)
      if (llvm::any_of(Steps, [](const Transition &T) { return T.Acquire; }))
        Candidates.insert(Key);
  if (Candidates.empty())
    return Out;

  std::set<const ValueDecl *> Changed = changedValues(FD->getBody());
  PathWalker Walker(Cfg, Facts, Events.context(), Changed, MaxStates);
  SourceLocation End = FD->getBody()->getEndLoc();
  for (const std::string &Key : Candidates) {
    if (!Walker.walk(Key) || Walker.HeldExits.empty() || !Walker.AnyReleasedExit)
      continue;
    std::set<const void *> Reported;
    for (const PathWalker::HeldExit &Exit : Walker.HeldExits) {
      const BlockFacts &F = Facts[Exit.Block->getBlockID()];
      LeakingPath P{Collector.Names.at(Key)};
      P.How = F.ExitStmt ? F.ExitKind : LeakingPath::Exit::FallOffEnd;
      P.ExitAt = F.ExitStmt ? F.ExitStmt->getBeginLoc() : End;
      P.Jump = Exit.Jump;
      const void *Where = Exit.Jump ? static_cast<const void *>(Exit.Jump) : P.ExitAt.getPtrEncoding();
      if (!Reported.insert(Where).second)
        continue;
      if (auto It = F.AcquiredAt.find(Key); It != F.AcquiredAt.end())
        P.AcquiredAt = It->second;
      P.ReleasedAt = Walker.ReleasedAt;
      Out.push_back(std::move(P));
    }
  }
  llvm::sort(Out, [](const LeakingPath &A, const LeakingPath &B) {
    SourceLocation LA = A.Jump ? A.Jump->getBeginLoc() : A.ExitAt, LB = B.Jump ? B.Jump->getBeginLoc() : B.ExitAt;
    return LA.getRawEncoding() < LB.getRawEncoding();
  });
  return Out;
}

} // namespace lockgraph
