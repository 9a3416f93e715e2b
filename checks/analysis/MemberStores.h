//===- MemberStores.h - Every value a unit stores into a data member -------===//
//
// What the program puts into a member decides what is reached through it:
// the functions stored into a callable member are what a call through it
// runs (StoredCallableFact), the locks whose address is stored into a
// pointer member are what a lock through it takes (LockPointerStoreFact).
// Both read the stores one walk of the unit finds, wherever the unit's own
// code makes them (not in system headers): assignments, constructors'
// member initializers, default member initializers, aggregate
// initializers, and copies made by defaulted copy and move operations.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_MEMBERSTORES_H
#define LOCKGRAPH_ANALYSIS_MEMBERSTORES_H

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>

namespace lockgraph {

struct MemberStore {
  enum class How {
    Assignment,             ///< `info->lock = &mu_;`, `cb_ = [..]{..};`
    ConstructorInitializer, ///< `lock_(&other.mu_)`, as written
    DefaultInitializer,     ///< `Mutex *lock_ = &mu_;`
    AggregateInitializer,   ///< `Info{&mu_}`, `Info{.lock = &mu_}`
    DefaultedCopy,          ///< `Info b = a;` with an implicit or defaulted copy
  };
  How Kind;
  const clang::FieldDecl *Field;
  /// The value stored; null for a defaulted copy (the copied object's own).
  const clang::Expr *Value;
  /// The object whose member is set, as written (`info` in `info->lock =
  /// ...`, `this` implicitly); null when it is not named: the object a
  /// constructor builds (initializers) or a new or copied object.
  const clang::Expr *Holder;
  /// Whether the member belongs to the object a constructor is building
  /// (constructor and default member initializers): `this` of the values.
  bool OnObjectBuilt = false;
  /// For a constructor initializer, its constructor.
  const clang::CXXConstructorDecl *Constructor = nullptr;
};

/// The value \p E stores, seen through parentheses, implicit conversions,
/// temporaries and the construction of the member's type from it (a
/// std::function from a lambda, a std::reference_wrapper from a lock).
const clang::Expr *storedValue(const clang::Expr *E);

/// A member's name across the program: "ns::Class::member".
std::string memberName(const clang::FieldDecl *Field);

/// Calls \p Store for every store into a data member made in \p Ctx's unit
/// outside system headers, including in template instantiations and lambdas.
void forEachMemberStore(clang::ASTContext &Ctx, llvm::function_ref<void(const MemberStore &)> Store);

} // namespace lockgraph

#endif
