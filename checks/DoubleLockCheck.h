//===- DoubleLockCheck.h - lockgraph-double-lock ---------------------------===//
//
// Reports a non-recursive mutex locked by a thread that already holds it,
// directly or through a chain of calls (a self-deadlock), and a shared lock
// upgraded to exclusive (or an exclusive one re-locked shared) on the same
// shared mutex. Re-entering a recursive mutex is not reported.
//
// Docs: docs/checks/lockgraph-double-lock.md
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_DOUBLELOCKCHECK_H
#define LOCKGRAPH_DOUBLELOCKCHECK_H

#include "LockReportCheck.h"
#include "analysis/LockOrderLinker.h"

namespace lockgraph {

class DoubleLockCheck : public LockReportCheck {
public:
  DoubleLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : LockReportCheck(Name, Context, DoubleLockCheckName) {}
};

} // namespace lockgraph

#endif
