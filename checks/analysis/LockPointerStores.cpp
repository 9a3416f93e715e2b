//===- LockPointerStores.cpp ----------------------------------------------===//

#include "analysis/LockPointerStores.h"
#include "model/LockExpr.h"
#include "model/LockModel.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace lockgraph {
namespace {

/// A lock path the whole program reads the same way: not source text, not
/// a bare call result or parameter (what a caller passes, unknown here).
bool namesALock(const LockExpr &L) {
  switch (L.root()) {
  case LockExpr::Root::Opaque: return false;
  case LockExpr::Root::Call:
  case LockExpr::Root::Param: return !L.isBareRoot();
  default: return true;
  }
}

bool isParameterOf(const Expr *E, const CXXConstructorDecl *Ctor) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  return Param && Param->getDeclContext() == Ctor;
}

/// What a member of type \p T refers to: a pointer's or reference's
/// pointee, a std::reference_wrapper's referent; else null.
QualType referent(QualType T) {
  if (T->isPointerType() || T->isReferenceType())
    return T->getPointeeType();
  return LockModel::wrappedReference(T);
}

/// `std::ref(mu)` is `mu`.
const Expr *throughStdRef(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || Call->getNumArgs() != 1 || !Callee->isInStdNamespace() || !Callee->getIdentifier() ||
      (Callee->getName() != "ref" && Callee->getName() != "cref"))
    return E;
  return storedValue(Call->getArg(0));
}

} // namespace

bool LockPointerStores::pointsToLock(const FieldDecl *Field) const {
  QualType Referent = referent(Field->getType());
  if (Referent.isNull())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  return !SM.isInSystemHeader(SM.getExpansionLoc(Field->getLocation())) &&
         !Field->getParent()->isDependentContext() && Model.classifyMutex(Referent).has_value();
}

const Expr *LockPointerStores::storedLock(const FieldDecl *Field, const Expr *Value) const {
  if (!Field->getType()->isPointerType())
    return Value; // a reference, or a reference_wrapper, bound to the lock itself
  if (const auto *UO = dyn_cast<UnaryOperator>(Value); UO && UO->getOpcode() == UO_AddrOf)
    return UO->getSubExpr();
  // An accessor returning a member's address (`mutex()`) names it.
  if (const auto *Call = dyn_cast<CallExpr>(Value))
    if (std::optional<LockExpr> L = LockExpr::fromExpr(Call, Ctx); L && L->root() != LockExpr::Root::Call)
      return Value;
  return nullptr;
}

std::string LockPointerStores::holderKey(const MemberStore &S) const {
  if (S.OnObjectBuilt)
    return "this";
  std::optional<LockExpr> Holder = S.Holder ? LockExpr::fromExpr(S.Holder, Ctx) : std::nullopt;
  return Holder && namesALock(*Holder) ? Holder->key() : std::string();
}

std::optional<LockPointerStoreFact> LockPointerStores::fact(const MemberStore &S) const {
  if (!pointsToLock(S.Field))
    return std::nullopt;
  LockPointerStoreFact Out;
  Out.Field = memberName(S.Field);
  if (S.Kind == MemberStore::How::DefaultedCopy) {
    Out.Copy = true;
    return Out;
  }
  const Expr *Value = throughStdRef(storedValue(S.Value));
  if (!Value)
    return Out; // too deep to read: nothing known
  // A null pointer points nowhere; a default member initializer used by an
  // initializer list is a store of its own; a template is read in its
  // instantiations.
  if (Value->isInstantiationDependent() || isa<CXXDefaultInitExpr, ImplicitValueInitExpr>(Value) ||
      Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return std::nullopt;
  // The constructor's own parameter, as `fieldParams` records it.
  if (S.Constructor && !S.Field->getType()->isRecordType() &&
      isParameterOf(S.Value->IgnoreParenImpCasts(), S.Constructor))
    return std::nullopt;
  if (const auto *ME = dyn_cast<MemberExpr>(Value); ME && ME->getMemberDecl() == S.Field) {
    Out.Copy = true;
    return Out;
  }
  const Expr *Lock = storedLock(S.Field, Value);
  std::optional<LockExpr> L = Lock ? LockExpr::fromExpr(Lock, Ctx) : std::nullopt;
  if (!L || !namesALock(*L))
    return Out; // something the link cannot know: the member stays a lock class of its own
  Out.Class = L->lockClass();
  std::string Holder = holderKey(S);
  const std::string &Key = L->key();
  if (!Holder.empty() && Key.size() > Holder.size() + 1 && Key.compare(0, Holder.size(), Holder) == 0 &&
      Key[Holder.size()] == '.')
    Out.Path = Key.substr(Holder.size());
  return Out;
}

} // namespace lockgraph
