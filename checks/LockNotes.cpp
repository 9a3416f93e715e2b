//===- LockNotes.cpp ------------------------------------------------------===//

#include "LockNotes.h"

#include "clang/AST/Decl.h"

using namespace clang;

namespace lockgraph {

std::string describeLocks(llvm::ArrayRef<const HeldLock *> Locks) {
  std::string Out = Locks.size() == 1 ? "lock " : "locks ";
  for (size_t I = 0; I < Locks.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Locks.size() ? " and " : ", ";
    Out += "'" + Locks[I]->Lock.spelling() + "'";
  }
  return Out;
}

std::vector<const HeldLock *> surelyHeld(const Lockset &Before) {
  std::vector<const HeldLock *> Out;
  for (const HeldLock &H : Before.held())
    if (H.Definitely && H.PendingTry.empty())
      Out.push_back(&H);
  return Out;
}

std::string functionName(const FunctionDecl *FD) {
  if (!FD)
    return "<unknown>";
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD); Method && Method->getParent()->isLambda())
    return "lambda";
  return FD->getQualifiedNameAsString();
}

void noteAcquisitions(tidy::ClangTidyCheck &Check, llvm::ArrayRef<const HeldLock *> Locks,
                      llvm::StringRef Advice) {
  for (const HeldLock *H : Locks) {
    if (H->AcquiredAt.isInvalid())
      continue;
    std::string Text = "'" + H->Lock.spelling() + "' acquired here";
    if (H->Via)
      Text += " by the call to '" + functionName(H->Via) + "'";
    if (!Advice.empty())
      Text += "; " + Advice.str();
    Check.diag(H->AcquiredAt, "%0", DiagnosticIDs::Note) << Text;
  }
}

void noteCallChain(tidy::ClangTidyCheck &Check, const SiteSummary *First,
                   llvm::function_ref<std::string(const DirectSite &)> DescribeEnd) {
  // Chains are bounded by the summaries' depth limit; the counter only
  // protects against a cycle that should not exist.
  for (unsigned Steps = 0; First && Steps < 16; ++Steps, First = First->Inner) {
    if (First->Callee)
      Check.diag(First->Loc, "'%0' calls '%1' here", DiagnosticIDs::Note)
          << functionName(First->Function) << functionName(First->Callee);
    else
      Check.diag(First->Loc, "%0", DiagnosticIDs::Note) << DescribeEnd(First->Direct);
  }
}

} // namespace lockgraph
