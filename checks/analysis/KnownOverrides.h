//===- KnownOverrides.h - Virtual calls whose every override is harmless ---===//
//
// A virtual call on another object runs code the caller does not control —
// unless every override that can run is known and does nothing a lock
// holder must fear: a getter, a `reinterpret_cast` converter, a `new`
// factory. The overrides are all known when the method's class is defined
// in the main file (no other translation unit can derive from it) or has
// internal linkage. An override is harmless when its body calls nothing
// but the standard library's std::move/std::forward/std::addressof and
// constructs no lock guard; any other call (which may lock, block or run a
// callback) makes it unknown.
//
// The same rule serves the whole-program link: each unit's facts say, per
// virtual method it defines, whether that implementation is harmless, so
// that a hierarchy declared in a header and implemented across files is
// decided once every file is known (docs/whole-program.md).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_KNOWNOVERRIDES_H
#define LOCKGRAPH_ANALYSIS_KNOWNOVERRIDES_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class CXXMethodDecl;
} // namespace clang

namespace lockgraph {

/// Whether \p Impl, one implementation a virtual call may run, does
/// nothing a lock holder must fear (the rule above). A pure virtual method
/// never runs: harmless. One with no body here is unknown: not harmless.
bool isHarmlessImplementation(const clang::CXXMethodDecl *Impl);

class KnownOverrides {
public:
  explicit KnownOverrides(clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// Whether every implementation \p Method can dispatch to is known and
  /// harmless.
  bool allHarmless(const clang::CXXMethodDecl *Method);

  /// The overrides of \p Method (transitively) this unit declares but
  /// does not define: their code is elsewhere, if anywhere.
  llvm::SmallVector<const clang::CXXMethodDecl *, 2> undefinedOverriders(const clang::CXXMethodDecl *Method);

private:
  void index();
  /// Calls \p Visit on \p Method and every override of it this unit
  /// declares, transitively, until it returns false; says whether none did.
  bool allImplementations(const clang::CXXMethodDecl *Method,
                          llvm::function_ref<bool(const clang::CXXMethodDecl *)> Visit);

  clang::ASTContext &Ctx;
  bool Indexed = false;
  /// Canonical method → the methods that override it directly.
  llvm::DenseMap<const clang::CXXMethodDecl *, llvm::SmallVector<const clang::CXXMethodDecl *, 2>> Overriders;
};

} // namespace lockgraph

#endif
