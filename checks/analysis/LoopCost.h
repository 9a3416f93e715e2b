//===- LoopCost.h - Whether a loop does costly work ------------------------===//
//
// A loop under a lock is worth a finding when each iteration is costly, not
// merely because its trip count is unknown: copying the guarded map out,
// pruning expired entries from the guarded deque, or visiting every logger
// is the short critical section the checks recommend. Costly work is
//   - a call that blocks or does I/O (the blocking-under-lock catalogue);
//   - a nested loop whose trip count is not a small constant;
//   - sorting, regular expressions, formatting (CostOptions::CostlyFunctions)
//     or a linear search (std::find, std::count, ...);
//   - a call into code the function does not control (a function pointer,
//     a callable object of a type-erased type, a virtual call on another
//     object) or whose code is not visible (declared, not defined, outside
//     system headers);
//   - a call to a function defined here that does any of the above (looked
//     into three calls deep).
// Library calls (container operations, memcpy) and constructors are cheap,
// and so is what an assertion macro's body calls (its failure path), and a
// const call on a mutex that neither takes nor releases it and whose code
// is in another file (`mu.AssertHeld()`): the lock model says what the
// object is, and asking it about its own state is no iteration's work.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOOPCOST_H
#define LOCKGRAPH_ANALYSIS_LOOPCOST_H

#include "analysis/BlockingCalls.h"

#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

class LockModel;

class LoopCost {
public:
  LoopCost(clang::ASTContext &Ctx, const LockModel &Model, std::vector<std::string> CostlyFunctions,
           unsigned SmallTripCount);

  /// What makes one iteration of \p Loop costly, worded to follow "and"
  /// ("calls 'read', which performs file I/O"), or nothing for a cheap loop.
  std::optional<std::string> costlyWorkIn(const clang::Stmt *Loop);

  /// Names of functions that scan a whole range: a call in a loop nests a
  /// loop.
  static const std::vector<std::string> &linearSearches();

private:
  friend class IterationScanner;
  std::optional<std::string> costlyCall(const clang::CallExpr *Call, unsigned Depth);
  std::optional<std::string> costlyFunction(const clang::FunctionDecl *FD, unsigned Depth);
  std::optional<std::string> scan(const clang::Stmt *S, unsigned Depth, bool LoopsAreCostly);
  bool isSmallLoop(const clang::Stmt *Loop) const;
  bool queriesAMutex(const clang::CallExpr *Call) const;

  clang::ASTContext &Ctx;
  const LockModel &Model;
  std::vector<std::string> CostlyFunctions;
  unsigned SmallTripCount;
  BlockingCatalogue Blocking;
  llvm::DenseMap<const clang::FunctionDecl *, std::optional<std::string>> Memo;
};

} // namespace lockgraph

#endif
