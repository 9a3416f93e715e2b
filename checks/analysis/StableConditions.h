//===- StableConditions.h - Branch conditions that read the same each time -===//
//
// `const bool need = ...; if (need) mu.Lock(); ...; if (need) mu.Unlock();`
// is balanced because `need` reads the same at both branches. A condition
// is stable when it reads only values the function never changes
// (parameters, locals and members of `this` that are not assigned,
// incremented or have their address taken, and are not declared in a
// loop), and calls nothing. Two stable conditions with the same structure
// have the same outcome wherever they are evaluated in one call.
//
// Used by the lockset analysis (locks taken under a condition) and by the
// unreleased-lock path walk.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_STABLECONDITIONS_H
#define LOCKGRAPH_ANALYSIS_STABLECONDITIONS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

#include <optional>
#include <set>

namespace lockgraph {

/// Variables and members that \p Body may change.
std::set<const clang::ValueDecl *> changedValues(const clang::Stmt *Body);

struct StableCondition {
  /// Equal for conditions of the same structure over the same values.
  unsigned Hash = 0;
  /// The condition was written negated (`!need`); Hash is of `need`.
  bool Negated = false;
  /// When the condition is a bare parameter (`if (need_lock)`), that
  /// parameter: callers passing a constant decide the branch.
  const clang::ParmVarDecl *Param = nullptr;
};

/// \p Cond read as a stable condition, or nothing when it may read
/// differently at two places of the function.
std::optional<StableCondition> readStableCondition(const clang::Expr *Cond,
                                                   const std::set<const clang::ValueDecl *> &Changed,
                                                   clang::ASTContext &Ctx);

} // namespace lockgraph

#endif
