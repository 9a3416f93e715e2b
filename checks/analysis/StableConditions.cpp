//===- StableConditions.cpp -----------------------------------------------===//

#include "analysis/StableConditions.h"

#include "clang/Basic/Builtins.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace lockgraph {
namespace {

/// Variables and members the function may change: a condition over
/// anything else reads the same every time it is evaluated.
class ChangedValues : public RecursiveASTVisitor<ChangedValues> {
public:
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp())
      mark(BO->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
      mark(UO->getSubExpr());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    if (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus || Op->getOperator() == OO_MinusMinus)
      if (Op->getNumArgs() > 0)
        mark(Op->getArg(0));
    return true;
  }
  // A variable declared inside a loop is a new value on every iteration.
  bool TraverseForStmt(ForStmt *S) { return inLoop([&] { return RecursiveASTVisitor::TraverseForStmt(S); }); }
  bool TraverseWhileStmt(WhileStmt *S) { return inLoop([&] { return RecursiveASTVisitor::TraverseWhileStmt(S); }); }
  bool TraverseDoStmt(DoStmt *S) { return inLoop([&] { return RecursiveASTVisitor::TraverseDoStmt(S); }); }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
    return inLoop([&] { return RecursiveASTVisitor::TraverseCXXForRangeStmt(S); });
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (LoopDepth > 0)
      Changed.insert(VD);
    return true;
  }
  std::set<const ValueDecl *> Changed;

private:
  template <class F> bool inLoop(F Traverse) {
    ++LoopDepth;
    bool Result = Traverse();
    --LoopDepth;
    return Result;
  }
  unsigned LoopDepth = 0;
  void mark(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      Changed.insert(DRE->getDecl());
    else if (const auto *ME = dyn_cast<MemberExpr>(E))
      Changed.insert(ME->getMemberDecl());
  }
};

/// Whether a branch condition reads only values that cannot change during
/// the call (unchanged parameters, locals and members; no calls).
class StableReader : public RecursiveASTVisitor<StableReader> {
public:
  explicit StableReader(const std::set<const ValueDecl *> &Changed) : Changed(Changed) {}
  bool VisitCallExpr(CallExpr *) { return Stable = false; }
  // `it != end` in C++20 is a rewritten operator call.
  bool VisitCXXRewrittenBinaryOperator(CXXRewrittenBinaryOperator *) { return Stable = false; }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD) {
      Stable &= isa<EnumConstantDecl>(DRE->getDecl());
      return Stable;
    }
    // Implicit variables are the iterators of range-for loops.
    Stable &= !VD->hasGlobalStorage() && !VD->isImplicit() && !Changed.count(VD);
    return Stable;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    Stable &= isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) && !Changed.count(ME->getMemberDecl());
    return Stable;
  }
  bool Stable = true;

private:
  const std::set<const ValueDecl *> &Changed;
};

/// `__builtin_expect(c, v)` (the `LIKELY`/`UNLIKELY` macros) is `c` with a
/// hint to the optimiser: the branch is on `c`.
const Expr *withoutExpectHint(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  while (const auto *Call = dyn_cast<CallExpr>(E)) {
    unsigned Builtin = Call->getBuiltinCallee();
    if ((Builtin != Builtin::BI__builtin_expect && Builtin != Builtin::BI__builtin_expect_with_probability) ||
        Call->getNumArgs() == 0)
      break;
    E = Call->getArg(0)->IgnoreParenImpCasts();
  }
  return E;
}

} // namespace

std::set<const ValueDecl *> changedValues(const Stmt *Body) {
  ChangedValues Finder;
  Finder.TraverseStmt(const_cast<Stmt *>(Body));
  return std::move(Finder.Changed);
}

std::optional<StableCondition> readStableCondition(const Expr *E, const std::set<const ValueDecl *> &Changed,
                                                   ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  StableCondition Out;
  E = withoutExpectHint(E);
  while (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_LNot)
      break;
    Out.Negated = !Out.Negated;
    E = withoutExpectHint(UO->getSubExpr());
  }
  StableReader Check(Changed);
  Check.TraverseStmt(const_cast<Expr *>(E));
  if (!Check.Stable)
    return std::nullopt;
  llvm::FoldingSetNodeID Id;
  E->Profile(Id, Ctx, /*Canonical=*/true);
  Out.Hash = Id.ComputeHash();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    Out.Param = dyn_cast<ParmVarDecl>(DRE->getDecl());
  return Out;
}

} // namespace lockgraph
