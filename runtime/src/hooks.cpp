// The public instrumentation entry points of lockgraph/hooks.h. Each one
// takes its own return address as the acquisition site: that is the call
// in lockgraph/mutex.h, inlined into the program's function when optimized.
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
  rt::onAcquired(state, rt::toAccess(mode), may_fail, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) void released(LockState& state, AccessMode mode) noexcept {
  rt::Access access = rt::toAccess(mode);
  rt::onReleased(state, &access, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) int lock_native(LockState& state, pthread_mutex_t* m, AccessMode) noexcept {
  return rt::acquireBlocking(
      state, rt::Access::exclusive, LOCKGRAPH_CALLER_PC, [m] { return pthread_mutex_trylock(m); },
      [m] { return pthread_mutex_lock(m); });
}

__attribute__((noinline)) void unlock_native(LockState& state, pthread_mutex_t* m, AccessMode) noexcept {
  constexpr rt::Access exclusive = rt::Access::exclusive;
  rt::onReleased(state, &exclusive, LOCKGRAPH_CALLER_PC);
  pthread_mutex_unlock(m);
}

__attribute__((noinline)) int lock_native(LockState& state, pthread_rwlock_t* l,
                                          AccessMode mode) noexcept {
  if (mode == AccessMode::shared)
    return rt::acquireBlocking(
        state, rt::Access::shared, LOCKGRAPH_CALLER_PC, [l] { return pthread_rwlock_tryrdlock(l); },
        [l] { return pthread_rwlock_rdlock(l); });
  return rt::acquireBlocking(
      state, rt::Access::exclusive, LOCKGRAPH_CALLER_PC, [l] { return pthread_rwlock_trywrlock(l); },
      [l] { return pthread_rwlock_wrlock(l); });
}

__attribute__((noinline)) void unlock_native(LockState& state, pthread_rwlock_t* l,
                                             AccessMode mode) noexcept {
  rt::Access access = rt::toAccess(mode);
  rt::onReleased(state, &access, LOCKGRAPH_CALLER_PC);
  pthread_rwlock_unlock(l);
}

} // namespace lockgraph::detail
