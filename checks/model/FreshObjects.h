//===- FreshObjects.h - Objects no other thread can see yet ----------------===//
//
// A lock of an object that only the current thread can reach cannot make
// anyone wait: locking it orders nothing and guards nothing another thread
// contends. Two such objects are recognised:
//   - the object a constructor is building (`this` in a constructor);
//   - an object reached from a local pointer that the function initialised
//     with `new`, `std::make_unique`, `std::make_shared`,
//     `std::allocate_shared` or a factory of the project's whose body only
//     returns one of these (`make_uniq<T>()`), and never assigned again.
// Publishing the object (storing `this` or the pointer somewhere another
// thread reads) before locking it is not looked for; see
// docs/lock-model.md.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_MODEL_FRESHOBJECTS_H
#define LOCKGRAPH_MODEL_FRESHOBJECTS_H

#include "model/LockExpr.h"

#include "llvm/ADT/DenseMap.h"

namespace clang {
class FunctionDecl;
class VarDecl;
} // namespace clang

namespace lockgraph {

class FreshObjects {
public:
  /// Whether \p L, named in \p InFunction, belongs to an object no other
  /// thread can see yet.
  bool isFresh(const LockExpr &L, const clang::FunctionDecl *InFunction);

private:
  bool isFreshPointer(const clang::VarDecl *VD, const clang::FunctionDecl *InFunction);
  llvm::DenseMap<const clang::VarDecl *, bool> Cache;
};

} // namespace lockgraph

#endif
