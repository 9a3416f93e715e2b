//===- LockEvents.h - What a statement does to the set of held locks -------===//
//
// Translates one CFG element into lock events: a mutex locked or unlocked,
// a guard constructed, moved, unlocked or destroyed, a call into a function
// whose summary may change the held locks. The lockset analysis applies the
// events; it never looks at statements itself.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_MODEL_LOCKEVENTS_H
#define LOCKGRAPH_MODEL_LOCKEVENTS_H

#include "model/LockExpr.h"
#include "model/LockModel.h"

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/SmallVector.h"

namespace lockgraph {

enum class LockEventKind {
  Acquire,      ///< Mutexes locked; owned by Guard when it is set.
  TryAcquire,   ///< Locked only where the attempt is known to have succeeded.
  Release,      ///< Mutexes unlocked by hand.
  GuardBind,    ///< Guard refers to Mutexes without locking them (defer_lock).
  GuardAdopt,   ///< Guard takes ownership of Mutexes already held (adopt_lock).
  GuardLock,    ///< guard.lock(): locks what the guard refers to.
  GuardTryLock, ///< guard.try_lock()
  GuardUnlock,  ///< guard.unlock(): releases what the guard owns.
  GuardDisown,  ///< guard.release(): the locks stay held, nobody owns them.
  GuardMove,    ///< Guard takes over everything OtherGuard had.
  GuardSwap,    ///< Guard and OtherGuard exchange what they have.
  GuardEnd,     ///< Guard destroyed or moved away: releases what it owns.
  GuardFromCall,///< Guard receives the guard returned by Call.
  GuardSuspend, ///< A scoped unlock: Mutexes are free until Guard ends, then
                ///< held again by whoever held them (GuardKind::Reverse).
  Call,         ///< A call whose callee's summary may lock or unlock.
};

struct LockEvent {
  LockEventKind Kind;
  llvm::SmallVector<LockExpr, 2> Mutexes;
  std::optional<LockExpr> Guard;
  std::optional<LockExpr> OtherGuard;
  LockMode Mode = LockMode::Exclusive;
  MutexKind Kind_ = MutexKind::Plain;
  /// Several mutexes locked together with a deadlock-avoidance algorithm
  /// (std::lock, std::scoped_lock): no order among them is implied.
  bool Together = false;
  /// The statement responsible; its location is the acquisition site.
  const clang::Stmt *Site = nullptr;
  /// For Call and GuardFromCall: the call and how its receiver and
  /// arguments read in the caller, for translating the callee's summary.
  const clang::CallExpr *Call = nullptr;
  const clang::FunctionDecl *Callee = nullptr;
  std::optional<LockExpr> Receiver;
  llvm::SmallVector<std::optional<LockExpr>, 4> Args;
  /// For Call: each argument that is a boolean constant
  /// (`Flush(false)`), by parameter; empty when none is. A callee's lock
  /// taken only under the opposite value of that parameter is not taken.
  std::vector<std::optional<bool>> BoolArgs;
};

/// How to read a branch condition in terms of try-lock outcomes: the tag
/// names the pending attempt, Success says which branch got the lock.
struct TryCondition {
  std::string Tag;
  bool SuccessOnTrue = true;
};

class LockEventExtractor {
public:
  LockEventExtractor(const LockModel &Model, clang::ASTContext &Ctx) : Model(Model), Ctx(Ctx) {}

  /// The events of one CFG element, in the order they happen.
  llvm::SmallVector<LockEvent, 2> eventsOf(const clang::CFGElement &Element) const;

  /// Reads a branch condition as the outcome of a pending try-lock, if it
  /// is one (`m.try_lock()`, `!lk`, `lk.owns_lock()`, `trylock(&m) == 0`).
  std::optional<TryCondition> tryConditionOf(const clang::Expr *Cond) const;

  /// Tags under which a try-lock event waits for its outcome: the call
  /// site, and the guard when a guard's ownership can be tested later.
  static llvm::SmallVector<std::string, 2> tryTagsOf(const LockEvent &E);

  /// The guard expression (variable, member, temporary) returned by a
  /// return statement's value, if the value is a guard.
  std::optional<LockExpr> returnedGuard(const clang::Expr *Value) const;

  const LockModel &model() const { return Model; }
  clang::ASTContext &context() const { return Ctx; }

private:
  void fromStmt(const clang::Stmt *S, llvm::SmallVectorImpl<LockEvent> &Out) const;
  void fromConstruct(const clang::CXXConstructExpr *CE, std::optional<LockExpr> Target,
                     llvm::SmallVectorImpl<LockEvent> &Out) const;
  void fromMemberCall(const clang::CXXMemberCallExpr *Call, llvm::SmallVectorImpl<LockEvent> &Out) const;
  void fromFreeCall(const clang::CallExpr *Call, llvm::SmallVectorImpl<LockEvent> &Out) const;
  void fromAssignment(const clang::CXXOperatorCallExpr *Op, llvm::SmallVectorImpl<LockEvent> &Out) const;
  void guardsMovedAway(const clang::CallExpr *Call, llvm::SmallVectorImpl<LockEvent> &Out) const;
  bool addCallEvent(const clang::CallExpr *Call, llvm::SmallVectorImpl<LockEvent> &Out) const;
  std::optional<LockExpr> guardTarget(const clang::CFGConstructor &Ctor) const;
  std::optional<LockExpr> guardOf(const clang::Expr *E) const;
  std::optional<MutexKind> mutexKindOf(const clang::Expr *E) const;

  const LockModel &Model;
  clang::ASTContext &Ctx;
};

/// The arguments of \p Call from \p FirstArg on that are boolean
/// constants (`Flush(false)`, a constexpr flag), one entry per argument;
/// empty when there is none.
std::vector<std::optional<bool>> constantBoolArguments(const clang::CallExpr *Call, unsigned FirstArg,
                                                       const clang::ASTContext &Ctx);

/// \p E seen through parentheses, implicit and functional casts, cleanups
/// and temporaries.
const clang::Expr *ignoreTemporaries(const clang::Expr *E);

/// The constructor call inside \p E, looking through temporaries, casts
/// and functional casts; null when \p E does not construct an object.
const clang::CXXConstructExpr *constructionIn(const clang::Expr *E);

} // namespace lockgraph

#endif
