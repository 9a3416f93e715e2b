//===- MemberStores.cpp ---------------------------------------------------===//

#include "analysis/MemberStores.h"
#include "model/LockEvents.h"
#include "model/LockModel.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace lockgraph {
namespace {

/// The data member an assignment's left side names (`cb_`, `e->deleter`).
const MemberExpr *assignedMember(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  return ME && isa<FieldDecl>(ME->getMemberDecl()) ? ME : nullptr;
}

bool isDefaultedCopy(const CXXMethodDecl *M) {
  if (!M || !M->isDefaulted())
    return false;
  if (const auto *C = dyn_cast<CXXConstructorDecl>(M))
    return C->isCopyOrMoveConstructor();
  return M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator();
}

class MemberStoreFinder : public RecursiveASTVisitor<MemberStoreFinder> {
public:
  MemberStoreFinder(const SourceManager &SM, llvm::function_ref<void(const MemberStore &)> Store)
      : SM(SM), Store(Store) {}

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      assignment(BO->getLHS(), BO->getRHS());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    if (Op->getOperator() != OO_Equal || Op->getNumArgs() != 2)
      return true;
    assignment(Op->getArg(0), Op->getArg(1));
    if (isDefaultedCopy(dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee())))
      copied(Op->getArg(0)->getType(), Op->getBeginLoc());
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    // `a.operator=(b)` spelled out.
    if (isDefaultedCopy(Call->getMethodDecl()) && !isa<CXXConstructorDecl>(Call->getMethodDecl()))
      copied(Call->getImplicitObjectArgument()->getType(), Call->getBeginLoc());
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    if (isDefaultedCopy(CE->getConstructor()))
      copied(CE->getType(), CE->getBeginLoc());
    return true;
  }
  bool VisitCXXConstructorDecl(CXXConstructorDecl *Ctor) {
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && Init->getMember())
        emit({MemberStore::How::ConstructorInitializer, Init->getMember(), Init->getInit(), nullptr, true, Ctor});
    return true;
  }
  bool VisitFieldDecl(FieldDecl *Field) {
    if (const Expr *Init = Field->getInClassInitializer())
      emit({MemberStore::How::DefaultInitializer, Field, Init, nullptr, true});
    return true;
  }
  bool VisitInitListExpr(InitListExpr *Visited) {
    // The syntactic form is visited; the semantic one has an initializer
    // per member.
    if (const InitListExpr *ILE = Visited->isSemanticForm() ? Visited : Visited->getSemanticForm())
      aggregate(ILE);
    return true;
  }
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return true; }

private:
  /// The members an aggregate initializer sets, and those of its members
  /// and bases initialized with braces elided (`Outer o = {&mu_, 1};`),
  /// which no syntactic form shows.
  void aggregate(const InitListExpr *ILE, unsigned Depth = 0) {
    const auto *RD = ILE->getType()->getAsCXXRecordDecl();
    if (!RD || !RD->isAggregate() || Depth > 8)
      return;
    auto Init = [&](const FieldDecl *Field, const Expr *Value) {
      if (!Value)
        return;
      if (Field)
        emit({MemberStore::How::AggregateInitializer, Field, Value, nullptr});
      if (const auto *Nested = dyn_cast<InitListExpr>(Value->IgnoreImplicit()))
        aggregate(Nested, Depth + 1);
    };
    if (RD->isUnion()) {
      if (ILE->getNumInits() == 1)
        Init(ILE->getInitializedFieldInUnion(), ILE->getInit(0));
      return;
    }
    unsigned I = 0;
    for (; I < RD->getNumBases() && I < ILE->getNumInits(); ++I)
      Init(nullptr, ILE->getInit(I));
    for (const FieldDecl *Field : RD->fields()) {
      if (Field->isUnnamedBitField())
        continue;
      if (I >= ILE->getNumInits())
        break;
      Init(Field, ILE->getInit(I++));
    }
  }

  void assignment(const Expr *LHS, const Expr *RHS) {
    if (const MemberExpr *ME = assignedMember(LHS))
      emit({MemberStore::How::Assignment, cast<FieldDecl>(ME->getMemberDecl()), RHS, ME->getBase()});
  }

  /// A defaulted copy of an object of type \p T copies every member it
  /// holds by value, in its bases and member objects too.
  void copied(QualType T, SourceLocation Loc) {
    const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD || inSystemHeader(Loc))
      return;
    for (const FieldDecl *Field : fieldsCopied(RD))
      Store({MemberStore::How::DefaultedCopy, Field, nullptr, nullptr});
  }

  const std::vector<const FieldDecl *> &fieldsCopied(const CXXRecordDecl *RD, unsigned Depth = 0) {
    RD = RD->getDefinition() ? RD->getDefinition() : RD;
    auto [It, New] = Copied.try_emplace(RD);
    if (!New || !RD->hasDefinition() || Depth > 8)
      return It->second;
    std::vector<const FieldDecl *> Out;
    for (const CXXBaseSpecifier &B : RD->bases())
      if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
        llvm::append_range(Out, fieldsCopied(Base, Depth + 1));
    for (const FieldDecl *Field : RD->fields()) {
      Out.push_back(Field);
      if (const CXXRecordDecl *Member = Field->getType()->getAsCXXRecordDecl())
        llvm::append_range(Out, fieldsCopied(Member, Depth + 1));
    }
    // The map may have grown: find the entry again.
    return Copied[RD] = std::move(Out);
  }

  bool inSystemHeader(SourceLocation Loc) const { return SM.isInSystemHeader(SM.getExpansionLoc(Loc)); }

  void emit(const MemberStore &S) {
    if (S.Value && !inSystemHeader(S.Value->getBeginLoc()))
      Store(S);
  }

  const SourceManager &SM;
  llvm::function_ref<void(const MemberStore &)> Store;
  llvm::DenseMap<const CXXRecordDecl *, std::vector<const FieldDecl *>> Copied;
};

} // namespace

const Expr *storedValue(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = ignoreTemporaries(E);
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E);
    if (!CE || CE->getNumArgs() == 0)
      return E;
    E = CE->getArg(0);
  }
  return E;
}

std::string memberName(const FieldDecl *Field) {
  if (const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent()))
    return LockModel::qualifiedRecordName(RD) + "::" + Field->getNameAsString();
  return LockModel::qualifiedName(Field);
}

void forEachMemberStore(ASTContext &Ctx, llvm::function_ref<void(const MemberStore &)> Store) {
  const SourceManager &SM = Ctx.getSourceManager();
  MemberStoreFinder Finder(SM, Store);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (!SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      Finder.TraverseDecl(D);
}

} // namespace lockgraph
