//===- FactsExtractor.cpp -------------------------------------------------===//

#include "analysis/FactsExtractor.h"
#include "analysis/CallbackCalls.h"
#include "analysis/LockPointerStores.h"
#include "analysis/LockSummaries.h"
#include "analysis/Lockset.h"
#include "analysis/MemberStores.h"
#include "analysis/MovedFromLocals.h"
#include "model/FreshObjects.h"
#include "model/LockClassDiscovery.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/ConstructionContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph {
namespace {

FactMutexKind factKind(MutexKind K) {
  switch (K) {
  case MutexKind::Plain: return FactMutexKind::Plain;
  case MutexKind::Recursive: return FactMutexKind::Recursive;
  case MutexKind::Shared: return FactMutexKind::Shared;
  case MutexKind::Spin: return FactMutexKind::Spin;
  }
  return FactMutexKind::Plain;
}

FactRoot factRoot(LockExpr::Root R) {
  switch (R) {
  case LockExpr::Root::Global: return FactRoot::Global;
  case LockExpr::Root::This: return FactRoot::This;
  case LockExpr::Root::Param: return FactRoot::Param;
  case LockExpr::Root::Local: return FactRoot::Local;
  case LockExpr::Root::Call:
  case LockExpr::Root::Opaque: return FactRoot::Other;
  }
  return FactRoot::Other;
}

LockRef lockRef(const LockExpr &L, MutexKind Kind) {
  LockRef R;
  R.Class = L.lockClass();
  R.Key = L.key();
  R.Suffix = L.suffix();
  R.Spelling = L.spelling();
  R.Root = factRoot(L.root());
  R.Param = L.paramIndex();
  R.Kind = factKind(Kind);
  return R;
}

/// Keys of locals and temporaries contain object addresses (unique within
/// the process, different in every run). Facts must be the same bytes for
/// the same input, so each address becomes a number in order of first use
/// within the function.
class KeyStabilizer {
public:
  void apply(FunctionFacts &F) {
    forEachLockRef(F, [this](LockRef &R) { fix(R); }, [this](HeldFact &H) { fix(H); });
  }

private:
  void fix(HeldFact &H) {
    fix(H.Lock);
    fix(H.Guard);
  }
  void fix(LockRef &L) { fix(L.Key); }
  void fix(std::string &KeyText) {
    std::string Out;
    llvm::StringRef Key = KeyText;
    for (size_t At; (At = Key.find("0x")) != llvm::StringRef::npos;) {
      size_t End = At + 2;
      while (End < Key.size() && llvm::isHexDigit(Key[End]))
        ++End;
      Out += Key.substr(0, At);
      auto [It, New] = Numbers.try_emplace(Key.substr(At, End - At).str(), Numbers.size());
      Out += "#" + std::to_string(It->second);
      Key = Key.substr(End);
    }
    if (!Out.empty())
      KeyText = Out + Key.str();
  }

  std::map<std::string, size_t> Numbers;
};

/// How messages name a function: qualified, and lambdas by where they are.
std::string displayName(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda()) {
    for (const DeclContext *DC = MD->getParent()->getDeclContext(); DC; DC = DC->getParent())
      if (const auto *Outer = dyn_cast<FunctionDecl>(DC))
        return "lambda in " + displayName(Outer);
    return "lambda";
  }
  return FD->getQualifiedNameAsString();
}

} // namespace

class FactsExtractor::Impl {
public:
  Impl(std::shared_ptr<UnitLockAnalyses> Shared, const BlockingCatalogue *Catalogue)
      : Unit(std::move(Shared)), Model(Unit->Model), Ctx(Unit->Ctx), SM(Ctx.getSourceManager()),
        Summaries(Unit->Locks), Mangler(Ctx.createMangleContext()), Fresh(Unit->Fresh),
        Blocking(Catalogue ? *Catalogue : DefaultBlocking, Model, Ctx) {}

  std::shared_ptr<UnitLockAnalyses> Unit;
  const LockModel &Model;
  ASTContext &Ctx;
  SourceManager &SM;
  LockSummaries &Summaries;
  std::unique_ptr<MangleContext> Mangler;
  llvm::DenseMap<FileID, std::string> FileNames;
  std::string MainFile;
  FreshObjects &Fresh;
  MovedFromLocals Moved;
  /// The function whose facts are being extracted.
  const FunctionDecl *Current = nullptr;
  BlockingCatalogue DefaultBlocking;
  BlockingClassifier Blocking;

  /// A lock as a fact: lockRef, whether its object is fresh, and the
  /// discovered class it is an object of, which the linker may learn more
  /// about from other units.
  LockRef ref(const LockExpr &L, MutexKind Kind) {
    LockRef R = lockRef(L, Kind);
    R.Fresh = Fresh.isFresh(L, Current);
    const ValueDecl *Object = L.lastMember() ? L.lastMember() : L.rootDecl();
    if (const CXXRecordDecl *RD = Model.discoveredTypeOf(Object))
      R.Type = LockModel::qualifiedRecordName(RD);
    return R;
  }

  FactLoc locate(SourceLocation Loc) {
    FactLoc Out;
    if (Loc.isInvalid())
      return Out;
    SourceLocation Exp = SM.getExpansionLoc(Loc);
    Out.Raw = Exp.getRawEncoding();
    FileID FID = SM.getFileID(Exp);
    auto It = FileNames.find(FID);
    if (It == FileNames.end()) {
      std::string Name;
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
        Name = FE->getFileEntry().tryGetRealPathName().str();
        if (Name.empty())
          Name = FE->getName().str();
      }
      It = FileNames.try_emplace(FID, Name).first;
    }
    Out.File = It->second;
    Out.Line = SM.getExpansionLineNumber(Exp);
    Out.Column = SM.getExpansionColumnNumber(Exp);
    return Out;
  }

  std::string functionId(const FunctionDecl *FD) {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    if (!FD->isExternallyVisible())
      OS << mainFile() << '|';
    GlobalDecl GD;
    if (const auto *C = dyn_cast<CXXConstructorDecl>(FD))
      GD = GlobalDecl(C, Ctor_Complete);
    else if (const auto *D = dyn_cast<CXXDestructorDecl>(FD))
      GD = GlobalDecl(D, Dtor_Complete);
    else
      GD = GlobalDecl(FD);
    if (Mangler->shouldMangleDeclName(FD))
      Mangler->mangleName(GD, OS);
    else
      OS << FD->getQualifiedNameAsString();
    return OS.str();
  }

  const std::string &mainFile() {
    if (MainFile.empty())
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getMainFileID())) {
        MainFile = FE->getFileEntry().tryGetRealPathName().str();
        if (MainFile.empty())
          MainFile = FE->getName().str();
      }
    return MainFile;
  }

  bool inSystemHeader(const Decl *D) const { return SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())); }

  bool inAssertion(SourceLocation Loc) const { return Loc.isMacroID() && inAssertionMacro(Loc, SM, Ctx.getLangOpts()); }

  std::vector<LockRef> releasedFacts(const Lockset &Before) {
    std::vector<LockRef> Out;
    for (const LockExpr &L : Before.releasedUnheld())
      Out.push_back(ref(L, MutexKind::Plain));
    return Out;
  }

  std::vector<HeldFact> heldFacts(const Lockset &Before) {
    std::vector<HeldFact> Out;
    for (const HeldLock &H : Before.held()) {
      HeldFact F;
      F.Lock = ref(H.Lock, H.Kind);
      if (H.Owner)
        F.Guard = H.Owner->key();
      F.AcquiredAt = locate(H.AcquiredAt);
      F.Shared = H.Mode == LockMode::Shared;
      F.Definitely = H.Definitely && H.PendingTry.empty();
      Out.push_back(std::move(F));
    }
    return Out;
  }

  /// A call whose callee's own locking matters: a function with a
  /// program-wide identity, not a library internal, not an operation on
  /// a mutex or guard (the lock model already turned those into events).
  bool interestingCallee(const FunctionDecl *Callee, const Expr *Object) const {
    if (!Callee || Callee->isDependentContext() || inSystemHeader(Callee))
      return false;
    if (Object) {
      QualType T = LockModel::pointeeOrSelf(Object->getType());
      if (Model.classifyGuard(T))
        return false;
      if (Model.classifyMutex(T) &&
          (!isa<CXXMethodDecl>(Callee) || Model.operationOf(cast<CXXMethodDecl>(Callee)) != MutexOp::None))
        return false;
    }
    return true;
  }

  std::optional<LockRef> pathOf(const Expr *E) {
    if (!E)
      return std::nullopt;
    std::optional<LockExpr> L = LockExpr::fromExpr(E, Ctx);
    if (!L)
      return std::nullopt;
    return ref(*L, MutexKind::Plain);
  }

  FunctionFacts facts(const FunctionDecl *FD);

  /// Pointer and reference members a constructor sets straight from one of
  /// its parameters (`db_mutex_(db_mutex)`).
  std::vector<std::pair<std::string, unsigned>> fieldParams(const CXXConstructorDecl *Ctor) const {
    std::vector<std::pair<std::string, unsigned>> Out;
    for (const CXXCtorInitializer *CI : Ctor->inits()) {
      const FieldDecl *Field = CI->isMemberInitializer() ? CI->getMember() : nullptr;
      if (!Field || (!Field->getType()->isPointerType() && !Field->getType()->isReferenceType()))
        continue;
      const auto *Ref = dyn_cast<DeclRefExpr>(CI->getInit()->IgnoreParenImpCasts());
      const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
      if (!Param || Param->getDeclContext() != Ctor)
        continue;
      Out.emplace_back(memberName(Field), Param->getFunctionScopeIndex());
    }
    return Out;
  }
};

namespace {

bool holdsCallables(QualType T) {
  if (T->isFunctionPointerType() || T->isMemberFunctionPointerType())
    return true;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && LockModel::qualifiedRecordName(RD) == "std::function";
}

/// The data member holding callables that \p E names (`cb_`, `e->deleter`).
const FieldDecl *callableMember(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *ME = dyn_cast<MemberExpr>(E);
  const auto *Field = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  return Field && holdsCallables(Field->getType()) ? Field : nullptr;
}

/// The member a call goes through: `cb_(x)` on a std::function member,
/// `(*e->deleter)(k)` on a function pointer member.
const FieldDecl *callableMemberCalled(const CallExpr *Call) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
    return Op->getOperator() == OO_Call && Op->getNumArgs() > 0 ? callableMember(Op->getArg(0)) : nullptr;
  if (Call->getDirectCallee())
    return nullptr;
  return callableMember(Call->getCallee());
}

/// The function a stored value is: `&Fn`, `Fn`, a lambda, either wrapped
/// in the std::function it converts to.
const FunctionDecl *storedFunction(const Expr *E) {
  E = storedValue(E);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = storedValue(UO->getSubExpr());
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(DRE->getDecl());
  if (const auto *L = dyn_cast_or_null<LambdaExpr>(E))
    return L->getCallOperator();
  return nullptr;
}

/// A function stored into a callable member by an assignment or a
/// constructor's initializer, as a fact.
std::optional<StoredCallableFact> storedCallable(const MemberStore &S, FactsExtractor &X) {
  if (S.Kind != MemberStore::How::Assignment && S.Kind != MemberStore::How::ConstructorInitializer)
    return std::nullopt;
  if (!holdsCallables(S.Field->getType()))
    return std::nullopt;
  const FunctionDecl *FD = storedFunction(S.Value);
  if (!FD || FD->isDependentContext())
    return std::nullopt;
  return StoredCallableFact{memberName(S.Field), X.functionId(FD)};
}

/// \p Facts sorted, each once.
template <typename T, typename KeyFn> void sortOnce(std::vector<T> &Facts, KeyFn Key) {
  llvm::sort(Facts, [&](const T &A, const T &B) { return Key(A) < Key(B); });
  Facts.erase(std::unique(Facts.begin(), Facts.end(), [&](const T &A, const T &B) { return Key(A) == Key(B); }),
              Facts.end());
}

/// Turns the replayed lockset analysis of one function into facts.
class FactsCollector : public LocksetObserver {
public:
  FactsCollector(FactsExtractor::Impl &X, FunctionFacts &Out) : X(X), Out(Out) {}

  void event(const LockEvent &E, const Lockset &Before) override {
    switch (E.Kind) {
    case LockEventKind::Acquire:
    case LockEventKind::TryAcquire:
      for (const LockExpr &M : E.Mutexes)
        acquire(M, E.Kind_, E.Mode, E.Kind == LockEventKind::TryAcquire, E.Site, Before);
      break;
    case LockEventKind::GuardLock:
    case LockEventKind::GuardTryLock:
      if (const GuardBinding *B = E.Guard ? Before.binding(*E.Guard) : nullptr)
        for (const LockExpr &M : B->Mutexes)
          acquire(M, B->Kind, B->Mode, E.Kind == LockEventKind::GuardTryLock, E.Site, Before);
      break;
    default:
      break;
    }
  }

  /// A block ending in a `[[noreturn]]` call is the program's last words
  /// (`fprintf(stderr, ...); abort();`): what blocks there is no one's wait.
  void blockStart(const CFGBlock &Block, const Lockset &) override { EndsProcess = Block.hasNoReturnElement(); }

  void element(const CFGElement &Element, const Lockset &Before) override {
    if (std::optional<DirectSite> Block = X.Blocking.classify(Element, Before)) {
      if (!EndsProcess)
        blocks(*Block, Element, Before);
      return;
    }
    if (auto S = Element.getAs<CFGStmt>()) {
      const Stmt *St = S->getStmt();
      if (const auto *Call = dyn_cast<CallExpr>(St))
        return fromCall(Call, Before);
      if (const auto *Construct = dyn_cast<CXXConstructExpr>(St))
        return fromConstruct(Construct, Before, memberInitialized(Element));
      return;
    }
    if (auto Dtor = Element.getAs<CFGImplicitDtor>())
      fromDestructor(*Dtor, Before);
  }

private:
  bool EndsProcess = false;

  /// A blocking call, for callers in other units: the caller's locks it
  /// does not hold while it blocks are those this function released before
  /// and those the wait releases. A wait releasing a lock that cannot be
  /// named may free any of them: it is left out.
  void blocks(const DirectSite &Block, const CFGElement &Element, const Lockset &Before) {
    if (Block.ReleasesUnknown)
      return;
    BlockFact B;
    B.What = Block.What;
    B.Kind = blockingKindName(static_cast<BlockingKind>(Block.Kind)).str();
    const Stmt *Site = nullptr;
    if (auto S = Element.getAs<CFGStmt>())
      Site = S->getStmt();
    else if (auto Ctor = Element.getAs<CFGConstructor>())
      Site = Ctor->getStmt();
    else if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>())
      B.Site = X.locate(Dtor->getVarDecl()->getLocation());
    if (Site && X.inAssertion(Site->getBeginLoc()))
      return; // reports a failed assertion
    if (Site)
      B.Site = X.locate(Site->getBeginLoc());
    B.ReleasedBefore = X.releasedFacts(Before);
    for (const LockExpr &L : Block.Releases)
      B.ReleasedBefore.push_back(X.ref(L, MutexKind::Plain));
    Out.Blocks.push_back(std::move(B));
  }

  void acquire(const LockExpr &M, MutexKind Kind, LockMode Mode, bool Try, const Stmt *Site,
               const Lockset &Before) {
    AcquireFact A;
    A.Lock = X.ref(M, Kind);
    A.Site = X.locate(Site ? Site->getBeginLoc() : SourceLocation());
    A.Shared = Mode == LockMode::Shared;
    A.Try = Try;
    A.Held = X.heldFacts(Before);
    A.ReleasedBefore = X.releasedFacts(Before);
    for (const std::string &Tag : Before.known())
      if (std::optional<std::pair<unsigned, bool>> C = parameterCondition(Tag))
        A.When.push_back(*C);
    Out.Acquires.push_back(std::move(A));
  }

  void fromCall(const CallExpr *Call, const Lockset &Before) {
    if (const FieldDecl *Field = callableMemberCalled(Call)) {
      // Whatever the program stores into the member may run here.
      std::string Name = memberName(Field);
      CallFact C;
      C.Callee = storedCallableCallee(Name);
      C.CalleeName = Name;
      C.Site = X.locate(Call->getBeginLoc());
      C.Held = X.heldFacts(Before);
      C.ReleasedBefore = X.releasedFacts(Before);
      Out.Calls.push_back(std::move(C));
      return;
    }
    const FunctionDecl *Callee = Call->getDirectCallee();
    const Expr *Object = nullptr;
    unsigned FirstArg = 0;
    bool Qualified = false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      Object = MC->getImplicitObjectArgument();
      if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()))
        Qualified = ME->hasQualifier();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call); Op && isa_and_nonnull<CXXMethodDecl>(Callee)) {
      Object = Op->getArg(0);
      FirstArg = 1;
    }
    if (!X.interestingCallee(Callee, Object))
      return;
    bool Virtual = false;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee); MD && MD->isVirtual() && !Qualified) {
      // A receiver whose dynamic type is known (a local or member object,
      // a final class) runs one override: call it directly.
      const CXXMethodDecl *Known = Object ? MD->getDevirtualizedMethod(Object, /*IsAppleKext=*/false) : nullptr;
      if (Known && Known->isVirtual() && !Known->isPureVirtual())
        Callee = Known;
      else
        Virtual = true;
    }
    CallFact C = baseCall(Callee, Call->getBeginLoc(), Before);
    C.Virtual = Virtual;
    if (Object)
      C.Receiver = X.pathOf(Object);
    for (unsigned I = FirstArg; I < Call->getNumArgs(); ++I)
      C.Args.push_back(argPath(Callee, I - FirstArg, Call->getArg(I)));
    C.BoolArgs = constantBoolArguments(Call, FirstArg, X.Ctx);
    Out.Calls.push_back(std::move(C));
  }

  /// The member a constructor initializer builds (`error_handler_(this)`),
  /// or null for any other construction.
  static const FieldDecl *memberInitialized(const CFGElement &Element) {
    auto Ctor = Element.getAs<CFGConstructor>();
    const auto *Context =
        Ctor ? dyn_cast_or_null<ConstructorInitializerConstructionContext>(Ctor->getConstructionContext()) : nullptr;
    return Context && Context->getCXXCtorInitializer()->isMemberInitializer()
               ? Context->getCXXCtorInitializer()->getMember()
               : nullptr;
  }

  void fromConstruct(const CXXConstructExpr *CE, const Lockset &Before, const FieldDecl *Member) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor || Ctor->isTrivial() || X.Model.classifyGuard(CE->getType()) || !X.interestingCallee(Ctor, nullptr))
      return;
    CallFact C = baseCall(Ctor, CE->getBeginLoc(), Before);
    // The object built is this object's member: its constructor's `this`.
    if (Member)
      C.Receiver = X.ref(LockExpr::forThisMember(Member, X.Ctx), MutexKind::Plain);
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      C.Args.push_back(argPath(Ctor, I, CE->getArg(I)));
    Out.Calls.push_back(std::move(C));
  }

  void fromDestructor(const CFGImplicitDtor &Dtor, const Lockset &Before) {
    const CXXDestructorDecl *D = Dtor.getDestructorDecl(X.Ctx);
    if (!D || D->isTrivial() || !X.interestingCallee(D, nullptr))
      return;
    if (X.Model.classifyGuard(X.Ctx.getRecordType(D->getParent())))
      return;
    SourceLocation Loc;
    std::optional<LockRef> Receiver;
    if (auto Auto = Dtor.getAs<CFGAutomaticObjDtor>()) {
      // A moved-from object's destructor has nothing left to tear down.
      if (X.Moved.isMovedFrom(Auto->getVarDecl(), X.Current))
        return;
      Loc = Auto->getTriggerStmt() ? Auto->getTriggerStmt()->getEndLoc() : Auto->getVarDecl()->getLocation();
      Receiver = X.ref(LockExpr::fromVar(Auto->getVarDecl(), X.Ctx), MutexKind::Plain);
    } else if (auto Temp = Dtor.getAs<CFGTemporaryDtor>()) {
      Loc = Temp->getBindTemporaryExpr()->getEndLoc();
    } else if (auto Delete = Dtor.getAs<CFGDeleteDtor>()) {
      Loc = Delete->getDeleteExpr()->getBeginLoc();
    } else if (auto Member = Dtor.getAs<CFGMemberDtor>()) {
      Loc = X.Ctx.getSourceManager().getExpansionLoc(Member->getFieldDecl()->getLocation());
      Receiver = X.ref(LockExpr::forThisMember(Member->getFieldDecl(), X.Ctx), MutexKind::Plain);
    }
    if (Loc.isInvalid())
      return;
    CallFact C = baseCall(D, Loc, Before);
    C.Virtual = D->isVirtual() && Dtor.getAs<CFGDeleteDtor>().has_value();
    C.Receiver = std::move(Receiver);
    Out.Calls.push_back(std::move(C));
  }

  CallFact baseCall(const FunctionDecl *Callee, SourceLocation Loc, const Lockset &Before) {
    CallFact C;
    C.Callee = X.functionId(Callee);
    C.CalleeName = displayName(Callee);
    C.Site = X.locate(Loc);
    C.Held = X.heldFacts(Before);
    C.ReleasedBefore = X.releasedFacts(Before);
    C.InAssertion = X.inAssertion(Loc);
    return C;
  }

  /// Only references and pointers can carry a path to the caller's locks;
  /// a by-value argument is the callee's own object.
  std::optional<LockRef> argPath(const FunctionDecl *Callee, unsigned Index, const Expr *Arg) {
    if (Index >= Callee->getNumParams())
      return std::nullopt;
    QualType T = Callee->getParamDecl(Index)->getType();
    if (!T->isReferenceType() && !T->isPointerType() && LockModel::pointeeOrSelf(T) == T)
      return std::nullopt;
    return X.pathOf(Arg);
  }

  FactsExtractor::Impl &X;
  FunctionFacts &Out;
};

} // namespace

FunctionFacts FactsExtractor::Impl::facts(const FunctionDecl *FD) {
  FunctionFacts Out;
  Current = FD;
  Out.Id = functionId(FD);
  Out.Name = displayName(FD);
  Out.Where = locate(FD->getLocation());
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    for (const CXXMethodDecl *Base : MD->overridden_methods())
      Out.Overrides.push_back(functionId(Base));
    // What a virtual call dispatched to it runs, for the link to decide
    // callback findings on calls whose overrides span files.
    if (MD->isVirtual() && !isa<CXXDestructorDecl>(MD))
      Out.Harmless = isHarmlessImplementation(MD);
  }
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    Out.FieldParams = fieldParams(Ctor);
  const LocksetAnalysis *Analysis = Summaries.analysisOf(FD);
  if (!Analysis)
    return Out;
  FactsCollector Collector(*this, Out);
  Analysis->replay(Collector);
  KeyStabilizer().apply(Out);
  return Out;
}

FactsExtractor::FactsExtractor(const LockModel &Model, ASTContext &Ctx, const BlockingCatalogue *Blocking)
    : FactsExtractor(std::make_shared<UnitLockAnalyses>(Model, Ctx), Blocking) {}
FactsExtractor::FactsExtractor(std::shared_ptr<UnitLockAnalyses> Unit, const BlockingCatalogue *Blocking)
    : P(std::make_unique<Impl>(std::move(Unit), Blocking)) {}
FactsExtractor::~FactsExtractor() = default;

std::string FactsExtractor::functionId(const FunctionDecl *FD) { return P->functionId(FD); }
FactLoc FactsExtractor::locate(SourceLocation Loc) { return P->locate(Loc); }

TUFacts FactsExtractor::extract() {
  TUFacts Out;
  Out.MainFile = P->mainFile();
  // Functions in system headers get no facts (below): nor need their
  // top-level declarations, most of a unit's AST, be walked to find them.
  std::vector<Decl *> WholeUnit = P->Ctx.getTraversalScope();
  std::vector<Decl *> ProjectDecls;
  for (Decl *D : P->Ctx.getTranslationUnitDecl()->decls())
    if (!P->inSystemHeader(D))
      ProjectDecls.push_back(D);
  P->Ctx.setTraversalScope(ProjectDecls);
  auto Matches = match(functionDecl(isDefinition()).bind("f"), P->Ctx);
  P->Ctx.setTraversalScope(WholeUnit);
  llvm::DenseSet<const FunctionDecl *> Seen;
  llvm::SmallPtrSet<const CXXRecordDecl *, 16> Classified, NotLocks;
  for (const BoundNodes &N : Matches) {
    const auto *FD = N.getNodeAs<FunctionDecl>("f");
    // Templates are analysed per instantiation, where types are known.
    if (!FD || !FD->hasBody() || FD->isDependentContext() || P->inSystemHeader(FD) ||
        !Seen.insert(FD->getCanonicalDecl()).second)
      continue;
    // A class whose members are defined here is classified here: this unit
    // may be the only one that sees its constructor make it recursive.
    // Its bodies may also show that a class other units take for a mutex
    // by its shape is none.
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      if (const CXXRecordDecl *RD = MD->getParent(); Classified.insert(RD).second)
        if (!P->Model.classifyMutex(P->Ctx.getRecordType(RD)) && shapeRefutedByBodies(RD, P->Model))
          NotLocks.insert(RD);
    FunctionFacts F = P->facts(FD);
    // A function that neither locks nor calls anything adds nothing.
    if (!F.Acquires.empty() || !F.Calls.empty() || !F.Overrides.empty() || !F.Blocks.empty() ||
        !F.FieldParams.empty() || F.Harmless.has_value())
      Out.Functions.push_back(std::move(F));
  }
  LockPointerStores LockPointers(P->Model, P->Ctx);
  forEachMemberStore(P->Ctx, [&](const MemberStore &S) {
    if (std::optional<StoredCallableFact> Callable = storedCallable(S, *this))
      Out.StoredCallables.push_back(std::move(*Callable));
    else if (std::optional<LockPointerStoreFact> Lock = LockPointers.fact(S))
      Out.LockPointerStores.push_back(std::move(*Lock));
  });
  sortOnce(Out.StoredCallables, [](const StoredCallableFact &S) { return std::tie(S.Field, S.Function); });
  sortOnce(Out.LockPointerStores,
           [](const LockPointerStoreFact &S) { return std::tie(S.Field, S.Class, S.Path, S.Copy); });
  for (const auto &[RD, D] : P->Model.discoveredSoFar())
    Out.LockTypes.push_back({LockModel::qualifiedRecordName(RD), factKind(D->Kind), evidenceName(D->How), true,
                             D->Wraps ? LockModel::qualifiedRecordName(D->Wraps) : std::string()});
  for (const CXXRecordDecl *RD : NotLocks)
    Out.LockTypes.push_back({LockModel::qualifiedRecordName(RD), FactMutexKind::Plain, "body", false, {}});
  sortOnce(Out.LockTypes, [](const LockTypeFact &T) { return T.Name; });
  return Out;
}

} // namespace lockgraph
