//===- LockPointerStores.h - What a unit stores into lock pointer members --===//
//
// `info->merge_lock = &merge_lock_;`: a pointer member that the whole
// program only ever sets to one lock is that lock. One unit sees only its
// own stores; each becomes a fact (LockPointerStoreFact) saying which lock
// class it stores, whether that lock is a member of the object holding the
// pointer (`this->p_ = &this->mu_`), or that the value is nothing the unit
// can name. The link decides (FieldAliases.h).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOCKPOINTERSTORES_H
#define LOCKGRAPH_ANALYSIS_LOCKPOINTERSTORES_H

#include "analysis/LockOrderFacts.h"
#include "analysis/MemberStores.h"
#include "model/LockModel.h"

#include <optional>

namespace lockgraph {

class LockPointerStores {
public:
  LockPointerStores(const LockModel &Model, clang::ASTContext &Ctx) : Model(Model), Ctx(Ctx) {}

  /// \p S as a fact, when it stores into a pointer or reference member to
  /// a mutex declared in the project. A null pointer stores nothing, and a
  /// constructor's member set straight from its parameter is that
  /// constructor's `FieldParams`: neither is a fact.
  std::optional<LockPointerStoreFact> fact(const MemberStore &S) const;

private:
  bool pointsToLock(const clang::FieldDecl *Field) const;
  /// What the value names: the lock it is the address of, for a pointer.
  const clang::Expr *storedLock(const clang::FieldDecl *Field, const clang::Expr *Value) const;
  /// The key of the object holding the member, or empty when unnamed.
  std::string holderKey(const MemberStore &S) const;

  const LockModel &Model;
  clang::ASTContext &Ctx;
};

} // namespace lockgraph

#endif
