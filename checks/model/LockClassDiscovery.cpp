//===- LockClassDiscovery.cpp ---------------------------------------------===//

#include "model/LockClassDiscovery.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace lockgraph {
namespace {

/// The data member of `this` that \p E names (`mu_`, `this->mu_`,
/// `&mu_`), or null.
const FieldDecl *ownMember(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *ME = dyn_cast<MemberExpr>(E);
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// What one member function does to the mutexes its object owns, read
/// from its body and the bodies of the members it calls on `this`.
struct BodyEffects {
  /// Own mutexes locked, with the operation that locked them.
  llvm::SmallVector<std::pair<const FieldDecl *, MutexOp>, 2> Locked;
  llvm::SmallVector<const FieldDecl *, 2> Unlocked;
  /// The body calls a project function whose body is not here: what it
  /// does is unknown.
  bool Opaque = false;
};

class EffectScanner : public RecursiveASTVisitor<EffectScanner> {
public:
  EffectScanner(const LockModel &Model, const SourceManager &SM, BodyEffects &Out,
                llvm::SmallPtrSetImpl<const FunctionDecl *> &Visited)
      : Model(Model), SM(SM), Out(Out), Visited(Visited) {}

  void scan(const FunctionDecl *FD) {
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || !Def->getBody()) {
      if (!SM.isInSystemHeader(FD->getLocation()))
        Out.Opaque = true;
      return;
    }
    if (!Visited.insert(Def).second || Visited.size() > 8)
      return;
    TraverseStmt(Def->getBody());
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    const CXXMethodDecl *Method = Call->getMethodDecl();
    const Expr *Object = Call->getImplicitObjectArgument();
    if (!Method || !Object)
      return true;
    if (const FieldDecl *Field = ownMember(Object)) {
      if (Model.classifyMutex(Field->getType())) {
        note(Field, Model.operationOf(Method));
        return true;
      }
    }
    if (isa<CXXThisExpr>(Object->IgnoreParenImpCasts())) {
      scan(Method); // a helper of the same object: LockInternal()
      return true;
    }
    noteCallee(Method);
    return true;
  }

  bool VisitCallExpr(CallExpr *Call) {
    if (isa<CXXMemberCallExpr>(Call))
      return true;
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      return true;
    if (MutexOp Op = posixMutexOp(FD); Op != MutexOp::None) {
      if (Call->getNumArgs() > 0)
        if (const FieldDecl *Field = ownMember(Call->getArg(0)))
          note(Field, Op);
      return true;
    }
    noteCallee(FD);
    return true;
  }

private:
  void note(const FieldDecl *Field, MutexOp Op) {
    if (isAcquiring(Op))
      Out.Locked.push_back({Field, Op});
    else if (isReleasing(Op))
      Out.Unlocked.push_back(Field);
  }

  void noteCallee(const FunctionDecl *FD) {
    if (!FD->hasBody() && !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
      Out.Opaque = true;
  }

  const LockModel &Model;
  const SourceManager &SM;
  BodyEffects &Out;
  llvm::SmallPtrSetImpl<const FunctionDecl *> &Visited;
};

BodyEffects effectsOf(const CXXMethodDecl *M, const LockModel &Model) {
  BodyEffects Out;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Visited;
  EffectScanner(Model, M->getASTContext().getSourceManager(), Out, Visited).scan(M);
  return Out;
}

bool contains(llvm::ArrayRef<const FieldDecl *> Fields, const FieldDecl *F) { return llvm::is_contained(Fields, F); }

/// The operation \p E makes \p M, when its body leaves a member held
/// (Lock) or releases one it did not take (Unlock).
MutexOp operationFromBody(const BodyEffects &E, const FieldDecl *&Field) {
  for (const auto &[F, Op] : E.Locked)
    if (!contains(E.Unlocked, F)) {
      Field = F;
      return Op;
    }
  for (const FieldDecl *F : E.Unlocked)
    if (llvm::none_of(E.Locked, [&](const auto &L) { return L.first == F; })) {
      Field = F;
      return MutexOp::Unlock;
    }
  return MutexOp::None;
}

struct ShapePair {
  const char *Lock, *Unlock;
  bool Shared;
};

constexpr ShapePair ShapePairs[] = {
    {"Lock", "Unlock", false},       {"lock", "unlock", false},         {"Acquire", "Release", false},
    {"Enter", "Leave", false},       {"WriteLock", "WriteUnlock", false}, {"ReadLock", "ReadUnlock", true},
    {"lock_shared", "unlock_shared", true},
};

/// A member named \p Name that can be a lock operation by shape: callable
/// without arguments and returning nothing. A `Lock()` that returns a
/// status is a wait that can fail or time out (an event, a semaphore, an
/// inter-process lock), not a mutex.
const CXXMethodDecl *shapeMethod(const CXXRecordDecl *RD, llvm::StringRef Name) {
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getIdentifier() && M->getName() == Name && !M->isStatic() && M->getMinRequiredArguments() == 0 &&
        M->getReturnType()->isVoidType())
      return M;
  return nullptr;
}

/// A pair method that cannot be read here: no body in this translation
/// unit, or a body that hands the work to one that is elsewhere.
bool unreadable(const CXXMethodDecl *M, const LockModel &Model) {
  const FunctionDecl *Def = nullptr;
  if (!M->hasBody(Def) || M->isPureVirtual())
    return true;
  return effectsOf(M, Model).Opaque;
}

enum class PairVerdict { Absent, Readable, Unreadable };

/// Whether \p RD has the pair \p P by shape, and whether its bodies can be
/// read here.
PairVerdict shapePair(const CXXRecordDecl *RD, const ShapePair &P, const LockModel &Model) {
  const CXXMethodDecl *Lock = shapeMethod(RD, P.Lock), *Unlock = shapeMethod(RD, P.Unlock);
  if (!Lock || !Unlock)
    return PairVerdict::Absent;
  return unreadable(Lock, Model) || unreadable(Unlock, Model) ? PairVerdict::Unreadable : PairVerdict::Readable;
}

/// The class of \p T when it is a discovered mutex class.
const CXXRecordDecl *discoveredRecord(QualType T, const LockModel &Model) {
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (RD && RD->getDefinition())
    RD = RD->getDefinition();
  return RD && Model.discovered(RD) ? RD : nullptr;
}

class RecursiveAttrFinder : public RecursiveASTVisitor<RecursiveAttrFinder> {
public:
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getIdentifier() || FD->getName() != "pthread_mutexattr_settype" || Call->getNumArgs() < 2)
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Call->getArg(1)->IgnoreParenImpCasts()))
      if (DRE->getDecl()->getIdentifier() && DRE->getDecl()->getName().contains("RECURSIVE"))
        Found = true;
    return !Found;
  }
  bool Found = false;
};

} // namespace

const char *evidenceName(DiscoveryEvidence How) {
  switch (How) {
  case DiscoveryEvidence::Body: return "body";
  case DiscoveryEvidence::Shape: return "shape";
  case DiscoveryEvidence::Base: return "base";
  }
  return "body";
}

bool shapeRefutedByBodies(const CXXRecordDecl *RD, const LockModel &Model) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  bool Readable = false;
  for (const ShapePair &P : ShapePairs)
    switch (shapePair(RD, P, Model)) {
    case PairVerdict::Unreadable: return false;
    case PairVerdict::Readable: Readable = true; break;
    case PairVerdict::Absent: break;
    }
  return Readable;
}

bool constructorMakesRecursive(const CXXRecordDecl *RD) {
  for (const CXXConstructorDecl *Ctor : RD->ctors()) {
    const FunctionDecl *Def = nullptr;
    if (!Ctor->hasBody(Def) || !Def->getBody())
      continue;
    RecursiveAttrFinder Finder;
    Finder.TraverseStmt(Def->getBody());
    if (Finder.Found)
      return true;
  }
  return false;
}

std::optional<DiscoveredLock> discoverLockClass(const CXXRecordDecl *RD, const LockModel &Model) {
  if (!RD || !RD->hasDefinition() || RD->isLambda() || RD->isUnion())
    return std::nullopt;
  RD = RD->getDefinition();
  const SourceManager &SM = RD->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(RD->getLocation())))
    return std::nullopt;

  DiscoveredLock Out;
  // Read only when the answer is a mutex: most classes are not.
  auto Recursive = [&] { return constructorMakesRecursive(RD); };

  // By its bodies: one member leaves an own mutex held, another releases it.
  // Only a class with a mutex member can; the others' bodies are not read.
  bool OwnsMutex =
      llvm::any_of(RD->fields(), [&](const FieldDecl *F) { return Model.classifyMutex(F->getType()).has_value(); });
  llvm::DenseMap<const FieldDecl *, std::pair<bool, bool>> HeldReleased;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!OwnsMutex)
      break;
    if (M->isStatic() || isa<CXXConstructorDecl>(M) || isa<CXXDestructorDecl>(M) || !M->hasBody())
      continue;
    const FieldDecl *Field = nullptr;
    MutexOp Op = operationFromBody(effectsOf(M, Model), Field);
    if (Op == MutexOp::None)
      continue;
    Out.Operations[M] = Op;
    auto &[Held, Released] = HeldReleased[Field];
    (isReleasing(Op) ? Released : Held) = true;
  }
  for (const auto &[Field, HR] : HeldReleased)
    if (HR.first && HR.second) {
      Out.How = DiscoveryEvidence::Body;
      Out.Kind = Recursive() ? MutexKind::Recursive : Model.classifyMutex(Field->getType()).value_or(MutexKind::Plain);
      Out.Wraps = discoveredRecord(Field->getType(), Model);
      return Out;
    }
  Out.Operations.clear();

  // By its shape, where the bodies are elsewhere; a reader/writer pair
  // makes it a shared mutex.
  bool Shape = false, Shared = false;
  for (const ShapePair &P : ShapePairs)
    if (shapePair(RD, P, Model) == PairVerdict::Unreadable) {
      Shape = true;
      Shared = Shared || P.Shared;
    }
  if (Shape) {
    Out.How = DiscoveryEvidence::Shape;
    Out.Kind = Recursive() ? MutexKind::Recursive : Shared ? MutexKind::Shared : MutexKind::Plain;
    return Out;
  }

  // By inheritance: `class Channel : public CriticalSection`.
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (std::optional<MutexKind> Kind = Model.classifyMutex(Base.getType())) {
      Out.How = DiscoveryEvidence::Base;
      Out.Kind = *Kind;
      Out.Wraps = discoveredRecord(Base.getType(), Model);
      return Out;
    }
  return std::nullopt;
}

} // namespace lockgraph
