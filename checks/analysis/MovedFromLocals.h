//===- MovedFromLocals.h - Locals whose state a function moves out ---------===//
//
// `Conn local = take(); queue_.push(std::move(local));` — when `local` goes
// out of scope under a lock, its destructor runs on a moved-from object and
// releases nothing: whatever locks the destructor would take to tear down
// real state are not taken. The analysis does not track which moves happen
// on which path, so a local passed to std::move or std::forward anywhere in
// the function counts as moved-from at every destructor call (a missed
// edge at worst, never a false one).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_MOVEDFROMLOCALS_H
#define LOCKGRAPH_ANALYSIS_MOVEDFROMLOCALS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
class FunctionDecl;
class VarDecl;
} // namespace clang

namespace lockgraph {

class MovedFromLocals {
public:
  /// Whether \p VD, a local of \p InFunction, is moved from in it.
  bool isMovedFrom(const clang::VarDecl *VD, const clang::FunctionDecl *InFunction);

private:
  llvm::DenseMap<const clang::FunctionDecl *, llvm::DenseSet<const clang::VarDecl *>> Moved;
};

} // namespace lockgraph

#endif
