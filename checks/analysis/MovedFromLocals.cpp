//===- MovedFromLocals.cpp ------------------------------------------------===//

#include "analysis/MovedFromLocals.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace lockgraph {
namespace {

class MoveFinder : public RecursiveASTVisitor<MoveFinder> {
public:
  explicit MoveFinder(llvm::DenseSet<const VarDecl *> &Out) : Out(Out) {}
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->isInStdNamespace() || !FD->getIdentifier() || Call->getNumArgs() != 1)
      return true;
    if (FD->getName() != "move" && FD->getName() != "forward")
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Out.insert(VD);
    return true;
  }

private:
  llvm::DenseSet<const VarDecl *> &Out;
};

} // namespace

bool MovedFromLocals::isMovedFrom(const VarDecl *VD, const FunctionDecl *InFunction) {
  if (!VD || !InFunction || !InFunction->getBody())
    return false;
  auto [It, New] = Moved.try_emplace(InFunction);
  if (New)
    MoveFinder(It->second).TraverseStmt(InFunction->getBody());
  return It->second.contains(VD);
}

} // namespace lockgraph
