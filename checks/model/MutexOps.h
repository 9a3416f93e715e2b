//===- MutexOps.h - What a call does to a mutex, by name or annotation ----===//
//
// One table of lock operations, shared by the event extractor (which turns
// calls into lock events) and by lock-class discovery (which reads the
// bodies of a project's own mutex classes).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_MODEL_MUTEXOPS_H
#define LOCKGRAPH_MODEL_MUTEXOPS_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/StringRef.h"

namespace lockgraph {

/// What a call does to the mutex it is made on.
enum class MutexOp { None, Lock, LockShared, TryLock, TryLockShared, Unlock, UnlockShared };

inline bool isAcquiring(MutexOp Op) { return Op != MutexOp::None && Op != MutexOp::Unlock && Op != MutexOp::UnlockShared; }
inline bool isReleasing(MutexOp Op) { return Op == MutexOp::Unlock || Op == MutexOp::UnlockShared; }

/// A member function of a mutex by its name: `lock`, `Lock`, `Acquire`,
/// `Enter`, `ReaderLock`, `try_lock_for`, `unlock`, `Release`, `Leave`, ...
MutexOp mutexOpByName(llvm::StringRef Name);

/// A function by its thread-safety attributes; these win over names.
MutexOp mutexOpByAttributes(const clang::FunctionDecl *FD);

/// The POSIX lock functions (`pthread_mutex_lock`, `pthread_rwlock_rdlock`,
/// `pthread_spin_unlock`, ...): their first argument is the lock.
MutexOp posixMutexOp(const clang::FunctionDecl *FD);

} // namespace lockgraph

#endif
