//===- Lockset.h - Flow-sensitive set of held locks over a function's CFG --===//
//
// A forward dataflow analysis over Clang's CFG. At every point of a function
// it knows which locks are held on every path reaching it (must-hold) and
// which on some path (may-hold), who owns each (a guard, or nobody for a
// manual lock()), and where each was acquired. Branches on a try-lock
// outcome refine the state per edge; loops iterate to a fixed point.
//
// The analysis produces facts; checks consume them through LocksetObserver.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOCKSET_H
#define LOCKGRAPH_ANALYSIS_LOCKSET_H

#include "model/LockEvents.h"

#include "clang/Analysis/CFG.h"
#include <memory>
#include <set>
#include <vector>

namespace lockgraph {

/// One lock held at a program point.
struct HeldLock {
  LockExpr Lock;
  LockMode Mode = LockMode::Exclusive;
  MutexKind Kind = MutexKind::Plain;
  /// Held on every path to this point; otherwise only on some.
  bool Definitely = true;
  /// How many times a recursive mutex was entered.
  unsigned Depth = 1;
  /// The guard that will release it; none for a manual lock().
  std::optional<LockExpr> Owner;
  /// Held only if these try-lock attempts succeeded (tags of TryCondition);
  /// a branch on one of them settles whether the lock is held there.
  llvm::SmallVector<std::string, 2> PendingTry;
  /// Where it was acquired in the analysed function (the lock() call, the
  /// guard's construction, or the call into a helper that acquired it).
  clang::SourceLocation AcquiredAt;
  /// Set when a callee acquired it: the callee, and where inside it.
  const clang::FunctionDecl *Via = nullptr;
  clang::SourceLocation ViaLoc;
  /// Acquired together with others by std::lock or std::scoped_lock.
  bool Together = false;
  /// Stable conditions (tags of Lockset::known()) this lock is held only
  /// under, and that hold wherever it is: `if (need) mu.Lock();` leaves mu
  /// held exactly where `need` is true, so a later `if (need)` settles it.
  llvm::SmallVector<std::string, 1> HeldIf;
};

/// A guard and the mutexes it refers to, whether or not it holds them now.
struct GuardBinding {
  LockExpr Guard;
  llvm::SmallVector<LockExpr, 2> Mutexes;
  LockMode Mode = LockMode::Exclusive;
  MutexKind Kind = MutexKind::Plain;
  /// A scoped unlock: when the guard ends, Mutexes are locked again for
  /// RelockOwner (the guard that held them, or nobody for a manual lock).
  bool Relocks = false;
  std::optional<LockExpr> RelockOwner;
  /// The mutexes were held when the unlock began on some paths only.
  bool RelockMaybe = false;
};

/// The set of held locks at one program point.
class Lockset {
public:
  llvm::ArrayRef<HeldLock> held() const { return Held; }
  bool empty() const { return Held.empty(); }
  const HeldLock *find(const LockExpr &Lock) const;
  const GuardBinding *binding(const LockExpr &Guard) const;
  /// Locks released here that this function never acquired (an unlock
  /// helper); recorded so summaries can tell callers.
  llvm::ArrayRef<LockExpr> releasedUnheld() const { return ReleasedUnheld; }
  /// Stable conditions known to hold on every path here, as tags:
  /// "cond:<id>" true, "!cond:<id>" false; "cond:p<n>:<id>" for a bare
  /// parameter n (see StableConditions.h).
  llvm::ArrayRef<std::string> known() const { return Known; }

  bool operator==(const Lockset &O) const;
  bool operator!=(const Lockset &O) const { return !(*this == O); }

  /// Merge of two paths: must-hold is the intersection, may-hold the union.
  static Lockset join(const Lockset &A, const Lockset &B);

private:
  friend class LocksetTransfer;
  std::vector<HeldLock> Held;
  std::vector<GuardBinding> Guards;
  std::vector<LockExpr> ReleasedUnheld;
  std::vector<std::string> Known;
};

/// The tag of the opposite outcome of a condition tag ("cond:x" <-> "!cond:x").
std::string negatedCondition(llvm::StringRef Tag);

/// For a tag on a bare parameter: the parameter's index and the value it
/// has where the tag holds.
std::optional<std::pair<unsigned, bool>> parameterCondition(llvm::StringRef Tag);

/// What a function does to its caller's locks, in the callee's terms (`this`
/// and parameters are translated at each call site).
struct LockSummary {
  /// Held when the function returns, not owned by one of its locals.
  std::vector<HeldLock> Acquired;
  /// Released without having been acquired in the function.
  std::vector<LockExpr> Released;
  /// Owned by the guard the function returns.
  std::vector<HeldLock> ReturnedGuard;
  bool empty() const { return Acquired.empty() && Released.empty() && ReturnedGuard.empty(); }
};

/// Supplies summaries of callees; the analysis of one function asks it at
/// every call. May return null (unknown callee, recursion, too deep).
class SummaryProvider {
public:
  virtual ~SummaryProvider() = default;
  virtual const LockSummary *summaryOf(const clang::FunctionDecl *Callee) = 0;
};

/// Receives the facts of a finished analysis, element by element.
class LocksetObserver {
public:
  virtual ~LocksetObserver() = default;
  /// Every CFG element of a reachable block, with the locks held just
  /// before it executes.
  virtual void element(const clang::CFGElement &Element, const Lockset &Before) {}
  /// Every lock event, with the locks held just before it.
  virtual void event(const LockEvent &Event, const Lockset &Before) {}
  /// A reachable block is entered with \p Before (the join of its
  /// predecessors) and left with \p After, before any edge refinement.
  virtual void blockStart(const clang::CFGBlock &Block, const Lockset &Before) {}
  virtual void blockEnd(const clang::CFGBlock &Block, const Lockset &After) {}
};

class LocksetAnalysis {
public:
  LocksetAnalysis(const LockEventExtractor &Events, SummaryProvider *Summaries)
      : Events(Events), Summaries(Summaries) {}
  ~LocksetAnalysis();

  /// Analyses \p FD's body. Returns false when it has no body or Clang
  /// cannot build its CFG (then nothing is known about it).
  bool run(const clang::FunctionDecl *FD);

  /// Replays the converged analysis, telling \p Observer the state before
  /// every element and event of every reachable block.
  void replay(LocksetObserver &Observer) const;

  /// What this function does to its caller's locks.
  LockSummary summary() const;

  const clang::CFG *cfg() const { return Cfg.get(); }

private:
  Lockset transferBlock(const clang::CFGBlock &Block, Lockset State, LocksetObserver *Observer) const;
  /// The lock events of each element of \p Block, in order.
  llvm::ArrayRef<llvm::SmallVector<LockEvent, 0>> eventsOf(const clang::CFGBlock &Block) const;
  Lockset refineForEdge(const clang::CFGBlock &From, unsigned SuccIndex, const Lockset &Out) const;

  const LockEventExtractor &Events;
  SummaryProvider *Summaries;
  const clang::FunctionDecl *Function = nullptr;
  std::unique_ptr<clang::CFG> Cfg;
  /// What the function may change: conditions over the rest are stable.
  std::set<const clang::ValueDecl *> Changed;
  std::vector<std::optional<Lockset>> BlockIn;
  /// Lock events by block and element, read off the statements on the
  /// first pass over a block; the fixed point and every replay reuse them.
  /// (Most elements have none: no inline storage.)
  mutable std::vector<std::vector<llvm::SmallVector<LockEvent, 0>>> BlockEvents;
  // Filled while replaying returns; mutable because replay is logically const.
  mutable std::vector<HeldLock> ReturnedGuardLocks;
};

} // namespace lockgraph

#endif
