// The pthread entry points of an unmodified program, wrapped. Each wrapper
// finds the lock's state, tells the detector, and calls the real function;
// anything unusual (runtime not ready, the runtime's own calls, a full
// table) falls through to the real function untouched.
#include "detector.h"
#include "lock_table.h"
#include "program_site.h"
#include "real_functions.h"
#include "thread_state.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>

using lockgraph::preload::findLock;
using lockgraph::preload::findOrAddLock;
using lockgraph::preload::real;
using lockgraph::rt::Access;
using lockgraph::rt::LockKind;
using lockgraph::rt::LockOrigin;
using lockgraph::rt::LockState;
using lockgraph::rt::SiteScope;

extern "C" void __libc_free(void*);

namespace {

constexpr Access kWrite = Access::exclusive;
constexpr Access kRead = Access::shared;

bool observing() {
  if (!lockgraph::rt::initializeUnlessInProgress())
    return false;
  lockgraph::rt::ThreadState* t = lockgraph::rt::currentThreadIfAny();
  return t == nullptr || !t->inRuntime;
}

LockState* observedMutex(pthread_mutex_t* m) {
  if (!observing())
    return nullptr;
  if (LockState* s = findLock(m))
    return s;
  // glibc's mutex kind: type in the low two bits (0 normal, 1 recursive,
  // 2 error checking, 3 adaptive), then robust / PI / PP flags.
  int kind = m->__data.__kind;
  int type = kind & 3;
  LockKind k = type == PTHREAD_MUTEX_RECURSIVE ? LockKind::recursive : LockKind::plain;
  std::uint8_t flags = type == PTHREAD_MUTEX_ERRORCHECK ? lockgraph::rt::kRelockFails : 0;
  if (kind & (16 | 32 | 64))
    flags |= lockgraph::rt::kLockMayFail;
  return findOrAddLock(m, LockOrigin::pthreadMutex, k, flags);
}

LockState* observedRwlock(pthread_rwlock_t* l) {
  if (!observing())
    return nullptr;
  if (LockState* s = findLock(l))
    return s;
  return findOrAddLock(l, LockOrigin::pthreadRwlock, LockKind::shared, 0);
}

// A spin lock is one volatile int, whose value for "unlocked" differs by
// architecture (x86-64 glibc: 1); whether one is held comes from the
// threads' records, as for rwlocks.
const void* spinAddress(pthread_spinlock_t* l) { return const_cast<const int*>(l); }

LockState* observedSpinlock(pthread_spinlock_t* l) {
  if (!observing())
    return nullptr;
  if (LockState* s = findLock(spinAddress(l)))
    return s;
  return findOrAddLock(spinAddress(l), LockOrigin::pthreadSpinlock, LockKind::plain,
                       lockgraph::rt::kSpinLock);
}

bool acquiredCode(int rc) { return rc == 0 || rc == EOWNERDEAD; }

// The lock is going away: report it if held, and drop its graph node so a
// new lock at the same address starts clean.
void forget(const void* address, LockState* s, bool locked, const void* pc) {
  lockgraph::rt::onDestroyed(*s, locked, pc);
  lockgraph::preload::removeLock(address);
}

bool heldByAnyThread(LockState* s) { return lockgraph::rt::lockHolderTid(*s) != 0; }

bool lockedByAnyone(const void* address, LockState* s) {
  if (s->kind == LockKind::shared || (s->flags & lockgraph::rt::kSpinLock))
    return heldByAnyThread(s);
  return static_cast<const pthread_mutex_t*>(address)->__data.__lock != 0;
}

// Memory that held locks is going away: freed (still readable now), or a
// library's, already unmapped, when whether a lock is held must come from
// the threads' records.
void forgetLocksIn(const void* begin, std::size_t size, bool readable, const void* pc) {
  lockgraph::preload::forEachLockIn(begin, size, [=](const void* address, LockState* s) {
    bool locked = readable ? lockedByAnyone(address, s) : lockgraph::rt::lockHolderTid(*s) != 0;
    forget(address, s, locked, pc);
  });
}

// The writable segments of a loaded object, where its static locks live.
struct ObjectSegments {
  static constexpr int kMax = 8;
  std::uintptr_t base;
  char name[512];
  std::uintptr_t begin[kMax];
  std::size_t size[kMax];
  int count;
};

int collectWritableSegments(dl_phdr_info* info, std::size_t, void* data) {
  auto* out = static_cast<ObjectSegments*>(data);
  if (info->dlpi_addr != out->base || std::strcmp(info->dlpi_name, out->name) != 0)
    return 0;
  for (int i = 0; i < info->dlpi_phnum && out->count < ObjectSegments::kMax; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W)) {
      out->begin[out->count] = info->dlpi_addr + ph.p_vaddr;
      out->size[out->count++] = ph.p_memsz;
    }
  }
  return 1;
}

int findLoadedObject(dl_phdr_info* info, std::size_t, void* data) {
  auto* wanted = static_cast<ObjectSegments*>(data);
  return info->dlpi_addr == wanted->base && std::strcmp(info->dlpi_name, wanted->name) == 0;
}

int mayFailAcquire(LockState* s, const void* object, Access access, int rc, const void* pc) {
  if (s && acquiredCode(rc))
    lockgraph::rt::onAcquired(*s, access, true, pc, object);
  return rc;
}


} // namespace

#define CALLER_PC __builtin_return_address(0)

// Only the interceptors are exported; the runtime is hidden inside the
// library (compiled with -fvisibility=hidden), so its calls stay direct.
#define INTERCEPTOR __attribute__((visibility("default")))

extern "C" {

// Memory being initialized may be anything, such as a stack frame's
// leftovers where a lock of a returned function lived: whether the old
// lock is held comes from the threads' records, not from that memory.
INTERCEPTOR int pthread_mutex_init(pthread_mutex_t* m, const pthread_mutexattr_t* attr) {
  if (observing())
    if (LockState* s = findLock(m))
      forget(m, s, heldByAnyThread(s), CALLER_PC);
  return real().mutex_init(m, attr);
}

INTERCEPTOR int pthread_mutex_destroy(pthread_mutex_t* m) {
  if (observing())
    if (LockState* s = findLock(m))
      forget(m, s, m->__data.__lock != 0, CALLER_PC);
  return real().mutex_destroy(m);
}

namespace {
__attribute__((noinline)) int lockMutexGeneral(pthread_mutex_t* m, const void* pc, const void* cfa) {
  LockState* s = observedMutex(m);
  if (s == nullptr)
    return real().mutex_lock(m);
  SiteScope site(pc, cfa);
  if (lockgraph::rt::recordPlainAcquireSettled(lockgraph::rt::currentThreadIfAny(), *s, pc, m))
    return real().mutex_lock(m);
  return lockgraph::rt::acquireBlocking(
      *s, kWrite, pc, [&] { return real().mutex_trylock(m); }, [&] { return real().mutex_lock(m); }, m);
}

__attribute__((noinline)) int unlockMutexGeneral(pthread_mutex_t* m, const void* pc) {
  if (LockState* s = observedMutex(m))
    lockgraph::rt::onReleased(*s, &kWrite, pc);
  return real().mutex_unlock(m);
}
} // namespace

// The steady state ends in a tail call to the real function; see
// recordPlainAcquireFast.
INTERCEPTOR int pthread_mutex_lock(pthread_mutex_t* m) {
  if (LockState* s = findLock(m))
    if (lockgraph::rt::recordPlainAcquireFast(lockgraph::rt::currentThreadIfAny(), *s, CALLER_PC, m))
      return real().mutex_lock(m);
  return lockMutexGeneral(m, CALLER_PC, LOCKGRAPH_ENTRY_CFA);
}

INTERCEPTOR int pthread_mutex_trylock(pthread_mutex_t* m) {
  LockState* s = observedMutex(m);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, m, kWrite, real().mutex_trylock(m), CALLER_PC);
}

INTERCEPTOR int pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* deadline) {
  LockState* s = observedMutex(m);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, m, kWrite, real().mutex_timedlock(m, deadline), CALLER_PC);
}

INTERCEPTOR int pthread_mutex_clocklock(pthread_mutex_t* m, clockid_t clock, const struct timespec* deadline) {
  LockState* s = observedMutex(m);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, m, kWrite, real().mutex_clocklock(m, clock, deadline), CALLER_PC);
}

INTERCEPTOR int pthread_mutex_unlock(pthread_mutex_t* m) {
  if (lockgraph::rt::recordReleaseFast(lockgraph::rt::currentThreadIfAny(), m))
    return real().mutex_unlock(m);
  return unlockMutexGeneral(m, CALLER_PC);
}

INTERCEPTOR int pthread_rwlock_init(pthread_rwlock_t* l, const pthread_rwlockattr_t* attr) {
  if (observing())
    if (LockState* s = findLock(l))
      forget(l, s, heldByAnyThread(s), CALLER_PC);
  return real().rwlock_init(l, attr);
}

INTERCEPTOR int pthread_rwlock_destroy(pthread_rwlock_t* l) {
  if (observing())
    if (LockState* s = findLock(l))
      forget(l, s, heldByAnyThread(s), CALLER_PC);
  return real().rwlock_destroy(l);
}

INTERCEPTOR int pthread_rwlock_rdlock(pthread_rwlock_t* l) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  if (s == nullptr)
    return real().rwlock_rdlock(l);
  return lockgraph::rt::acquireBlocking(
      *s, kRead, CALLER_PC, [&] { return real().rwlock_tryrdlock(l); },
      [&] { return real().rwlock_rdlock(l); }, l);
}

INTERCEPTOR int pthread_rwlock_wrlock(pthread_rwlock_t* l) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  if (s == nullptr)
    return real().rwlock_wrlock(l);
  return lockgraph::rt::acquireBlocking(
      *s, kWrite, CALLER_PC, [&] { return real().rwlock_trywrlock(l); },
      [&] { return real().rwlock_wrlock(l); }, l);
}

INTERCEPTOR int pthread_rwlock_tryrdlock(pthread_rwlock_t* l) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, l, kRead, real().rwlock_tryrdlock(l), CALLER_PC);
}

INTERCEPTOR int pthread_rwlock_trywrlock(pthread_rwlock_t* l) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, l, kWrite, real().rwlock_trywrlock(l), CALLER_PC);
}

INTERCEPTOR int pthread_rwlock_timedrdlock(pthread_rwlock_t* l, const struct timespec* deadline) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, l, kRead, real().rwlock_timedrdlock(l, deadline), CALLER_PC);
}

INTERCEPTOR int pthread_rwlock_timedwrlock(pthread_rwlock_t* l, const struct timespec* deadline) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, l, kWrite, real().rwlock_timedwrlock(l, deadline), CALLER_PC);
}

INTERCEPTOR int pthread_rwlock_clockrdlock(pthread_rwlock_t* l, clockid_t clock, const struct timespec* deadline) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, l, kRead, real().rwlock_clockrdlock(l, clock, deadline), CALLER_PC);
}

INTERCEPTOR int pthread_rwlock_clockwrlock(pthread_rwlock_t* l, clockid_t clock, const struct timespec* deadline) {
  LockState* s = observedRwlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, l, kWrite, real().rwlock_clockwrlock(l, clock, deadline), CALLER_PC);
}

INTERCEPTOR int pthread_rwlock_unlock(pthread_rwlock_t* l) {
  LockState* s = lockgraph::rt::topHeldLockFor(l);
  if (s == nullptr)
    s = observedRwlock(l);
  if (s)
    lockgraph::rt::onReleased(*s, nullptr, CALLER_PC); // the call does not say which side
  return real().rwlock_unlock(l);
}

// Spin locks, checked like plain mutexes (they always take the general
// path: see kSpinLock).
INTERCEPTOR int pthread_spin_init(pthread_spinlock_t* l, int shared) {
  if (observing())
    if (LockState* s = findLock(spinAddress(l)))
      forget(spinAddress(l), s, heldByAnyThread(s), CALLER_PC);
  return real().spin_init(l, shared);
}

INTERCEPTOR int pthread_spin_destroy(pthread_spinlock_t* l) {
  if (observing())
    if (LockState* s = findLock(spinAddress(l)))
      forget(spinAddress(l), s, heldByAnyThread(s), CALLER_PC);
  return real().spin_destroy(l);
}

INTERCEPTOR int pthread_spin_lock(pthread_spinlock_t* l) {
  LockState* s = observedSpinlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  if (s == nullptr)
    return real().spin_lock(l);
  return lockgraph::rt::acquireBlocking(
      *s, kWrite, CALLER_PC, [&] { return real().spin_trylock(l); },
      [&] { return real().spin_lock(l); }, spinAddress(l));
}

INTERCEPTOR int pthread_spin_trylock(pthread_spinlock_t* l) {
  LockState* s = observedSpinlock(l);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  return mayFailAcquire(s, spinAddress(l), kWrite, real().spin_trylock(l), CALLER_PC);
}

INTERCEPTOR int pthread_spin_unlock(pthread_spinlock_t* l) {
  LockState* s = lockgraph::rt::topHeldLockFor(spinAddress(l));
  if (s == nullptr)
    s = observedSpinlock(l);
  if (s)
    lockgraph::rt::onReleased(*s, &kWrite, CALLER_PC);
  return real().spin_unlock(l);
}

// A wait releases the mutex and takes it again before returning; the
// re-acquisition is ordered after whatever else the thread still holds.
INTERCEPTOR int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  LockState* s = observedMutex(m);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  if (s)
    lockgraph::rt::onReleased(*s, &kWrite, CALLER_PC);
  int rc = real().cond_wait(c, m);
  if (s)
    lockgraph::rt::onAcquired(*s, kWrite, false, CALLER_PC, m);
  return rc;
}

INTERCEPTOR int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m, const struct timespec* deadline) {
  LockState* s = observedMutex(m);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  if (s)
    lockgraph::rt::onReleased(*s, &kWrite, CALLER_PC);
  int rc = real().cond_timedwait(c, m, deadline);
  if (s)
    lockgraph::rt::onAcquired(*s, kWrite, false, CALLER_PC, m);
  return rc;
}

INTERCEPTOR int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                           const struct timespec* deadline) {
  LockState* s = observedMutex(m);
  SiteScope site(CALLER_PC, LOCKGRAPH_ENTRY_CFA);
  if (s)
    lockgraph::rt::onReleased(*s, &kWrite, CALLER_PC);
  int rc = real().cond_clockwait(c, m, clock, deadline);
  if (s)
    lockgraph::rt::onAcquired(*s, kWrite, false, CALLER_PC, m);
  return rc;
}

// std::mutex has a trivial destructor, so heap memory that held one is
// simply freed: forget the locks inside it, or a new lock at the same
// address would inherit the old one's orderings.
INTERCEPTOR void free(void* p) {
  if (lockgraph::preload::resolvingOnThisThread()) {
    __libc_free(p);
    return;
  }
  if (p != nullptr) {
    std::size_t size = malloc_usable_size(p);
    const void* pc = CALLER_PC;
    if (lockgraph::preload::mayContainLocks(p, size) && observing())
      forgetLocksIn(p, size, true, pc);
  }
  real().free(p);
}

// A library's static locks are never destroyed; when dlclose unmaps it,
// forget them, or a library loaded later at the same address would
// inherit their orderings.
INTERCEPTOR int dlclose(void* handle) {
  ObjectSegments segments{};
  link_map* map = nullptr;
  bool watched = observing() && dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr &&
                 std::strlen(map->l_name) < sizeof(segments.name);
  if (watched) {
    segments.base = map->l_addr;
    std::strcpy(segments.name, map->l_name);
    dl_iterate_phdr(collectWritableSegments, &segments);
  }
  int rc = real().dlclose(handle);
  // Still loaded (other handles, or RTLD_NODELETE): its locks live on.
  if (watched && segments.count > 0 && dl_iterate_phdr(findLoadedObject, &segments) == 0)
    for (int i = 0; i < segments.count; ++i)
      forgetLocksIn(reinterpret_cast<const void*>(segments.begin[i]), segments.size[i], false,
                    CALLER_PC);
  return rc;
}

} // extern "C"
