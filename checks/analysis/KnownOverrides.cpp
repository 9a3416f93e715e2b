//===- KnownOverrides.cpp -------------------------------------------------===//

#include "analysis/KnownOverrides.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace lockgraph {
namespace {

class OverrideIndexer : public RecursiveASTVisitor<OverrideIndexer> {
public:
  explicit OverrideIndexer(
      llvm::DenseMap<const CXXMethodDecl *, llvm::SmallVector<const CXXMethodDecl *, 2>> &Out)
      : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitCXXMethodDecl(CXXMethodDecl *M) {
    if (M->isThisDeclarationADefinition() || M->isPureVirtual() || !M->hasBody())
      for (const CXXMethodDecl *Base : M->overridden_methods())
        Out[Base->getCanonicalDecl()].push_back(M);
    return true;
  }

private:
  llvm::DenseMap<const CXXMethodDecl *, llvm::SmallVector<const CXXMethodDecl *, 2>> &Out;
};

/// A body that runs nothing the lock holder must fear.
class HarmlessBody : public RecursiveASTVisitor<HarmlessBody> {
public:
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->getBuiltinID())
      return true;
    if (FD && FD->isInStdNamespace() && FD->getIdentifier() &&
        (FD->getName() == "move" || FD->getName() == "forward" || FD->getName() == "addressof"))
      return true;
    Harmless = false;
    return false;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    // A guard takes a lock; other constructors are taken as harmless.
    if (const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl(); RD && RD->getIdentifier()) {
      llvm::StringRef Name = RD->getName();
      if (Name.ends_with("lock_guard") || Name.ends_with("unique_lock") || Name.ends_with("scoped_lock") ||
          Name.ends_with("shared_lock") || Name.ends_with("MutexLock"))
        Harmless = false;
    }
    return Harmless;
  }
  bool Harmless = true;
};

} // namespace

void KnownOverrides::index() {
  if (Indexed)
    return;
  Indexed = true;
  OverrideIndexer(Overriders).TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool isHarmlessImplementation(const CXXMethodDecl *Impl) {
  if (Impl->isPureVirtual())
    return true; // never runs
  const FunctionDecl *Def = nullptr;
  if (!Impl->hasBody(Def) || !Def || !Def->getBody())
    return false;
  HarmlessBody Body;
  Body.TraverseStmt(Def->getBody());
  return Body.Harmless;
}

bool KnownOverrides::allImplementations(const CXXMethodDecl *Method,
                                        llvm::function_ref<bool(const CXXMethodDecl *)> Visit) {
  index();
  llvm::SmallVector<const CXXMethodDecl *, 8> Work{Method->getCanonicalDecl()};
  llvm::DenseSet<const CXXMethodDecl *> Seen;
  while (!Work.empty()) {
    const CXXMethodDecl *M = Work.pop_back_val();
    if (!Seen.insert(M->getCanonicalDecl()).second)
      continue;
    if (!Visit(M))
      return false;
    if (auto It = Overriders.find(M->getCanonicalDecl()); It != Overriders.end())
      Work.append(It->second.begin(), It->second.end());
  }
  return true;
}

llvm::SmallVector<const CXXMethodDecl *, 2> KnownOverrides::undefinedOverriders(const CXXMethodDecl *Method) {
  llvm::SmallVector<const CXXMethodDecl *, 2> Out;
  allImplementations(Method, [&](const CXXMethodDecl *M) {
    if (M != Method->getCanonicalDecl() && !M->isPureVirtual() && !M->hasBody())
      Out.push_back(M);
    return true;
  });
  return Out;
}

bool KnownOverrides::allHarmless(const CXXMethodDecl *Method) {
  const CXXRecordDecl *Class = Method->getParent();
  const SourceManager &SM = Ctx.getSourceManager();
  bool ClosedHierarchy = Class->isInAnonymousNamespace() ||
                         SM.isInMainFile(SM.getExpansionLoc(Class->getLocation()));
  return ClosedHierarchy && allImplementations(Method, isHarmlessImplementation);
}

} // namespace lockgraph
