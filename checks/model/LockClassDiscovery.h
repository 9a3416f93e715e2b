//===- LockClassDiscovery.h - A project's own mutex classes, found ---------===//
//
// Real projects wrap their mutexes: `port::Mutex` with `Lock()`/`Unlock()`
// around a `pthread_mutex_t`, an `InstrumentedMutex` around that, a
// `CriticalSection` that makes its mutex recursive in its constructor. This
// finds such classes without configuration (docs/lock-model.md):
//
//   - by their bodies: a member function leaves a mutex the class owns (a
//     data member) held, and another releases it;
//   - by their shape, where the bodies are not in this translation unit: a
//     `Lock`/`Unlock`, `lock`/`unlock`, `Acquire`/`Release`, `Enter`/`Leave`
//     pair of member functions without required arguments;
//   - by inheritance: a class derived from a mutex class is one.
//
// A discovered class is a mutex of its own: its identity is the wrapper
// object, not the mutex inside it.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_MODEL_LOCKCLASSDISCOVERY_H
#define LOCKGRAPH_MODEL_LOCKCLASSDISCOVERY_H

#include "model/LockModel.h"
#include "model/MutexOps.h"

#include "llvm/ADT/DenseMap.h"

namespace lockgraph {

/// Why a class was taken for a mutex.
enum class DiscoveryEvidence {
  Body,    ///< its member functions lock and unlock a mutex it owns
  Shape,   ///< a lock/unlock pair whose bodies are elsewhere
  Base,    ///< it derives from a mutex class
};

struct DiscoveredLock {
  MutexKind Kind = MutexKind::Plain;
  DiscoveryEvidence How = DiscoveryEvidence::Body;
  /// What each member function found by its body does to the wrapper;
  /// functions found by name or attribute are not listed.
  llvm::DenseMap<const clang::CXXMethodDecl *, MutexOp> Operations;
  /// The discovered mutex class this one wraps (the member its bodies lock,
  /// or the base it derives from), if any: what another unit learns about
  /// that class (it is recursive, it is no lock) holds for this one too.
  const clang::CXXRecordDecl *Wraps = nullptr;
};

/// Decides whether \p RD is a project mutex. \p Model answers for the
/// types of its members (a wrapper of a wrapper); it must not ask about
/// \p RD itself (LockModel breaks that cycle).
std::optional<DiscoveredLock> discoverLockClass(const clang::CXXRecordDecl *RD, const LockModel &Model);

/// Whether \p RD has a lock/unlock pair by the shape rule whose bodies are
/// all in this translation unit and make no mutex: the verdict of those
/// bodies overrules the shape rule units without them apply (the
/// whole-program link reconciles them). Asked only of classes that are not
/// mutexes here.
bool shapeRefutedByBodies(const clang::CXXRecordDecl *RD, const LockModel &Model);

/// Whether a constructor of \p RD makes its mutex recursive
/// (`pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE)`).
bool constructorMakesRecursive(const clang::CXXRecordDecl *RD);

/// The name of a discovery's evidence, as the facts and docs spell it.
const char *evidenceName(DiscoveryEvidence How);

} // namespace lockgraph

#endif
