//===- IoLocks.cpp --------------------------------------------------------===//

#include "analysis/IoLocks.h"
#include "model/LockModel.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace lockgraph {
namespace {

/// The key of the object that holds the member \p L names, or empty.
std::string ownerKey(const LockExpr &L) {
  if (L.isBareRoot())
    return {};
  size_t Dot = L.key().rfind('.');
  return Dot == std::string::npos ? std::string() : L.key().substr(0, Dot);
}

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

bool serialisesIo(const HeldLock &Held, const CallExpr *Call, const ASTContext &Ctx) {
  if (!Call)
    return false;
  std::string LockOwner = ownerKey(Held.Lock);
  if (LockOwner.empty())
    return false;
  llvm::SmallVector<const Expr *, 6> Operands(Call->arguments());
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Operands.push_back(MC->getImplicitObjectArgument());
  for (unsigned I = 0; I < Operands.size(); ++I) {
    const Expr *Operand = Operands[I];
    if (!Operand || !isStreamOperand(Operand, Call, I))
      continue;
    std::optional<LockExpr> Stream = LockExpr::fromExpr(Operand, Ctx);
    if (Stream && Stream->lastMember() && ownerKey(*Stream) == LockOwner)
      return true;
  }
  return false;
}

} // namespace lockgraph
