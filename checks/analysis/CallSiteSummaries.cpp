//===- CallSiteSummaries.cpp ----------------------------------------------===//

#include "analysis/CallSiteSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include <set>

using namespace clang;

namespace lockgraph {
namespace {

/// The call an element makes into user code, with how to translate the
/// callee's locks: its receiver and arguments as this function names them.
struct CallInto {
  const FunctionDecl *Callee = nullptr;
  const Stmt *Site = nullptr;
  SourceLocation Loc;
  std::optional<LockExpr> Receiver;
  llvm::SmallVector<std::optional<LockExpr>, 4> Args;
  /// The argument of each parameter of the callee, as written.
  llvm::SmallVector<const Expr *, 4> ArgExprs;
  /// The local object a destructor ends.
  const VarDecl *Destroyed = nullptr;
};

/// The arguments of \p Site, one per parameter of its callee (the object
/// of a member operator call is not a parameter).
llvm::SmallVector<const Expr *, 4> argumentsOf(const Stmt *Site) {
  llvm::SmallVector<const Expr *, 4> Out;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Site))
    Out.append(CE->arg_begin(), CE->arg_end());
  else if (const auto *Call = dyn_cast<CallExpr>(Site)) {
    unsigned First = isa<CXXOperatorCallExpr>(Call) && isa_and_nonnull<CXXMethodDecl>(Call->getDirectCallee()) ? 1 : 0;
    for (unsigned I = First; I < Call->getNumArgs(); ++I)
      Out.push_back(Call->getArg(I));
  }
  return Out;
}

/// \p E without the wrapping that passing or storing a callable adds:
/// temporaries, casts, the conversion into a `std::function`, std::move.
const Expr *unwrapCallable(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = E->IgnoreImplicit()->IgnoreParenCasts();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && CE->getNumArgs() == 1 && !isa<LambdaExpr>(E)) {
      E = CE->getArg(0);
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E); Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
                                                  Call->getDirectCallee()->isInStdNamespace() &&
                                                  Call->getDirectCallee()->getIdentifier() &&
                                                  (Call->getDirectCallee()->getName() == "move" ||
                                                   Call->getDirectCallee()->getName() == "forward")) {
      E = Call->getArg(0);
      continue;
    }
    return E;
  }
  return E;
}

/// The lambda \p E is, written in the function being analysed: the
/// expression itself, or a local variable of the lambda's closure type (a
/// closure cannot be assigned another closure's code).
const LambdaExpr *lambdaOf(const Expr *E) {
  E = unwrapCallable(E);
  if (const auto *L = dyn_cast_or_null<LambdaExpr>(E))
    return L;
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && VD->isLocalVarDecl() && VD->getInit())
      if (const CXXRecordDecl *RD = VD->getType().getNonReferenceType()->getAsCXXRecordDecl(); RD && RD->isLambda())
        return dyn_cast<LambdaExpr>(unwrapCallable(VD->getInit()));
  return nullptr;
}

/// The lambda that the callable \p Callable (in the callee's terms) runs
/// when the call is \p Into: a parameter given a lambda written here, or
/// a member of the destroyed local whose constructor set it from one.
const LambdaExpr *lambdaBoundTo(const LockExpr &Callable, const CallInto &Into) {
  if (Callable.root() == LockExpr::Root::Param && Callable.isBareRoot()) {
    if (Callable.paramIndex() < Into.ArgExprs.size())
      return lambdaOf(Into.ArgExprs[Callable.paramIndex()]);
    return nullptr;
  }
  const auto *Field = dyn_cast_or_null<FieldDecl>(Callable.lastMember());
  if (!Into.Destroyed || Callable.root() != LockExpr::Root::This || !Field ||
      Callable.suffix() != "." + Field->getNameAsString())
    return nullptr;
  const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(
      Into.Destroyed->getInit() ? Into.Destroyed->getInit()->IgnoreImplicit() : nullptr);
  const FunctionDecl *CtorDef = nullptr;
  if (!Construct || !Construct->getConstructor()->hasBody(CtorDef) || !isa<CXXConstructorDecl>(CtorDef))
    return nullptr; // the initializers are where the constructor is defined
  for (const CXXCtorInitializer *Init : cast<CXXConstructorDecl>(CtorDef)->inits()) {
    if (Init->getMember() != Field)
      continue;
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(unwrapCallable(Init->getInit()));
    const auto *Param = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (!Param || Param->getFunctionScopeIndex() >= Construct->getNumArgs())
      return nullptr;
    return lambdaOf(Construct->getArg(Param->getFunctionScopeIndex()));
  }
  return nullptr;
}

std::optional<CallInto> callInto(const CFGElement &Element, const LockEventExtractor &Events) {
  CallInto Into;
  const ASTContext &Ctx = Events.context();
  if (auto S = Element.getAs<CFGStmt>()) {
    if (const auto *Call = dyn_cast<CallExpr>(S->getStmt())) {
      Into.Callee = staticCallee(Call);
      Into.Site = Call;
      Into.Loc = Call->getBeginLoc();
      // The lockset analysis already reads receivers and arguments for
      // calls into functions with bodies; reuse its reading.
      for (const LockEvent &E : Events.eventsOf(Element))
        if (E.Kind == LockEventKind::Call && E.Call == Call) {
          Into.Receiver = E.Receiver;
          Into.Args = E.Args;
        }
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(S->getStmt())) {
      Into.Callee = CE->getConstructor();
      Into.Site = CE;
      Into.Loc = CE->getBeginLoc();
    }
  } else if (auto Ctor = Element.getAs<CFGConstructor>()) {
    const auto *CE = cast<CXXConstructExpr>(Ctor->getStmt());
    Into.Callee = CE->getConstructor();
    Into.Site = CE;
    Into.Loc = CE->getBeginLoc();
    for (const Expr *Arg : CE->arguments())
      Into.Args.push_back(LockExpr::fromExpr(Arg, Ctx));
  } else if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
    const VarDecl *VD = Dtor->getVarDecl();
    if (VD->getType()->isReferenceType())
      return std::nullopt;
    if (const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl())
      Into.Callee = RD->getDestructor();
    Into.Site = Dtor->getTriggerStmt();
    Into.Loc = VD->getLocation();
    Into.Receiver = LockExpr::fromVar(VD, Ctx);
    Into.Destroyed = VD;
  }
  if (!Into.Callee || !Into.Site)
    return std::nullopt;
  Into.ArgExprs = argumentsOf(Into.Site);
  return Into;
}

std::string signatureOf(const SiteSummary &S) {
  std::string Sig = S.CallerLocksUnknown ? "?" : "";
  for (const LockExpr &L : S.CallerLocksFree)
    Sig += L.key() + ";";
  // Two ways that act on different objects are two ways: I/O on a member
  // stream and on stderr are excused differently.
  if (S.Direct.Object)
    Sig += "@" + S.Direct.Object->key();
  return Sig;
}

/// Locks acquired by `GuardAdopt` while not held: the function assumes its
/// caller locked them, so they are the caller's locks under another name.
class AdoptedLocks : public LocksetObserver {
public:
  void event(const LockEvent &E, const Lockset &Before) override {
    if (E.Kind == LockEventKind::GuardAdopt)
      for (const LockExpr &M : E.Mutexes)
        if (!Before.find(M))
          Keys.insert(M.key());
  }
  std::set<std::string> Keys;
};

class SummaryBuilder : public SiteObserver {
public:
  SummaryBuilder(CallSiteSummaries &Sites, const FunctionDecl *FD, const std::set<std::string> &Adopted)
      : Sites(Sites), FD(FD), Adopted(Adopted) {}

  void element(const CFGElement &Element, const Lockset &Before) override {
    if (EndsProcess)
      return;
    std::optional<SiteHit> Hit = Sites.hitAt(Element, Before);
    if (!Hit)
      return;
    SiteSummary S;
    S.Function = FD;
    S.Site = Hit->Site;
    S.Loc = Hit->Loc;
    S.Callee = Hit->Callee;
    S.Inner = Hit->Inner;
    S.Direct = Hit->Direct;
    S.CallerLocksUnknown = Hit->FreeUnknown;
    for (const LockExpr &L : Hit->Free) {
      // A lock this function took itself and the hit releases is none of
      // the caller's business; anything else may be the caller's lock.
      const HeldLock *H = Before.find(L);
      bool OwnLock = H && !Adopted.count(L.key()) && !llvm::is_contained(Before.releasedUnheld(), L);
      // An adopted lock is the caller's under a name only this function
      // uses (a condition-variable wrapper holding a pointer to the
      // caller's mutex): the caller cannot tell which of its locks it is.
      if (Adopted.count(L.key()))
        S.CallerLocksUnknown = true;
      else if (!OwnLock)
        S.CallerLocksFree.push_back(L);
    }
    // The caller's locks this function unlocked earlier and has not taken
    // back: `mu_.Unlock(); write(...); mu_.Lock();`.
    for (const LockExpr &L : Before.releasedUnheld())
      if (!Before.find(L) && !llvm::is_contained(S.CallerLocksFree, L))
        S.CallerLocksFree.push_back(L);
    std::string Sig = signatureOf(S);
    if (Signatures.count(Sig) || Out.size() >= 4)
      return;
    Signatures.insert(Sig);
    Out.push_back(std::move(S));
  }

  std::vector<SiteSummary> Out;

private:
  CallSiteSummaries &Sites;
  const FunctionDecl *FD;
  const std::set<std::string> &Adopted;
  std::set<std::string> Signatures;
};

} // namespace

bool isThisObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  return isa<CXXThisExpr>(E);
}

const FunctionDecl *staticCallee(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!Method || !Method->isVirtual())
    return FD;
  if (Method->hasAttr<FinalAttr>() || Method->getParent()->hasAttr<FinalAttr>())
    return FD;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()); ME && ME->hasQualifier())
      return FD; // Base::f() is not dispatched
  return nullptr;
}

std::optional<SiteHit> CallSiteSummaries::hitAt(const CFGElement &Element, const Lockset &Before) {
  if (Classifier.ignores(Element))
    return std::nullopt;
  if (std::optional<DirectSite> Direct = Classifier.classify(Element, Before)) {
    SiteHit Hit;
    if (auto S = Element.getAs<CFGStmt>())
      Hit.Site = S->getStmt();
    else if (auto Ctor = Element.getAs<CFGConstructor>())
      Hit.Site = Ctor->getStmt();
    else if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
      Hit.Site = Dtor->getTriggerStmt();
      Hit.Loc = Dtor->getVarDecl()->getLocation();
    }
    if (Hit.Site && Hit.Loc.isInvalid())
      Hit.Loc = Hit.Site->getBeginLoc();
    Hit.Direct = *Direct;
    Hit.Free.append(Direct->Releases.begin(), Direct->Releases.end());
    Hit.FreeUnknown = Direct->ReleasesUnknown;
    return Hit;
  }
  std::optional<CallInto> Into = callInto(Element, Events);
  if (!Into)
    return std::nullopt;
  const std::vector<SiteSummary> &Callee = summaryOf(Into->Callee);
  if (Callee.empty())
    return std::nullopt;

  // The callee's ways, with the calls through a callable bound here to a
  // lambda written here replaced by what that lambda reaches. The lambda's
  // locks are already in this function's terms.
  struct Way {
    const SiteSummary *Summary;
    const LambdaExpr *InLambda;
  };
  std::vector<Way> Ways;
  for (const SiteSummary &S : Callee) {
    const LambdaExpr *Lambda = S.Direct.Callable ? lambdaBoundTo(*S.Direct.Callable, *Into) : nullptr;
    if (!Lambda) {
      Ways.push_back({&S, nullptr});
      continue;
    }
    for (const SiteSummary &InLambda : summaryOf(Lambda->getCallOperator()))
      Ways.push_back({&InLambda, Lambda});
  }
  // A path from one of the lambda's own parameters means nothing here.
  auto OfLambdaParam = [](const LockExpr &L, const LambdaExpr *Lambda) {
    const auto *Param = dyn_cast_or_null<ParmVarDecl>(L.rootDecl());
    return L.root() == LockExpr::Root::Param && Param && Param->getDeclContext() == Lambda->getCallOperator();
  };

  // Of the ways, prefer one whose free locks can be translated and that
  // frees the fewest: it keeps the most caller locks held.
  std::optional<SiteHit> Best;
  for (const auto &[S, InLambda] : Ways) {
    SiteHit Hit;
    Hit.Site = Into->Site;
    Hit.Loc = Into->Loc;
    Hit.Callee = Into->Callee;
    Hit.Inner = S;
    Hit.Direct = S->Direct;
    Hit.FreeUnknown = S->CallerLocksUnknown;
    if (InLambda) {
      if (Hit.Direct.Object && OfLambdaParam(*Hit.Direct.Object, InLambda))
        Hit.Direct.Object.reset();
      if (Hit.Direct.Callable && OfLambdaParam(*Hit.Direct.Callable, InLambda))
        Hit.Direct.Callable.reset();
      for (const LockExpr &L : S->CallerLocksFree) {
        if (OfLambdaParam(L, InLambda))
          Hit.FreeUnknown = true;
        else
          Hit.Free.push_back(L);
      }
    } else {
      if (S->Direct.Object)
        Hit.Direct.Object = S->Direct.Object->inCaller(Into->Receiver, Into->Args);
      if (S->Direct.Callable)
        Hit.Direct.Callable = S->Direct.Callable->inCaller(Into->Receiver, Into->Args);
      for (const LockExpr &L : S->CallerLocksFree) {
        if (std::optional<LockExpr> Mine = L.inCaller(Into->Receiver, Into->Args))
          Hit.Free.push_back(*Mine);
        else
          Hit.FreeUnknown = true;
      }
    }
    auto Better = [&](const SiteHit &A, const SiteHit &B) {
      if (A.FreeUnknown != B.FreeUnknown)
        return !A.FreeUnknown;
      if (A.Free.size() != B.Free.size())
        return A.Free.size() < B.Free.size();
      // A way on no member of an object cannot be excused by what it acts on.
      auto OnMember = [](const SiteHit &H) { return H.Direct.Object && !H.Direct.Object->isBareRoot(); };
      return !OnMember(A) && OnMember(B);
    };
    if (!Best || Better(Hit, *Best))
      Best = std::move(Hit);
  }
  return Best;
}

const std::vector<SiteSummary> &CallSiteSummaries::summaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || Def->isDependentContext())
    return Empty;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(Def->getLocation()))
    return Empty;
  if (auto It = Cache.find(Def); It != Cache.end())
    return *It->second;
  if (Depth >= MaxDepth || InProgress.contains(Def))
    return Empty;

  InProgress.insert(Def);
  ++Depth;
  auto Result = std::make_unique<std::vector<SiteSummary>>();
  if (const LocksetAnalysis *Analysis = Locks.analysisOf(Def)) {
    AdoptedLocks Adopted;
    Analysis->replay(Adopted);
    SummaryBuilder Builder(*this, Def, Adopted.Keys);
    Analysis->replay(Builder);
    *Result = std::move(Builder.Out);
  }
  --Depth;
  InProgress.erase(Def);
  const std::vector<SiteSummary> &Ref = *Result;
  Cache[Def] = std::move(Result);
  return Ref;
}

std::optional<std::vector<const HeldLock *>> CallSiteSummaries::heldDuring(const SiteHit &Hit,
                                                                           const Lockset &Before) {
  if (Hit.FreeUnknown)
    return std::nullopt;
  std::set<std::string> Freed;
  for (const LockExpr &L : Hit.Free) {
    if (Before.find(L)) {
      Freed.insert(L.key());
      continue;
    }
    // A guard released by a wait: its mutexes are what is freed.
    if (const GuardBinding *B = Before.binding(L)) {
      for (const LockExpr &M : B->Mutexes)
        Freed.insert(M.key());
      continue;
    }
    // Freed under a name this function does not hold: an alias of one of
    // its locks, or of none. Either way, which one is unknown.
    return std::nullopt;
  }
  std::vector<const HeldLock *> Held;
  for (const HeldLock &H : Before.held())
    if (H.Definitely && H.PendingTry.empty() && !Freed.count(H.Lock.key()))
      Held.push_back(&H);
  return Held;
}

} // namespace lockgraph
