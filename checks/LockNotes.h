//===- LockNotes.h - Naming held locks and pointing at their acquisitions ---===//
//
// The critical-section checks all say "while holding lock 'm'" and then
// point at where 'm' was taken and, for findings inside callees, walk the
// call chain down to the call that matters. One implementation for all.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_LOCKNOTES_H
#define LOCKGRAPH_LOCKNOTES_H

#include "analysis/CallSiteSummaries.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace lockgraph {

/// "lock 'm'" or "locks 'a' and 'b'".
std::string describeLocks(llvm::ArrayRef<const HeldLock *> Locks);

/// Locks held on every path and not waiting on a try-lock outcome: the
/// only ones these checks report, so correlated branches cannot mislead.
std::vector<const HeldLock *> surelyHeld(const Lockset &Before);

/// A note at each lock's acquisition ("'m' acquired here"), followed by
/// \p Advice when it is not empty.
void noteAcquisitions(clang::tidy::ClangTidyCheck &Check, llvm::ArrayRef<const HeldLock *> Locks,
                      llvm::StringRef Advice = {});

/// Notes from the call in \p First's function down to the call of
/// interest: "'f' calls 'g' here", then \p DescribeEnd for the last step.
void noteCallChain(clang::tidy::ClangTidyCheck &Check, const SiteSummary *First,
                   llvm::function_ref<std::string(const DirectSite &)> DescribeEnd);

/// A function's name as messages show it ("Service::flush").
std::string functionName(const clang::FunctionDecl *FD);

} // namespace lockgraph

#endif
