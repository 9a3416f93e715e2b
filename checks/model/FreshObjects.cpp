//===- FreshObjects.cpp ---------------------------------------------------===//

#include "model/FreshObjects.h"
#include "model/LockModel.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace lockgraph {
namespace {

bool createsObject(const Expr *E, unsigned Factories = 0);

/// A project's own `make_unique` (`template <class T, class... A>
/// unique_ptr<T> make_uniq(A&&... a) { return unique_ptr<T>(new T(...)); }`):
/// a function whose visible body only returns a new object.
bool isFactory(const FunctionDecl *FD, unsigned Factories) {
  const FunctionDecl *Def = nullptr;
  if (Factories >= 2 || !FD->hasBody(Def) || !Def)
    return false;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body || Body->size() != 1)
    return false;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  return Ret && createsObject(Ret->getRetValue(), Factories + 1);
}

/// `new T`, `std::make_unique<T>(...)`, `std::make_shared<T>(...)`, or a
/// project's factory doing one of these, looking through the conversions
/// and temporaries around them.
bool createsObject(const Expr *E, unsigned Factories) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreImplicit();
    if (isa<CXXNewExpr>(E))
      return true;
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
      // unique_ptr<T>(new T), or a move of the factory's result.
      if (Construct->getNumArgs() != 1)
        return false;
      E = Construct->getArg(0);
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD || !FD->getIdentifier())
        return false;
      if (!FD->isInStdNamespace())
        return isFactory(FD, Factories);
      llvm::StringRef Name = FD->getName();
      return Name == "make_unique" || Name == "make_shared" || Name == "allocate_shared";
    }
    if (const auto *Cast = dyn_cast<CastExpr>(E)) {
      E = Cast->getSubExpr();
      continue;
    }
    return false;
  }
  return false;
}

/// Whether \p VD is assigned anywhere in \p Body (`p = other;`,
/// `p.reset(q)`, `p.swap(q)`): then it may point at a shared object.
class AssignmentFinder : public RecursiveASTVisitor<AssignmentFinder> {
public:
  explicit AssignmentFinder(const VarDecl *VD) : VD(VD) {}
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp() && refersToVar(BO->getLHS()))
      Found = true;
    return !Found;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    if (Op->isAssignmentOp() && Op->getNumArgs() > 0 && refersToVar(Op->getArg(0)))
      Found = true;
    return !Found;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && (M->getName() == "reset" || M->getName() == "swap") && MC->getNumArgs() > 0 &&
        refersToVar(MC->getImplicitObjectArgument()))
      Found = true;
    return !Found;
  }
  bool Found = false;

private:
  bool refersToVar(const Expr *E) const {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == VD;
  }
  const VarDecl *VD;
};

bool isPointerLike(QualType T) { return T->isPointerType() || isSmartPointerType(T); }

} // namespace

bool FreshObjects::isFresh(const LockExpr &L, const FunctionDecl *InFunction) {
  if (!InFunction)
    return false;
  switch (L.root()) {
  case LockExpr::Root::This:
    return isa<CXXConstructorDecl>(InFunction);
  case LockExpr::Root::Local:
    if (const auto *VD = dyn_cast_or_null<VarDecl>(L.rootDecl()))
      return isFreshPointer(VD, InFunction);
    return false;
  default:
    return false;
  }
}

bool FreshObjects::isFreshPointer(const VarDecl *VD, const FunctionDecl *InFunction) {
  if (auto It = Cache.find(VD); It != Cache.end())
    return It->second;
  bool Fresh = VD->isLocalVarDecl() && !VD->isStaticLocal() && !VD->getType()->isReferenceType() &&
               isPointerLike(VD->getType()) && createsObject(VD->getInit());
  if (Fresh && InFunction->getBody()) {
    AssignmentFinder Finder(VD);
    Finder.TraverseStmt(InFunction->getBody());
    Fresh = !Finder.Found;
  }
  Cache[VD] = Fresh;
  return Fresh;
}

} // namespace lockgraph
