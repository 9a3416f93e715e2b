// The public instrumentation entry points of lockgraph/hooks.h. Each one
// takes its own return address as the acquisition site: that is the call
// in lockgraph/mutex.h, inlined into the program's function when optimized;
// called out of line (unoptimized), the site is the program's frame above
// it (SiteScope, program_site.h).
#include "async_owners.h"
#include "detector.h"

#include <lockgraph/hooks.h>

namespace lockgraph::detail {

#define LOCKGRAPH_CALLER_PC __builtin_return_address(0)

void register_lock(LockState& state, LockKind kind, const char* class_name,
                   const std::source_location& site) noexcept {
  rt::registerClass(state, kind, class_name, site.file_name(), static_cast<int>(site.line()),
                    static_cast<int>(site.column()));
}

void unregister_lock(LockState& state, bool still_locked) noexcept {
  rt::onDestroyed(state, still_locked, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) bool before_lock(LockState& state, AccessMode mode) noexcept {
  return rt::onBeforeLock(state, rt::toAccess(mode), LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) void begin_wait(LockState& state, AccessMode mode) noexcept {
  rt::onWaitBegin(state, rt::toAccess(mode), LOCKGRAPH_CALLER_PC);
}

void end_wait(LockState& state) noexcept { rt::onWaitEnd(state); }

__attribute__((noinline)) void acquired(LockState& state, AccessMode mode, bool may_fail) noexcept {
  rt::SiteScope site(LOCKGRAPH_ENTRY_PC, LOCKGRAPH_ENTRY_CFA);
  rt::onAcquired(state, rt::toAccess(mode), may_fail, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) void released(LockState& state, AccessMode mode) noexcept {
  rt::Access access = rt::toAccess(mode);
  rt::onReleased(state, &access, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) void async_acquired(LockState& state, const void* owner, AccessMode mode,
                                              bool may_fail) noexcept {
  rt::onAsyncAcquired(state, owner, rt::toAccess(mode), may_fail, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) void async_released(LockState& state, const void* owner, AccessMode mode) noexcept {
  rt::onAsyncReleased(state, owner, rt::toAccess(mode), LOCKGRAPH_CALLER_PC);
}

namespace {
__attribute__((noinline)) int lockMutexGeneral(LockState& state, pthread_mutex_t* m, const void* pc,
                                               const void* cfa) {
  rt::SiteScope site(pc, cfa);
  if (rt::recordPlainAcquireSettled(rt::currentThreadIfAny(), state, pc, m))
    return pthread_mutex_lock(m);
  return rt::acquireBlocking(
      state, rt::Access::exclusive, pc, [m] { return pthread_mutex_trylock(m); },
      [m] { return pthread_mutex_lock(m); }, m);
}

__attribute__((noinline)) int unlockMutexGeneral(LockState& state, pthread_mutex_t* m, const void* pc) {
  constexpr rt::Access exclusive = rt::Access::exclusive;
  rt::onReleased(state, &exclusive, pc);
  return pthread_mutex_unlock(m);
}
} // namespace

// Both end in tail calls on the fast path: see recordPlainAcquireFast.
int lock_native(LockState& state, pthread_mutex_t* m, AccessMode) noexcept {
  if (rt::recordPlainAcquireFast(rt::currentThreadIfAny(), state, LOCKGRAPH_CALLER_PC, m))
    return pthread_mutex_lock(m);
  return lockMutexGeneral(state, m, LOCKGRAPH_CALLER_PC, LOCKGRAPH_ENTRY_CFA);
}

int unlock_native(LockState& state, pthread_mutex_t* m, AccessMode) noexcept {
  if (rt::recordReleaseFast(rt::currentThreadIfAny(), m))
    return pthread_mutex_unlock(m);
  return unlockMutexGeneral(state, m, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) int lock_native(LockState& state, pthread_rwlock_t* l,
                                          AccessMode mode) noexcept {
  rt::SiteScope site(LOCKGRAPH_ENTRY_PC, LOCKGRAPH_ENTRY_CFA);
  if (mode == AccessMode::shared)
    return rt::acquireBlocking(
        state, rt::Access::shared, LOCKGRAPH_CALLER_PC, [l] { return pthread_rwlock_tryrdlock(l); },
        [l] { return pthread_rwlock_rdlock(l); }, l);
  return rt::acquireBlocking(
      state, rt::Access::exclusive, LOCKGRAPH_CALLER_PC, [l] { return pthread_rwlock_trywrlock(l); },
      [l] { return pthread_rwlock_wrlock(l); }, l);
}

__attribute__((noinline)) int unlock_native(LockState& state, pthread_rwlock_t* l,
                                            AccessMode mode) noexcept {
  rt::Access access = rt::toAccess(mode);
  rt::onReleased(state, &access, LOCKGRAPH_CALLER_PC);
  return pthread_rwlock_unlock(l);
}

} // namespace lockgraph::detail
