//===- MutexOps.cpp -------------------------------------------------------===//

#include "model/MutexOps.h"

#include "clang/AST/Attr.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace lockgraph {

MutexOp mutexOpByName(llvm::StringRef Name) {
  return llvm::StringSwitch<MutexOp>(Name)
      .Cases("lock", "Lock", "WriterLock", "lockForWrite", MutexOp::Lock)
      .Cases("WriteLock", "Acquire", "Enter", MutexOp::Lock)
      .Cases("lock_shared", "ReaderLock", "lockForRead", "ReadLock", MutexOp::LockShared)
      .Cases("try_lock", "try_lock_for", "try_lock_until", "TryLock", MutexOp::TryLock)
      .Cases("WriterTryLock", "tryLock", "tryLockForWrite", "TryEnter", MutexOp::TryLock)
      .Cases("try_lock_shared", "try_lock_shared_for", "try_lock_shared_until", MutexOp::TryLockShared)
      .Cases("ReaderTryLock", "tryLockForRead", MutexOp::TryLockShared)
      .Cases("unlock", "Unlock", "WriterUnlock", "WriteUnlock", MutexOp::Unlock)
      .Cases("Release", "Leave", MutexOp::Unlock)
      .Cases("unlock_shared", "ReaderUnlock", "ReadUnlock", MutexOp::UnlockShared)
      .Default(MutexOp::None);
}

MutexOp mutexOpByAttributes(const FunctionDecl *FD) {
  if (const auto *A = FD->getAttr<AcquireCapabilityAttr>())
    return A->isShared() ? MutexOp::LockShared : MutexOp::Lock;
  if (const auto *A = FD->getAttr<TryAcquireCapabilityAttr>())
    return A->isShared() ? MutexOp::TryLockShared : MutexOp::TryLock;
  if (const auto *A = FD->getAttr<ReleaseCapabilityAttr>())
    return A->isShared() ? MutexOp::UnlockShared : MutexOp::Unlock;
  return MutexOp::None;
}

namespace {
struct PosixOp {
  const char *Name;
  MutexOp Op;
};

constexpr PosixOp PosixOps[] = {
    {"pthread_mutex_lock", MutexOp::Lock},          {"pthread_mutex_trylock", MutexOp::TryLock},
    {"pthread_mutex_timedlock", MutexOp::TryLock},  {"pthread_mutex_clocklock", MutexOp::TryLock},
    {"pthread_mutex_unlock", MutexOp::Unlock},      {"pthread_rwlock_wrlock", MutexOp::Lock},
    {"pthread_rwlock_rdlock", MutexOp::LockShared}, {"pthread_rwlock_trywrlock", MutexOp::TryLock},
    {"pthread_rwlock_tryrdlock", MutexOp::TryLockShared},
    {"pthread_rwlock_timedwrlock", MutexOp::TryLock},
    {"pthread_rwlock_timedrdlock", MutexOp::TryLockShared},
    {"pthread_rwlock_unlock", MutexOp::Unlock},     {"pthread_spin_lock", MutexOp::Lock},
    {"pthread_spin_trylock", MutexOp::TryLock},     {"pthread_spin_unlock", MutexOp::Unlock},
};
} // namespace

MutexOp posixMutexOp(const FunctionDecl *FD) {
  if (!FD->getIdentifier())
    return MutexOp::None;
  for (const PosixOp &P : PosixOps)
    if (FD->getName() == P.Name)
      return P.Op;
  return MutexOp::None;
}

} // namespace lockgraph
