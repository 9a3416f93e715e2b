//===- LockEvents.cpp -----------------------------------------------------===//

#include "model/LockEvents.h"
#include "model/MutexOps.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/ConstructionContext.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace lockgraph {
namespace {

bool isStdFunction(const FunctionDecl *FD, llvm::StringRef Name) {
  return FD && FD->getIdentifier() && FD->getName() == Name && FD->isInStdNamespace();
}

/// `std::move(x)` / `std::forward<T>(x)` → x; anything else → null.
const Expr *movedFrom(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if ((isStdFunction(FD, "move") || isStdFunction(FD, "forward")) && Call->getNumArgs() == 1)
        return Call->getArg(0);
  return nullptr;
}

std::string tagFor(const void *P, const char *Prefix) {
  char Buf[48];
  snprintf(Buf, sizeof(Buf), "%s%p", Prefix, P);
  return Buf;
}

bool typeNameEndsWith(QualType T, llvm::StringRef Suffix) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && llvm::StringRef(LockModel::qualifiedRecordName(RD)).ends_with(Suffix);
}

bool isChronoType(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && llvm::StringRef(LockModel::qualifiedRecordName(RD)).starts_with("std::chrono::");
}

} // namespace

const Expr *ignoreTemporaries(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(E))
      E = Cleanups->getSubExpr();
    else if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
      E = Temp->getSubExpr();
    else if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
      E = Bind->getSubExpr();
    else if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E))
      E = Cast->getSubExpr();
    else
      return E;
  }
  return nullptr;
}

const CXXConstructExpr *constructionIn(const Expr *E) { return dyn_cast_or_null<CXXConstructExpr>(ignoreTemporaries(E)); }

std::optional<MutexKind> LockEventExtractor::mutexKindOf(const Expr *E) const {
  return Model.classifyMutex(LockModel::pointeeOrSelf(E->getType()));
}

std::optional<LockExpr> LockEventExtractor::guardOf(const Expr *E) const {
  if (const Expr *Inner = movedFrom(E))
    E = Inner;
  if (const CXXConstructExpr *CE = constructionIn(E))
    if (Model.classifyGuard(CE->getType()))
      return LockExpr::forTemporary(CE);
  return LockExpr::fromExpr(E, Ctx);
}

llvm::SmallVector<LockEvent, 2> LockEventExtractor::eventsOf(const CFGElement &Element) const {
  llvm::SmallVector<LockEvent, 2> Out;
  if (auto Ctor = Element.getAs<CFGConstructor>()) {
    const auto *CE = cast<CXXConstructExpr>(Ctor->getStmt());
    fromConstruct(CE, guardTarget(*Ctor), Out);
    // A guard variable is acquired where it is declared, which is where
    // users look for it (`std::lock_guard g(m);`, not the `m`).
    if (const auto *Var = dyn_cast_or_null<VariableConstructionContext>(Ctor->getConstructionContext()))
      for (LockEvent &E : Out)
        E.Site = Var->getDeclStmt();
  } else if (auto S = Element.getAs<CFGStmt>()) {
    fromStmt(S->getStmt(), Out);
  } else if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
    const VarDecl *VD = Dtor->getVarDecl();
    if (Model.classifyGuard(VD->getType())) {
      LockEvent E{LockEventKind::GuardEnd};
      E.Guard = LockExpr::fromVar(VD, Ctx);
      E.Site = Dtor->getTriggerStmt();
      Out.push_back(std::move(E));
    }
  } else if (auto Temp = Element.getAs<CFGTemporaryDtor>()) {
    const CXXBindTemporaryExpr *Bind = Temp->getBindTemporaryExpr();
    if (const CXXConstructExpr *CE = constructionIn(Bind->getSubExpr()))
      if (Model.classifyGuard(CE->getType())) {
        LockEvent E{LockEventKind::GuardEnd};
        E.Guard = LockExpr::forTemporary(CE);
        E.Site = Bind;
        Out.push_back(std::move(E));
      }
  } else if (auto Member = Element.getAs<CFGMemberDtor>()) {
    const FieldDecl *FD = Member->getFieldDecl();
    if (Model.classifyGuard(FD->getType())) {
      LockEvent E{LockEventKind::GuardEnd};
      E.Guard = LockExpr::forThisMember(FD, Ctx);
      Out.push_back(std::move(E));
    }
  }
  return Out;
}

std::optional<LockExpr> LockEventExtractor::guardTarget(const CFGConstructor &Ctor) const {
  const ConstructionContext *CC = Ctor.getConstructionContext();
  const auto *CE = cast<CXXConstructExpr>(Ctor.getStmt());
  if (const auto *Var = dyn_cast_or_null<VariableConstructionContext>(CC))
    for (const Decl *D : Var->getDeclStmt()->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (constructionIn(VD->getInit()) == CE)
          return LockExpr::fromVar(VD, Ctx);
  if (const auto *Init = dyn_cast_or_null<ConstructorInitializerConstructionContext>(CC))
    if (const FieldDecl *FD = Init->getCXXCtorInitializer()->getMember())
      return LockExpr::forThisMember(FD, Ctx);
  return LockExpr::forTemporary(CE);
}

void LockEventExtractor::fromStmt(const Stmt *S, llvm::SmallVectorImpl<LockEvent> &Out) const {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    return fromMemberCall(MC, Out);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
    if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 && Model.classifyGuard(Op->getArg(0)->getType()))
      return fromAssignment(Op, Out);
    guardsMovedAway(Op, Out);
    addCallEvent(Op, Out);
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S))
    return fromFreeCall(Call, Out);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    return fromConstruct(CE, LockExpr::forTemporary(CE), Out);
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD || !VD->getInit() || !Model.classifyGuard(VD->getType()))
        continue;
      // `auto g = lockHelper();` - the helper hands over its guard.
      const Expr *Init = VD->getInit()->IgnoreImplicit();
      if (const auto *Call = dyn_cast<CallExpr>(Init); Call && !movedFrom(Call)) {
        LockEvent E{LockEventKind::GuardFromCall};
        E.Guard = LockExpr::fromVar(VD, Ctx);
        E.Call = Call;
        E.Callee = Call->getDirectCallee();
        E.Site = Call;
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
          E.Receiver = LockExpr::fromExpr(MC->getImplicitObjectArgument(), Ctx);
        for (const Expr *Arg : Call->arguments())
          E.Args.push_back(LockExpr::fromExpr(Arg, Ctx));
        Out.push_back(std::move(E));
      }
    }
  }
}

void LockEventExtractor::fromConstruct(const CXXConstructExpr *CE, std::optional<LockExpr> Target,
                                       llvm::SmallVectorImpl<LockEvent> &Out) const {
  std::optional<GuardTypeInfo> Info = Model.classifyGuard(CE->getType());
  if (!Info) {
    // A guard moved into some other object leaves this function's control.
    for (const Expr *Arg : CE->arguments())
      if (const Expr *From = movedFrom(Arg))
        if (Model.classifyGuard(From->getType())) {
          LockEvent E{LockEventKind::GuardEnd};
          E.Guard = guardOf(From);
          E.Site = CE;
          Out.push_back(std::move(E));
        }
    return;
  }
  bool Defer = false, Adopt = false, Try = false;
  LockEvent E{Info->Kind == GuardKind::Reverse ? LockEventKind::GuardSuspend : LockEventKind::Acquire};
  E.Guard = Target;
  E.Mode = Info->Mode;
  E.Site = CE;
  for (const Expr *Arg : CE->arguments()) {
    QualType T = Arg->getType();
    if (typeNameEndsWith(T, "defer_lock_t"))
      Defer = true;
    else if (typeNameEndsWith(T, "adopt_lock_t"))
      Adopt = true;
    else if (typeNameEndsWith(T, "try_to_lock_t") || isChronoType(T))
      Try = true;
    else if (std::optional<MutexKind> Kind = mutexKindOf(Arg)) {
      if (std::optional<LockExpr> Mutex = LockExpr::fromExpr(Arg, Ctx)) {
        E.Mutexes.push_back(*Mutex);
        E.Kind_ = *Kind;
      }
    } else if (Model.classifyGuard(T) && !E.OtherGuard) {
      E.OtherGuard = guardOf(Arg); // move construction from another guard
    }
  }
  if (E.Mutexes.empty()) {
    if (E.OtherGuard) {
      E.Kind = LockEventKind::GuardMove;
      Out.push_back(std::move(E));
    }
    return;
  }
  E.Together = E.Mutexes.size() > 1;
  if (E.Kind == LockEventKind::GuardSuspend)
    E.Together = false;
  else if (Defer)
    E.Kind = LockEventKind::GuardBind;
  else if (Adopt)
    E.Kind = LockEventKind::GuardAdopt;
  else if (Try)
    E.Kind = LockEventKind::TryAcquire;
  Out.push_back(std::move(E));
}

void LockEventExtractor::fromMemberCall(const CXXMemberCallExpr *Call,
                                        llvm::SmallVectorImpl<LockEvent> &Out) const {
  const CXXMethodDecl *Method = Call->getMethodDecl();
  const Expr *Object = Call->getImplicitObjectArgument();
  if (!Method || !Object)
    return;
  QualType ObjectType = LockModel::pointeeOrSelf(Object->getType());
  llvm::StringRef Name = Method->getIdentifier() ? Method->getName() : "";

  if (Model.classifyGuard(ObjectType)) {
    LockEvent E{LockEventKind::GuardLock};
    E.Guard = guardOf(Object);
    E.Site = Call;
    if (Name == "lock" || Name == "relock" || Name == "Lock")
      E.Kind = LockEventKind::GuardLock;
    else if (Name.starts_with("try_lock"))
      E.Kind = LockEventKind::GuardTryLock;
    else if (Name == "unlock" || Name == "Unlock" || Name == "Release")
      E.Kind = LockEventKind::GuardUnlock;
    else if (Name == "release")
      E.Kind = LockEventKind::GuardDisown;
    else if (Name == "swap" && Call->getNumArgs() == 1) {
      E.Kind = LockEventKind::GuardSwap;
      E.OtherGuard = guardOf(Call->getArg(0));
    } else
      return;
    Out.push_back(std::move(E));
    return;
  }

  std::optional<MutexKind> Kind = Model.classifyMutex(ObjectType);
  // A discovered mutex class calling its own Lock() from its other members
  // sees its insides: that is a call locking the member it owns.
  if (Kind && isa<CXXThisExpr>(Object->IgnoreParenImpCasts()) && ObjectType->getAsCXXRecordDecl() &&
      Model.discovered(ObjectType->getAsCXXRecordDecl()->getDefinition()))
    Kind.reset();
  MutexOp Op = Kind ? Model.operationOf(Method) : MutexOp::None;
  if (Op != MutexOp::None) {
    std::optional<LockExpr> Mutex = LockExpr::fromExpr(Object, Ctx);
    if (!Mutex)
      return;
    LockEvent E{LockEventKind::Acquire};
    E.Mutexes.push_back(*Mutex);
    E.Kind_ = *Kind;
    E.Site = Call;
    switch (Op) {
    case MutexOp::Lock: break;
    case MutexOp::LockShared: E.Mode = LockMode::Shared; break;
    case MutexOp::TryLock: E.Kind = LockEventKind::TryAcquire; break;
    case MutexOp::TryLockShared: E.Kind = LockEventKind::TryAcquire; E.Mode = LockMode::Shared; break;
    case MutexOp::Unlock: E.Kind = LockEventKind::Release; break;
    case MutexOp::UnlockShared: E.Kind = LockEventKind::Release; E.Mode = LockMode::Shared; break;
    case MutexOp::None: return;
    }
    Out.push_back(std::move(E));
    return;
  }
  // Any other member of a mutex (a project mutex's AssertHeld(), its
  // condition-variable Wait()) is an ordinary call.
  guardsMovedAway(Call, Out);
  addCallEvent(Call, Out);
}

void LockEventExtractor::fromFreeCall(const CallExpr *Call, llvm::SmallVectorImpl<LockEvent> &Out) const {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return;
  if (MutexOp Op = posixMutexOp(FD); Op != MutexOp::None) {
    if (Call->getNumArgs() < 1)
      return;
    std::optional<LockExpr> Mutex = LockExpr::fromExpr(Call->getArg(0), Ctx);
    std::optional<MutexKind> Kind = mutexKindOf(Call->getArg(0));
    if (!Mutex)
      return;
    LockEvent E{LockEventKind::Acquire};
    E.Mutexes.push_back(*Mutex);
    E.Kind_ = Kind.value_or(MutexKind::Plain);
    E.Site = Call;
    if (Op == MutexOp::LockShared || Op == MutexOp::TryLockShared || Op == MutexOp::UnlockShared)
      E.Mode = LockMode::Shared;
    if (Op == MutexOp::TryLock || Op == MutexOp::TryLockShared)
      E.Kind = LockEventKind::TryAcquire;
    if (Op == MutexOp::Unlock || Op == MutexOp::UnlockShared)
      E.Kind = LockEventKind::Release;
    Out.push_back(std::move(E));
    return;
  }
  if (isStdFunction(FD, "lock")) {
    // std::lock(a, b, ...) orders the locks itself: all held, no order.
    LockEvent E{LockEventKind::Acquire};
    E.Site = Call;
    E.Together = true;
    for (const Expr *Arg : Call->arguments()) {
      std::optional<MutexKind> Kind = mutexKindOf(Arg);
      if (!Kind) {
        if (Model.classifyGuard(Arg->getType())) {
          LockEvent G{LockEventKind::GuardLock};
          G.Guard = guardOf(Arg);
          G.Site = Call;
          Out.push_back(std::move(G));
        }
        continue;
      }
      if (std::optional<LockExpr> Mutex = LockExpr::fromExpr(Arg, Ctx)) {
        E.Mutexes.push_back(*Mutex);
        E.Kind_ = *Kind;
      }
    }
    if (!E.Mutexes.empty())
      Out.push_back(std::move(E));
    return;
  }
  if (movedFrom(Call))
    return; // the consumer of std::move decides what moving means
  guardsMovedAway(Call, Out);
  addCallEvent(Call, Out);
}

void LockEventExtractor::fromAssignment(const CXXOperatorCallExpr *Op,
                                        llvm::SmallVectorImpl<LockEvent> &Out) const {
  std::optional<LockExpr> Target = guardOf(Op->getArg(0));
  if (!Target)
    return;
  const Expr *Source = Op->getArg(1);
  LockEvent E{LockEventKind::GuardMove};
  E.Guard = Target;
  E.Site = Op;
  const Expr *Stripped = Source->IgnoreImplicit();
  if (const auto *Mat = dyn_cast<MaterializeTemporaryExpr>(Stripped))
    Stripped = Mat->getSubExpr()->IgnoreImplicit();
  if (const auto *Call = dyn_cast<CallExpr>(Stripped); Call && !movedFrom(Call)) {
    // `lk_ = lockHelper();`
    LockEvent End{LockEventKind::GuardEnd};
    End.Guard = Target;
    End.Site = Op;
    Out.push_back(std::move(End));
    E.Kind = LockEventKind::GuardFromCall;
    E.Call = Call;
    E.Callee = Call->getDirectCallee();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      E.Receiver = LockExpr::fromExpr(MC->getImplicitObjectArgument(), Ctx);
    for (const Expr *Arg : Call->arguments())
      E.Args.push_back(LockExpr::fromExpr(Arg, Ctx));
    Out.push_back(std::move(E));
    return;
  }
  E.OtherGuard = guardOf(Source);
  if (E.OtherGuard)
    Out.push_back(std::move(E));
}

void LockEventExtractor::guardsMovedAway(const CallExpr *Call, llvm::SmallVectorImpl<LockEvent> &Out) const {
  for (const Expr *Arg : Call->arguments())
    if (const Expr *From = movedFrom(Arg))
      if (Model.classifyGuard(From->getType())) {
        LockEvent E{LockEventKind::GuardEnd};
        E.Guard = guardOf(From);
        E.Site = Call;
        Out.push_back(std::move(E));
      }
}

bool LockEventExtractor::addCallEvent(const CallExpr *Call, llvm::SmallVectorImpl<LockEvent> &Out) const {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->hasBody())
    return false;
  LockEvent E{LockEventKind::Call};
  E.Call = Call;
  E.Callee = Callee;
  E.Site = Call;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    E.Receiver = LockExpr::fromExpr(MC->getImplicitObjectArgument(), Ctx);
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call); Op && isa<CXXMethodDecl>(Callee))
    E.Receiver = LockExpr::fromExpr(Op->getArg(0), Ctx);
  unsigned First = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) ? 1 : 0;
  for (unsigned I = First; I < Call->getNumArgs(); ++I)
    E.Args.push_back(LockExpr::fromExpr(Call->getArg(I), Ctx));
  E.BoolArgs = constantBoolArguments(Call, First, Ctx);
  Out.push_back(std::move(E));
  return true;
}

std::vector<std::optional<bool>> constantBoolArguments(const CallExpr *Call, unsigned FirstArg,
                                                       const ASTContext &Ctx) {
  std::vector<std::optional<bool>> Out;
  bool Any = false;
  for (unsigned I = FirstArg; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    std::optional<bool> Value;
    bool Result = false;
    if (Arg->getType()->isBooleanType() && !Arg->isValueDependent() && Arg->EvaluateAsBooleanCondition(Result, Ctx))
      Value = Result;
    Any = Any || Value.has_value();
    Out.push_back(Value);
  }
  if (!Any)
    Out.clear();
  return Out;
}

llvm::SmallVector<std::string, 2> LockEventExtractor::tryTagsOf(const LockEvent &E) {
  llvm::SmallVector<std::string, 2> Tags;
  if (E.Site)
    Tags.push_back(tagFor(E.Site, "site:"));
  if (E.Guard)
    Tags.push_back("guard:" + E.Guard->key());
  return Tags;
}

std::optional<TryCondition> LockEventExtractor::tryConditionOf(const Expr *Cond) const {
  bool Negated = false;
  for (unsigned Depth = 0; Cond && Depth < 8; ++Depth) {
    Cond = Cond->IgnoreParenImpCasts();
    if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(Cond)) {
      Cond = Cleanups->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot) {
      Negated = !Negated;
      Cond = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->isEqualityOp()) {
      // `trylock(&m) == 0`: the POSIX functions return 0 on success.
      const Expr *Other = nullptr;
      if (BO->getRHS()->isIntegerConstantExpr(Ctx) && BO->getRHS()->EvaluateKnownConstInt(Ctx) == 0)
        Other = BO->getLHS();
      if (!Other)
        return std::nullopt;
      if (BO->getOpcode() == BO_NE)
        Negated = !Negated;
      Negated = !Negated; // "== 0" is true when the int result is false
      Cond = Other;
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Cond)) {
      // `bool ok = m.try_lock(); if (ok)`
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (VD && VD->getType()->isBooleanType() && VD->getInit() && VD->getType().isConstQualified() == false &&
          !VD->hasGlobalStorage()) {
        Cond = VD->getInit();
        continue;
      }
      if (VD && Model.classifyGuard(VD->getType())) // `if (lk)` seen through a bool conversion
        return TryCondition{"guard:" + LockExpr::fromVar(VD, Ctx).key(), !Negated};
      return std::nullopt;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      const Expr *Object = MC->getImplicitObjectArgument();
      if (!M || !Object)
        return std::nullopt;
      QualType ObjectType = LockModel::pointeeOrSelf(Object->getType());
      if (Model.classifyGuard(ObjectType)) {
        if (isa<CXXConversionDecl>(M) || (M->getIdentifier() && M->getName() == "owns_lock"))
          if (std::optional<LockExpr> G = guardOf(Object))
            return TryCondition{"guard:" + G->key(), !Negated};
        if (M->getIdentifier() && M->getName().starts_with("try_lock"))
          return TryCondition{tagFor(MC, "site:"), !Negated};
        return std::nullopt;
      }
      if (Model.classifyMutex(ObjectType))
        return TryCondition{tagFor(MC, "site:"), !Negated};
      return std::nullopt;
    }
    if (const auto *Call = dyn_cast<CallExpr>(Cond)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD)
        return std::nullopt;
      MutexOp Op = posixMutexOp(FD);
      // These return 0 on success: the call reads as true when it failed.
      if (Op == MutexOp::TryLock || Op == MutexOp::TryLockShared)
        return TryCondition{tagFor(Call, "site:"), Negated};
      return std::nullopt;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<LockExpr> LockEventExtractor::returnedGuard(const Expr *Value) const {
  if (!Value || !Model.classifyGuard(Value->getType()))
    return std::nullopt;
  return guardOf(Value);
}

} // namespace lockgraph
