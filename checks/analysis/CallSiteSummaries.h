//===- CallSiteSummaries.h - Does a function (transitively) make a call X? --===//
//
// Several checks ask the same interprocedural question about a call made
// under a lock: "can this call, directly or through the functions it calls
// within the translation unit, reach a call of kind X (a blocking call, a
// callback) — and which of my locks are still held when it does?"
//
// A SiteClassifier says what X is for one CFG element. CallSiteSummaries
// answers the question for any element: a direct hit, or a call into a
// function whose summary (computed on demand, cached for the translation
// unit) contains a hit. Every hit carries the locks that are *not* held
// while it runs: a condition wait releases its lock, and a helper may
// unlock its caller's mutex before doing I/O and lock it again after.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_CALLSITESUMMARIES_H
#define LOCKGRAPH_ANALYSIS_CALLSITESUMMARIES_H

#include "analysis/LockSummaries.h"
#include "analysis/Lockset.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class CXXMethodDecl;
} // namespace clang

namespace lockgraph {

/// A call of interest made directly by one CFG element.
struct DirectSite {
  /// The callee as users know it, for messages.
  std::string What;
  /// Classifier-defined, e.g. a BlockingKind.
  unsigned Kind = 0;
  /// Locks (in the analysed function's terms) released while the call runs:
  /// mutexes, or guards whose mutexes are not known where the call is.
  llvm::SmallVector<LockExpr, 1> Releases;
  /// The call releases a lock that cannot be named (a wait on a guard whose
  /// mutex is unknown here): any held lock may be the one released.
  bool ReleasesUnknown = false;
  /// What the call acts on, in the terms of the function a summary is
  /// for (the stream an I/O call writes): translated at each call like a
  /// lock, so the function holding the lock can tell whose it is. Empty
  /// when the classifier does not say or a caller cannot name it.
  std::optional<LockExpr> Object;
  /// The virtual method a call dispatches through, when the classifier
  /// reports virtual calls: which code runs is decided by its overrides,
  /// which may be in other files.
  const clang::CXXMethodDecl *Dispatches = nullptr;
  /// For a call through a callable object (a `std::function` parameter or
  /// member, a template's callable): that object, in the same terms as
  /// Object. A caller that binds it to a lambda it wrote knows the code
  /// that runs, and follows the lambda instead (CallSiteSummaries::hitAt).
  std::optional<LockExpr> Callable;
};

class SiteClassifier {
public:
  virtual ~SiteClassifier() = default;
  virtual std::optional<DirectSite> classify(const clang::CFGElement &Element, const Lockset &Before) = 0;
  /// Elements whose calls are left out altogether, made directly or
  /// through callees (an assertion macro's failure path).
  virtual bool ignores(const clang::CFGElement &Element) const { return false; }
};

/// A replay of a function's locksets looking for calls of interest. It
/// knows whether the block being replayed ends the process (a call to a
/// `[[noreturn]]` function: `fprintf(stderr, ...); abort();`): what runs
/// there is the program's last words, not a critical section's work, and
/// no thread waits on the lock for long.
class SiteObserver : public LocksetObserver {
public:
  void blockStart(const clang::CFGBlock &Block, const Lockset &) override {
    EndsProcess = Block.hasNoReturnElement();
  }

protected:
  bool EndsProcess = false;
};

/// One way a function reaches a call of interest.
struct SiteSummary {
  /// The function and its statement that makes the call (or calls a
  /// function that does).
  const clang::FunctionDecl *Function = nullptr;
  const clang::Stmt *Site = nullptr;
  clang::SourceLocation Loc;
  /// Set when the hit is inside a callee: the callee and its own path.
  const clang::FunctionDecl *Callee = nullptr;
  const SiteSummary *Inner = nullptr;
  /// The direct hit at the end of the chain (copied up for convenience).
  DirectSite Direct;
  /// Locks of this function's caller, in this function's terms, that are
  /// not held when the call of interest runs.
  llvm::SmallVector<LockExpr, 2> CallerLocksFree;
  bool CallerLocksUnknown = false;
};

/// What one CFG element reaches, seen from the function it is in.
struct SiteHit {
  const clang::Stmt *Site = nullptr;
  /// Where to point at it: the call, or the variable a destructor ends.
  clang::SourceLocation Loc;
  const clang::FunctionDecl *Callee = nullptr; ///< null for a direct hit
  const SiteSummary *Inner = nullptr;          ///< the callee's path, if any
  DirectSite Direct;
  /// Locks of this function not held while the call of interest runs.
  llvm::SmallVector<LockExpr, 2> Free;
  /// Some held lock is released, but which one is not known.
  bool FreeUnknown = false;
};

class CallSiteSummaries {
public:
  CallSiteSummaries(const LockEventExtractor &Events, LockSummaries &Locks, SiteClassifier &Classifier,
                    unsigned MaxDepth = 6)
      : Events(Events), Locks(Locks), Classifier(Classifier), MaxDepth(MaxDepth) {}

  /// The call of interest \p Element reaches, with the locks held before
  /// it being \p Before. A callee's call through a callable that this
  /// element binds to a lambda written here (an argument, or a member its
  /// constructor set from one: `ForEachShard([=](Shard *s) {...})`,
  /// `Defer cleanup([&] {...})`) runs that lambda: what the lambda
  /// reaches is the hit, not the callable.
  std::optional<SiteHit> hitAt(const clang::CFGElement &Element, const Lockset &Before);

  /// The ways \p FD reaches a call of interest; empty when it does not (or
  /// when it cannot be analysed: no body, system header, recursion, depth).
  const std::vector<SiteSummary> &summaryOf(const clang::FunctionDecl *FD);

  /// The locks of \p Before that stay held during \p Hit, or nothing when
  /// that cannot be told (the hit releases an unknown lock, or one that is
  /// not held here under the name this function uses).
  static std::optional<std::vector<const HeldLock *>> heldDuring(const SiteHit &Hit, const Lockset &Before);

private:
  const LockEventExtractor &Events;
  LockSummaries &Locks;
  SiteClassifier &Classifier;
  unsigned MaxDepth;
  unsigned Depth = 0;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<std::vector<SiteSummary>>> Cache;
  llvm::DenseSet<const clang::FunctionDecl *> InProgress;
  std::vector<SiteSummary> Empty;
};

/// The function that \p Call runs, if it is known statically: a direct,
/// non-virtual (or final) call. Virtual dispatch may run any override.
const clang::FunctionDecl *staticCallee(const clang::CallExpr *Call);

/// Whether \p E is `this` or `*this`: a virtual call on it runs the class's
/// own code, not a stranger's.
bool isThisObject(const clang::Expr *E);

} // namespace lockgraph

#endif
