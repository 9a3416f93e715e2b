//===- Lockset.cpp --------------------------------------------------------===//

#include "analysis/Lockset.h"
#include "analysis/StableConditions.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"

using namespace clang;

namespace lockgraph {

const HeldLock *Lockset::find(const LockExpr &Lock) const {
  for (const HeldLock &H : Held)
    if (H.Lock == Lock)
      return &H;
  return nullptr;
}

const GuardBinding *Lockset::binding(const LockExpr &Guard) const {
  for (const GuardBinding &B : Guards)
    if (B.Guard == Guard)
      return &B;
  return nullptr;
}

static bool sameHeld(const HeldLock &A, const HeldLock &B) {
  return A.Lock == B.Lock && A.Mode == B.Mode && A.Definitely == B.Definitely && A.Depth == B.Depth &&
         A.Owner == B.Owner && A.PendingTry == B.PendingTry && A.HeldIf == B.HeldIf;
}

std::string negatedCondition(llvm::StringRef Tag) {
  if (Tag.consume_front("!"))
    return Tag.str();
  return "!" + Tag.str();
}

std::optional<std::pair<unsigned, bool>> parameterCondition(llvm::StringRef Tag) {
  bool Value = !Tag.consume_front("!");
  if (!Tag.consume_front("cond:p"))
    return std::nullopt;
  unsigned Index = 0;
  if (Tag.consumeInteger(10, Index) || !Tag.starts_with(":"))
    return std::nullopt;
  return std::make_pair(Index, Value);
}

/// Tags of \p HeldIf still true wherever the lock is held after a merge
/// with a path that does not hold it: those that path contradicts.
static llvm::SmallVector<std::string, 1> keptWhereAbsent(llvm::ArrayRef<std::string> HeldIf,
                                                         llvm::ArrayRef<std::string> OtherKnown) {
  llvm::SmallVector<std::string, 1> Out;
  for (const std::string &Tag : HeldIf)
    if (llvm::is_contained(OtherKnown, negatedCondition(Tag)))
      Out.push_back(Tag);
  return Out;
}

bool Lockset::operator==(const Lockset &O) const {
  if (Held.size() != O.Held.size() || Guards.size() != O.Guards.size() ||
      ReleasedUnheld.size() != O.ReleasedUnheld.size())
    return false;
  for (size_t I = 0; I < Held.size(); ++I)
    if (!sameHeld(Held[I], O.Held[I]))
      return false;
  for (size_t I = 0; I < Guards.size(); ++I)
    if (Guards[I].Guard != O.Guards[I].Guard || Guards[I].Mutexes != O.Guards[I].Mutexes ||
        Guards[I].Relocks != O.Guards[I].Relocks || Guards[I].RelockOwner != O.Guards[I].RelockOwner ||
        Guards[I].RelockMaybe != O.Guards[I].RelockMaybe)
      return false;
  return ReleasedUnheld == O.ReleasedUnheld && Known == O.Known;
}

Lockset Lockset::join(const Lockset &A, const Lockset &B) {
  Lockset Out;
  for (const HeldLock &HA : A.Held) {
    HeldLock Merged = HA;
    if (const HeldLock *HB = B.find(HA.Lock)) {
      Merged.Definitely = HA.Definitely && HB->Definitely;
      Merged.Depth = std::max(HA.Depth, HB->Depth);
      if (HA.Owner != HB->Owner)
        Merged.Owner = HA.Owner ? HA.Owner : HB->Owner;
      for (const std::string &Tag : HB->PendingTry)
        if (!llvm::is_contained(Merged.PendingTry, Tag))
          Merged.PendingTry.push_back(Tag);
      llvm::erase_if(Merged.HeldIf, [&](const std::string &T) { return !llvm::is_contained(HB->HeldIf, T); });
    } else {
      Merged.Definitely = false;
      Merged.HeldIf = keptWhereAbsent(HA.HeldIf, B.Known);
    }
    Out.Held.push_back(std::move(Merged));
  }
  for (const HeldLock &HB : B.Held)
    if (!A.find(HB.Lock)) {
      HeldLock Merged = HB;
      Merged.Definitely = false;
      Merged.HeldIf = keptWhereAbsent(HB.HeldIf, A.Known);
      Out.Held.push_back(std::move(Merged));
    }
  std::set_intersection(A.Known.begin(), A.Known.end(), B.Known.begin(), B.Known.end(),
                        std::back_inserter(Out.Known));
  Out.Guards = A.Guards;
  // A scoped unlock begun on one path only relocks on that path only.
  for (GuardBinding &GA : Out.Guards)
    if (GA.Relocks && !B.binding(GA.Guard))
      GA.RelockMaybe = true;
  for (const GuardBinding &GB : B.Guards) {
    if (GB.Relocks && !A.binding(GB.Guard)) {
      Out.Guards.push_back(GB);
      Out.Guards.back().RelockMaybe = true;
      continue;
    }
    auto It = llvm::find_if(Out.Guards, [&](const GuardBinding &G) { return G.Guard == GB.Guard; });
    if (It == Out.Guards.end()) {
      Out.Guards.push_back(GB);
      continue;
    }
    if (It->Relocks != GB.Relocks || It->RelockOwner != GB.RelockOwner) {
      It->Relocks = It->Relocks || GB.Relocks;
      It->RelockMaybe = true;
      if (!It->RelockOwner)
        It->RelockOwner = GB.RelockOwner;
    }
    It->RelockMaybe = It->RelockMaybe || GB.RelockMaybe;
    for (const LockExpr &M : GB.Mutexes)
      if (!llvm::is_contained(It->Mutexes, M))
        It->Mutexes.push_back(M);
  }
  Out.ReleasedUnheld = A.ReleasedUnheld;
  for (const LockExpr &L : B.ReleasedUnheld)
    if (!llvm::is_contained(Out.ReleasedUnheld, L))
      Out.ReleasedUnheld.push_back(L);
  llvm::sort(Out.Held, [](const HeldLock &X, const HeldLock &Y) { return X.Lock < Y.Lock; });
  llvm::sort(Out.Guards, [](const GuardBinding &X, const GuardBinding &Y) { return X.Guard < Y.Guard; });
  llvm::sort(Out.ReleasedUnheld);
  return Out;
}

/// Applies lock events to a lockset. The only code that mutates one.
class LocksetTransfer {
public:
  LocksetTransfer(Lockset &State, const LockEventExtractor &Events, SummaryProvider *Summaries)
      : State(State), Events(Events), Summaries(Summaries) {}

  void apply(const LockEvent &E) {
    SourceLocation Loc = E.Site ? E.Site->getBeginLoc() : SourceLocation();
    switch (E.Kind) {
    case LockEventKind::Acquire:
    case LockEventKind::TryAcquire: {
      if (E.Guard)
        bind(*E.Guard, E.Mutexes, E.Mode, E.Kind_);
      llvm::SmallVector<std::string, 2> Pending;
      if (E.Kind == LockEventKind::TryAcquire)
        Pending = LockEventExtractor::tryTagsOf(E);
      for (const LockExpr &M : E.Mutexes)
        acquire(M, E.Mode, E.Kind_, E.Guard, Loc, Pending, E.Together);
      break;
    }
    case LockEventKind::Release:
      for (const LockExpr &M : E.Mutexes)
        release(M);
      break;
    case LockEventKind::GuardBind:
      bind(*E.Guard, E.Mutexes, E.Mode, E.Kind_);
      break;
    case LockEventKind::GuardAdopt:
      bind(*E.Guard, E.Mutexes, E.Mode, E.Kind_);
      for (const LockExpr &M : E.Mutexes) {
        if (HeldLock *H = findMutable(M))
          H->Owner = E.Guard;
        else
          acquire(M, E.Mode, E.Kind_, E.Guard, Loc, {}, E.Together);
      }
      break;
    case LockEventKind::GuardLock:
    case LockEventKind::GuardTryLock: {
      llvm::SmallVector<std::string, 2> Pending;
      if (E.Kind == LockEventKind::GuardTryLock)
        Pending = LockEventExtractor::tryTagsOf(E);
      if (const GuardBinding *B = bindingFor(*E.Guard)) {
        GuardBinding Copy = *B;
        for (const LockExpr &M : Copy.Mutexes)
          acquire(M, Copy.Mode, Copy.Kind, E.Guard, Loc, Pending, Copy.Mutexes.size() > 1);
      }
      break;
    }
    case LockEventKind::GuardUnlock:
      // A guard this function did not bind is its caller's (a
      // `std::unique_lock<std::mutex> &` parameter): unlocking it releases
      // the caller's mutex under the guard's name.
      if (E.Guard->root() != LockExpr::Root::Local && !bindingFor(*E.Guard))
        releaseUnheld(*E.Guard);
      releaseOwnedBy(*E.Guard);
      break;
    case LockEventKind::GuardDisown:
      for (HeldLock &H : State.Held)
        if (H.Owner == E.Guard)
          H.Owner.reset();
      unbind(*E.Guard);
      break;
    case LockEventKind::GuardMove:
      if (!E.OtherGuard || *E.OtherGuard == *E.Guard)
        break;
      releaseOwnedBy(*E.Guard);
      unbind(*E.Guard);
      for (HeldLock &H : State.Held)
        if (H.Owner == E.OtherGuard)
          H.Owner = E.Guard;
      for (GuardBinding &B : State.Guards)
        if (B.Guard == *E.OtherGuard)
          B.Guard = *E.Guard;
      normalize();
      break;
    case LockEventKind::GuardSwap:
      if (!E.OtherGuard)
        break;
      for (HeldLock &H : State.Held) {
        if (H.Owner == E.Guard)
          H.Owner = E.OtherGuard;
        else if (H.Owner == E.OtherGuard)
          H.Owner = E.Guard;
      }
      for (GuardBinding &B : State.Guards) {
        if (B.Guard == *E.Guard)
          B.Guard = *E.OtherGuard;
        else if (B.Guard == *E.OtherGuard)
          B.Guard = *E.Guard;
      }
      normalize();
      break;
    case LockEventKind::GuardEnd:
      releaseOwnedBy(*E.Guard);
      relockSuspended(*E.Guard, Loc);
      unbind(*E.Guard);
      break;
    case LockEventKind::GuardSuspend:
      suspend(E);
      break;
    case LockEventKind::GuardFromCall:
      applyReturnedGuard(E, Loc);
      break;
    case LockEventKind::Call:
      applyCallSummary(E, Loc);
      break;
    }
  }

  /// On the edge where a try-lock is known to have succeeded or failed.
  void resolveTry(const TryCondition &Cond, bool Succeeded) {
    std::vector<HeldLock> Kept;
    for (HeldLock &H : State.Held) {
      if (!llvm::is_contained(H.PendingTry, Cond.Tag)) {
        Kept.push_back(std::move(H));
        continue;
      }
      if (!Succeeded)
        continue;
      // Keep the tags: a later test of the same outcome must agree.
      H.Definitely = true;
      Kept.push_back(std::move(H));
    }
    State.Held = std::move(Kept);
  }

  /// On an edge where stable condition \p Tag holds: locks taken only
  /// under its opposite are not held, locks missing only where it fails
  /// are held.
  void assume(const std::string &Tag) {
    std::string Opposite = negatedCondition(Tag);
    llvm::erase(State.Known, Opposite);
    // A bound on what one path remembers keeps states small in long
    // functions; forgetting a condition only loses precision.
    if (!llvm::is_contained(State.Known, Tag) && State.Known.size() < 16) {
      State.Known.push_back(Tag);
      llvm::sort(State.Known);
    }
    llvm::erase_if(State.Held, [&](const HeldLock &H) { return llvm::is_contained(H.HeldIf, Opposite); });
    for (HeldLock &H : State.Held)
      if (!H.Definitely && H.PendingTry.empty() && llvm::is_contained(H.HeldIf, Tag))
        H.Definitely = true;
  }

private:
  HeldLock *findMutable(const LockExpr &L) {
    for (HeldLock &H : State.Held)
      if (H.Lock == L)
        return &H;
    return nullptr;
  }

  void acquire(const LockExpr &M, LockMode Mode, MutexKind Kind, const std::optional<LockExpr> &Owner,
               SourceLocation Loc, llvm::ArrayRef<std::string> Pending, bool Together,
               const FunctionDecl *Via = nullptr, SourceLocation ViaLoc = {}, bool Definitely = true) {
    if (HeldLock *Existing = findMutable(M)) {
      // Re-entry of a recursive mutex, or a double lock that another check
      // reports; either way it stays held.
      if (Pending.empty()) {
        ++Existing->Depth;
        Existing->PendingTry.clear();
        Existing->Definitely = Existing->Definitely || Definitely;
      }
      return;
    }
    HeldLock H;
    H.Lock = M;
    H.Mode = Mode;
    H.Kind = Kind;
    H.Owner = Owner;
    H.AcquiredAt = Loc;
    H.PendingTry.assign(Pending.begin(), Pending.end());
    H.Definitely = Definitely && Pending.empty();
    H.Together = Together;
    H.Via = Via;
    H.ViaLoc = ViaLoc;
    H.HeldIf.assign(State.Known.begin(), State.Known.end());
    State.Held.push_back(std::move(H));
    normalize();
  }

  void releaseUnheld(const LockExpr &M) {
    if (!llvm::is_contained(State.ReleasedUnheld, M)) {
      State.ReleasedUnheld.push_back(M);
      normalize();
    }
  }

  void release(const LockExpr &M) {
    auto It = llvm::find_if(State.Held, [&](const HeldLock &H) { return H.Lock == M; });
    if (It == State.Held.end()) {
      releaseUnheld(M);
      return;
    }
    if (It->Kind == MutexKind::Recursive && It->Depth > 1) {
      --It->Depth;
      return;
    }
    // Held on some paths only (`if (!held_by_caller) mu.Lock();`): on the
    // others this unlocks the caller's mutex, and a later lock() there
    // gives it back rather than taking it a second time.
    if (!It->Definitely)
      releaseUnheld(M);
    State.Held.erase(It);
    normalize();
  }

  void releaseOwnedBy(const LockExpr &Guard) {
    llvm::erase_if(State.Held, [&](const HeldLock &H) { return H.Owner == Guard; });
  }

  void bind(const LockExpr &Guard, llvm::ArrayRef<LockExpr> Mutexes, LockMode Mode, MutexKind Kind) {
    unbind(Guard);
    GuardBinding B{Guard, {Mutexes.begin(), Mutexes.end()}, Mode, Kind};
    State.Guards.push_back(std::move(B));
    normalize();
  }

  /// A scoped unlock of locks this function holds: they are free until the
  /// guard ends. One of the caller's locks (not held here) is left alone:
  /// relocking it for nobody would take it from the caller's guard.
  void suspend(const LockEvent &E) {
    GuardBinding B{*E.Guard, {}, E.Mode, E.Kind_};
    B.Relocks = true;
    for (const LockExpr &M : E.Mutexes) {
      const HeldLock *H = State.find(M);
      if (!H)
        continue;
      B.Mutexes.push_back(M);
      B.Mode = H->Mode;
      B.Kind = H->Kind;
      B.RelockOwner = H->Owner;
      B.RelockMaybe = B.RelockMaybe || !H->Definitely;
    }
    if (B.Mutexes.empty())
      return;
    unbind(*E.Guard);
    State.Guards.push_back(B);
    normalize();
    for (const LockExpr &M : B.Mutexes)
      release(M);
  }

  void relockSuspended(const LockExpr &Guard, SourceLocation Loc) {
    const GuardBinding *B = State.binding(Guard);
    if (!B || !B->Relocks)
      return;
    GuardBinding Copy = *B;
    for (const LockExpr &M : Copy.Mutexes)
      acquire(M, Copy.Mode, Copy.Kind, Copy.RelockOwner, Loc, {}, false, nullptr, {}, !Copy.RelockMaybe);
  }

  void unbind(const LockExpr &Guard) {
    llvm::erase_if(State.Guards, [&](const GuardBinding &B) { return B.Guard == Guard; });
  }

  /// The binding of a guard; for a guard that is a data member and was not
  /// bound in this function, the binding its constructor initializer made.
  const GuardBinding *bindingFor(const LockExpr &Guard) {
    if (const GuardBinding *B = State.binding(Guard))
      return B;
    const auto *Field = llvm::dyn_cast_or_null<FieldDecl>(Guard.lastMember());
    if (!Field || Guard.root() != LockExpr::Root::This)
      return nullptr;
    const Expr *Init = Field->getInClassInitializer();
    if (!Init)
      if (const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent()))
        for (const CXXConstructorDecl *Ctor : RD->ctors())
          for (const CXXCtorInitializer *CI : Ctor->inits())
            if (CI->getMember() == Field && CI->isWritten())
              Init = CI->getInit();
    const CXXConstructExpr *CE = constructionIn(Init);
    if (!CE)
      return nullptr;
    LockEvent Fake{LockEventKind::GuardBind};
    std::optional<GuardTypeInfo> Info = Events.model().classifyGuard(CE->getType());
    if (!Info)
      return nullptr;
    llvm::SmallVector<LockExpr, 2> Mutexes;
    MutexKind Kind = MutexKind::Plain;
    for (const Expr *Arg : CE->arguments())
      if (std::optional<MutexKind> K = Events.model().classifyMutex(LockModel::pointeeOrSelf(Arg->getType())))
        if (std::optional<LockExpr> M = LockExpr::fromExpr(Arg, Events.context())) {
          Mutexes.push_back(*M);
          Kind = *K;
        }
    if (Mutexes.empty())
      return nullptr;
    bind(Guard, Mutexes, Info->Mode, Kind);
    return State.binding(Guard);
  }

  /// Whether the call passes a constant that makes a callee's lock held
  /// only under a parameter's value (`if (held) mu.Lock();`) surely held
  /// (`Persist(true)`) or surely not (`Persist(false)`); nothing when no
  /// constant decides it.
  static std::optional<bool> decidedByArguments(const HeldLock &H, const LockEvent &Call) {
    std::optional<bool> Out;
    for (const std::string &Tag : H.HeldIf)
      if (std::optional<std::pair<unsigned, bool>> C = parameterCondition(Tag))
        if (C->first < Call.BoolArgs.size() && Call.BoolArgs[C->first]) {
          if (*Call.BoolArgs[C->first] != C->second)
            return false;
          Out = true;
        }
    return Out;
  }

  static std::optional<LockExpr> translate(const std::optional<LockExpr> &L, const LockEvent &E) {
    if (!L)
      return std::nullopt;
    return L->inCaller(E.Receiver, E.Args);
  }

  void applyReturnedGuard(const LockEvent &E, SourceLocation Loc) {
    const LockSummary *S = Summaries && E.Callee ? Summaries->summaryOf(E.Callee) : nullptr;
    if (!S)
      return;
    for (const HeldLock &H : S->ReturnedGuard)
      if (std::optional<LockExpr> M = translate(H.Lock, E))
        acquire(*M, H.Mode, H.Kind, E.Guard, Loc, {}, H.Together, E.Callee, H.AcquiredAt, H.Definitely);
  }

  void applyCallSummary(const LockEvent &E, SourceLocation Loc) {
    const LockSummary *S = Summaries && E.Callee ? Summaries->summaryOf(E.Callee) : nullptr;
    if (!S)
      return;
    // A helper that unlocks the caller's mutex and locks it again
    // (`mu.Unlock(); wait(); mu.Lock();`) leaves it as it was: held, by the
    // same owner, taken where it was taken.
    std::vector<HeldLock> Relocked;
    for (const LockExpr &L : S->Released)
      if (std::optional<LockExpr> M = translate(L, E)) {
        // A callee that unlocks this function's guard hands it back
        // locked (the guard is still this function's to release).
        if (State.binding(*M))
          continue;
        if (const HeldLock *H = State.find(*M))
          if (llvm::any_of(S->Acquired, [&](const HeldLock &A) { return translate(A.Lock, E) == M; }))
            Relocked.push_back(*H);
        release(*M);
      }
    for (HeldLock &H : Relocked) {
      while (findMutable(H.Lock))
        release(H.Lock);
      State.Held.push_back(std::move(H));
      normalize();
    }
    for (const HeldLock &H : S->Acquired) {
      std::optional<LockExpr> M = translate(H.Lock, E);
      if (!M || llvm::any_of(Relocked, [&](const HeldLock &R) { return R.Lock == *M; }))
        continue;
      std::optional<bool> Decided = decidedByArguments(H, E);
      if (Decided == false)
        continue;
      std::optional<LockExpr> Owner = translate(H.Owner, E);
      acquire(*M, H.Mode, H.Kind, Owner, Loc, {}, H.Together, E.Callee, H.AcquiredAt,
              H.Definitely || (Decided && H.PendingTry.empty()));
    }
  }

  void normalize() {
    llvm::sort(State.Held, [](const HeldLock &X, const HeldLock &Y) { return X.Lock < Y.Lock; });
    llvm::sort(State.Guards, [](const GuardBinding &X, const GuardBinding &Y) { return X.Guard < Y.Guard; });
    llvm::sort(State.ReleasedUnheld);
  }

  Lockset &State;
  const LockEventExtractor &Events;
  SummaryProvider *Summaries;
};

LocksetAnalysis::~LocksetAnalysis() = default;

/// Whether every base and member of \p RD that needs destroying is valid
/// and has its destructor declared.
static bool implicitDestructorsDeclared(const CXXRecordDecl *RD) {
  auto Declared = [](QualType T) {
    const CXXRecordDecl *Member = T->getBaseElementTypeUnsafe()->getAsCXXRecordDecl();
    if (!Member)
      return true;
    if (Member->isInvalidDecl())
      return false;
    if (!Member->hasDefinition() || Member->hasTrivialDestructor())
      return true;
    const CXXDestructorDecl *Dtor = Member->getDestructor();
    return Dtor && !Dtor->isInvalidDecl();
  };
  if (RD->isInvalidDecl())
    return false;
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (!Declared(Base.getType()))
      return false;
  for (const CXXBaseSpecifier &Base : RD->vbases())
    if (!Declared(Base.getType()))
      return false;
  return llvm::all_of(RD->fields(),
                      [&](const FieldDecl *F) { return !F->isInvalidDecl() && Declared(F->getType()); });
}

bool LocksetAnalysis::run(const FunctionDecl *FD) {
  Function = FD;
  Stmt *Body = FD ? FD->getBody() : nullptr;
  if (!Body)
    return false;
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = true;
  Options.AddInitializers = true;
  Options.AddRichCXXConstructors = true;
  Options.AddCXXDefaultInitExprInCtors = true;
  Options.PruneTriviallyFalseEdges = true;
  Options.setAllAlwaysAdd();
  // clang's CFG builder adds the destructor of every member and base a
  // destructor ends with, and crashes on a member whose class is invalid
  // (a unit that does not compile: a header the build generates is not
  // there yet, as in a configure-only Thunder tree). Those destructors are
  // left out: nothing is known of what they run anyway.
  if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(FD); Dtor && !implicitDestructorsDeclared(Dtor->getParent()))
    Options.AddImplicitDtors = false;
  Cfg = CFG::buildCFG(FD, Body, &FD->getASTContext(), Options);
  if (!Cfg)
    return false;
  Changed = changedValues(Body);

  BlockIn.assign(Cfg->getNumBlockIDs(), std::nullopt);
  BlockEvents.assign(Cfg->getNumBlockIDs(), {});
  const CFGBlock &Entry = Cfg->getEntry();
  BlockIn[Entry.getBlockID()] = Lockset();

  // Worklist in reverse post-order so most blocks see all predecessors first.
  PostOrderCFGView Order(Cfg.get());
  std::vector<unsigned> Rank(Cfg->getNumBlockIDs(), 0);
  unsigned Next = 0;
  for (const CFGBlock *B : Order)
    Rank[B->getBlockID()] = Next++;
  auto ByOrder = [&](const CFGBlock *A, const CFGBlock *B) { return Rank[A->getBlockID()] > Rank[B->getBlockID()]; };
  std::vector<const CFGBlock *> Worklist{&Entry};
  std::vector<bool> Queued(Cfg->getNumBlockIDs(), false);
  Queued[Entry.getBlockID()] = true;

  // Every join only weakens facts, so this converges; the bound guards
  // against a bug turning into a hang on a user's code.
  unsigned Budget = 64 * Cfg->getNumBlockIDs() + 64;
  while (!Worklist.empty() && Budget--) {
    std::pop_heap(Worklist.begin(), Worklist.end(), ByOrder);
    const CFGBlock *Block = Worklist.back();
    Worklist.pop_back();
    Queued[Block->getBlockID()] = false;
    Lockset Out = transferBlock(*Block, *BlockIn[Block->getBlockID()], nullptr);
    // A path that ends in abort(), a failed assert or another [[noreturn]]
    // call never returns: the CFG links it to the exit, but what it holds
    // is nothing the caller will ever hold after the call.
    if (Block->hasNoReturnElement())
      continue;
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : Block->succs()) {
      unsigned SuccIndex = Index++;
      if (!Succ.getReachableBlock())
        continue;
      const CFGBlock *S = Succ.getReachableBlock();
      Lockset Edge = refineForEdge(*Block, SuccIndex, Out);
      std::optional<Lockset> &In = BlockIn[S->getBlockID()];
      Lockset Merged = In ? Lockset::join(*In, Edge) : Edge;
      if (In && *In == Merged)
        continue;
      In = std::move(Merged);
      if (!Queued[S->getBlockID()]) {
        Queued[S->getBlockID()] = true;
        Worklist.push_back(S);
        std::push_heap(Worklist.begin(), Worklist.end(), ByOrder);
      }
    }
  }

  ReturnedGuardLocks.clear();
  LocksetObserver Collector;
  replay(Collector);
  return true;
}

Lockset LocksetAnalysis::refineForEdge(const CFGBlock &From, unsigned SuccIndex, const Lockset &Out) const {
  if (From.succ_size() != 2)
    return Out;
  const Stmt *Cond = From.getTerminatorCondition();
  const auto *CondExpr = dyn_cast_or_null<Expr>(Cond);
  if (!CondExpr)
    return Out;
  bool TrueEdge = SuccIndex == 0;
  if (std::optional<TryCondition> Try = Events.tryConditionOf(CondExpr)) {
    Lockset Refined = Out;
    LocksetTransfer Transfer(Refined, Events, Summaries);
    Transfer.resolveTry(*Try, TrueEdge == Try->SuccessOnTrue);
    return Refined;
  }
  std::optional<StableCondition> Stable = readStableCondition(CondExpr, Changed, Events.context());
  if (!Stable)
    return Out;
  std::string Tag = "cond:";
  if (Stable->Param)
    Tag += "p" + std::to_string(Stable->Param->getFunctionScopeIndex()) + ":";
  Tag += std::to_string(Stable->Hash);
  if (TrueEdge == Stable->Negated)
    Tag = negatedCondition(Tag);
  Lockset Refined = Out;
  LocksetTransfer Transfer(Refined, Events, Summaries);
  Transfer.assume(Tag);
  return Refined;
}

/// Entering a catch handler unwound the try block: guards declared inside
/// it were destroyed. The CFG has no destructor elements on that path.
static void unwindIntoHandler(const CFGBlock &Block, Lockset &State, ASTContext &Ctx,
                              LocksetTransfer &Transfer) {
  const auto *Catch = dyn_cast_or_null<CXXCatchStmt>(Block.getLabel());
  if (!Catch)
    return;
  const CXXTryStmt *Try = nullptr;
  for (const DynTypedNode &Parent : Ctx.getParents(*Catch))
    if ((Try = Parent.get<CXXTryStmt>()))
      break;
  if (!Try)
    return;
  SourceRange TryBlock = Try->getTryBlock()->getSourceRange();
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<LockExpr, 4> Unwound;
  for (const HeldLock &H : State.held()) {
    if (!H.Owner || H.Owner->root() != LockExpr::Root::Local || !H.Owner->rootDecl())
      continue;
    SourceLocation Declared = H.Owner->rootDecl()->getLocation();
    if (SM.isPointWithin(Declared, TryBlock.getBegin(), TryBlock.getEnd()))
      Unwound.push_back(*H.Owner);
  }
  for (const LockExpr &Guard : Unwound) {
    LockEvent End{LockEventKind::GuardEnd};
    End.Guard = Guard;
    Transfer.apply(End);
  }
}

Lockset LocksetAnalysis::transferBlock(const CFGBlock &Block, Lockset State, LocksetObserver *Observer) const {
  LocksetTransfer Transfer(State, Events, Summaries);
  unwindIntoHandler(Block, State, Events.context(), Transfer);
  if (Observer)
    Observer->blockStart(Block, State);
  llvm::ArrayRef<llvm::SmallVector<LockEvent, 0>> ElementEvents = eventsOf(Block);
  unsigned Index = 0;
  for (const CFGElement &Element : Block) {
    if (Observer)
      Observer->element(Element, State);
    for (const LockEvent &E : ElementEvents[Index++]) {
      if (Observer)
        Observer->event(E, State);
      Transfer.apply(E);
    }
    if (!Observer)
      continue;
    // Returns hand a guard to the caller: remember what it owns.
    if (auto S = Element.getAs<CFGStmt>())
      if (const auto *Ret = dyn_cast<ReturnStmt>(S->getStmt()))
        if (std::optional<LockExpr> G = Events.returnedGuard(Ret->getRetValue()))
          for (const HeldLock &H : State.held())
            if (H.Owner == G &&
                llvm::none_of(ReturnedGuardLocks, [&](const HeldLock &R) { return R.Lock == H.Lock; }))
              ReturnedGuardLocks.push_back(H);
  }
  if (Observer)
    Observer->blockEnd(Block, State);
  return State;
}

llvm::ArrayRef<llvm::SmallVector<LockEvent, 0>> LocksetAnalysis::eventsOf(const CFGBlock &Block) const {
  std::vector<llvm::SmallVector<LockEvent, 0>> &Out = BlockEvents[Block.getBlockID()];
  if (Out.empty() && !Block.empty()) {
    Out.reserve(Block.size());
    for (const CFGElement &Element : Block) {
      llvm::SmallVector<LockEvent, 2> Found = Events.eventsOf(Element);
      Out.emplace_back(std::make_move_iterator(Found.begin()), std::make_move_iterator(Found.end()));
    }
  }
  return Out;
}

void LocksetAnalysis::replay(LocksetObserver &Observer) const {
  if (!Cfg)
    return;
  for (const CFGBlock *Block : *Cfg)
    if (Block && BlockIn[Block->getBlockID()])
      transferBlock(*Block, *BlockIn[Block->getBlockID()], &Observer);
}

LockSummary LocksetAnalysis::summary() const {
  LockSummary S;
  if (!Cfg)
    return S;
  S.ReturnedGuard = ReturnedGuardLocks;
  const std::optional<Lockset> &Exit = BlockIn[Cfg->getExit().getBlockID()];
  if (!Exit)
    return S;
  for (const HeldLock &H : Exit->held()) {
    bool OwnedByLocal = H.Owner && (H.Owner->root() == LockExpr::Root::Local ||
                                    H.Owner->root() == LockExpr::Root::Opaque);
    bool Returned = llvm::any_of(S.ReturnedGuard, [&](const HeldLock &R) { return R.Lock == H.Lock; });
    if (!OwnedByLocal && !Returned)
      S.Acquired.push_back(H);
  }
  for (const LockExpr &L : Exit->releasedUnheld())
    S.Released.push_back(L);
  return S;
}

} // namespace lockgraph
