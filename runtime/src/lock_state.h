// What the runtime knows about one lock instance. For lockgraph:: mutexes it
// lives inside the mutex object (see lockgraph/hooks.h, which declares the
// same layout for the public header); for pthread locks seen through the
// preload library it lives in the address table.
#pragma once

#include "lock_graph.h"

#include <lockgraph/hooks.h>

namespace lockgraph::rt {

using LockState = ::lockgraph::detail::LockState;
using LockKind = ::lockgraph::detail::LockKind;

inline Access toAccess(::lockgraph::detail::AccessMode mode) {
  return mode == ::lockgraph::detail::AccessMode::shared ? Access::shared : Access::exclusive;
}

} // namespace lockgraph::rt

namespace lockgraph::rt {
// LockState::flags bits.
// The class node belongs to this instance alone (pthread locks seen by the
// preload library) and is dropped with it.
constexpr std::uint8_t kNodePerInstance = 1;
// Locking it again from the owning thread returns an error instead of
// blocking (PTHREAD_MUTEX_ERRORCHECK), so it is no recursive-lock finding.
constexpr std::uint8_t kRelockFails = 2;
// Its lock call can fail for other reasons (robust, priority-inheritance or
// priority-protect pthread mutexes), so it cannot be recorded in advance.
constexpr std::uint8_t kLockMayFail = 4;
// Plain, exclusive-only, registered, lock cannot fail: eligible for the
// fast paths of detector.h. Derived once at registration.
constexpr std::uint8_t kFastEligible = 8;
// A pthread spin lock. It records no owner, so the watchdog cannot see a
// thread spinning in the fast path's real lock call: spin locks always take
// the general path, which tells the watchdog about waits.
constexpr std::uint8_t kSpinLock = 16;

inline void updateFastEligibility(LockState& lock) {
  bool eligible = lock.kind == LockKind::plain && !(lock.flags & (kLockMayFail | kSpinLock)) &&
                  lock.class_node != 0;
  lock.flags = static_cast<std::uint8_t>(eligible ? lock.flags | kFastEligible : lock.flags & ~kFastEligible);
}
} // namespace lockgraph::rt
