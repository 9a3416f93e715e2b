//===- IoLocks.cpp --------------------------------------------------------===//

#include "analysis/IoLocks.h"
#include "model/LockModel.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace lockgraph {
namespace {

/// A stream-like operand: a `FILE *`, a standard stream object, or the
/// descriptor argument of a POSIX call (`write(fd_, ...)`).
bool isStreamOperand(const Expr *E, const CallExpr *Call, unsigned Index) {
  QualType T = E->IgnoreParenImpCasts()->getType().getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    if (const RecordDecl *RD = PT->getPointeeType()->getAsRecordDecl())
      if (RD->getIdentifier() && (RD->getName() == "_IO_FILE" || RD->getName() == "FILE"))
        return true;
  if (T->isTypedefNameType() || T->isPointerType())
    if (T.getAsString().find("FILE") != std::string::npos)
      return true;
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl()) {
    std::string Name = LockModel::qualifiedRecordName(RD);
    if (llvm::StringRef(Name).starts_with("std::") && llvm::StringRef(Name).ends_with("stream"))
      return true;
  }
  const FunctionDecl *FD = Call->getDirectCallee();
  return Index == 0 && T->isIntegerType() && FD && FD->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

} // namespace

std::optional<LockExpr> ioStreamOf(const CallExpr *Call, const ASTContext &Ctx) {
  if (!Call)
    return std::nullopt;
  llvm::SmallVector<const Expr *, 6> Operands(Call->arguments());
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Operands.push_back(MC->getImplicitObjectArgument());
  for (unsigned I = 0; I < Operands.size(); ++I) {
    const Expr *Operand = Operands[I];
    if (!Operand || !isStreamOperand(Operand, Call, I))
      continue;
    if (std::optional<LockExpr> Stream = LockExpr::fromExpr(Operand, Ctx))
      return Stream;
  }
  return std::nullopt;
}

bool serialisesIo(const HeldLock &Held, const std::optional<LockExpr> &Stream) {
  if (const auto *VD = llvm::dyn_cast_or_null<VarDecl>(Held.Lock.rootDecl());
      VD && VD->isStaticLocal() && Held.Lock.isBareRoot())
    return true;
  std::string LockOwner = Held.Lock.ownerKey();
  return Stream && !LockOwner.empty() && Stream->ownerKey() == LockOwner;
}

} // namespace lockgraph
