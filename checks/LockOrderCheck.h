//===- LockOrderCheck.h - lockgraph-lock-order -----------------------------===//
//
// Reports every cycle in the lock-order graph: locks taken in one order on
// one path and in another order on another, directly or through calls, so
// that two threads can each hold one and wait for the other. Also reports
// two instances of one lock class nested in an order the caller chooses
// (`transfer(from, to)`). Within one translation unit under clang-tidy;
// across the whole program under `lockgraph check -p`.
//
// Docs: docs/checks/lockgraph-lock-order.md
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_LOCKORDERCHECK_H
#define LOCKGRAPH_LOCKORDERCHECK_H

#include "LockReportCheck.h"
#include "analysis/LockOrderLinker.h"

namespace lockgraph {

class LockOrderCheck : public LockReportCheck {
public:
  LockOrderCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : LockReportCheck(Name, Context, LockOrderCheckName) {}
};

} // namespace lockgraph

#endif
