// Instrumentation entry points called by the types in <lockgraph/mutex.h>.
// Not meant to be called directly: a wrapper around another lock type that
// calls them exactly as mutex.h does is the only supported use.
//
// Contract common to all hooks: `state` was passed to register_lock() and not
// yet to unregister_lock(); the hooks never block, never allocate with
// malloc, and never throw.
#pragma once

#include <atomic>
#include <cstdint>
#include <pthread.h>
#include <source_location>

namespace lockgraph::detail {

enum class LockKind : std::uint8_t {
  plain,     // non-recursive exclusive lock
  recursive, // the owner may lock it again
  shared,    // reader/writer lock
};

enum class AccessMode : std::uint8_t { exclusive, shared };

// Per-instance bookkeeping; owned by the runtime, stored in the mutex.
struct LockState {
  std::uint32_t class_node = 0;                // graph node of the lock class
  std::atomic<std::uint32_t> instance_node{0}; // node for same-class nesting, made lazily
  LockKind kind = LockKind::plain;
  std::uint8_t flags = 0;
};

// Registers a lock whose class is `class_name` when non-null (all locks with
// the same name share one class), else the construction site `site`.
// Cost: one hash lookup under the runtime's registry lock.
void register_lock(LockState& state, LockKind kind, const char* class_name,
                   const std::source_location& site) noexcept;

// Forgets the instance. `still_locked` reports whether the lock was held by
// anyone at destruction: that is a `destroy-locked` finding.
void unregister_lock(LockState& state, bool still_locked) noexcept;

// Called before every blocking acquisition. Reports `recursive-lock` when
// the calling thread already holds the lock in a way that makes it wait
// forever, and returns: the caller then blocks as it would without
// lockgraph (halt_on_error=1 ends the process in the report). Also adds
// the acquisition's lock-order edges, so that an inversion is reported
// before the caller blocks, even when this wait is the deadlock. Returns whether waits
// are tracked (deadlock watchdog or statistics on): only then must the
// caller try a non-blocking acquisition first and, when that fails,
// bracket the blocking one with begin_wait() and end_wait().
bool before_lock(LockState& state, AccessMode mode) noexcept;
void begin_wait(LockState& state, AccessMode mode) noexcept;
void end_wait(LockState& state) noexcept;

// Called after every successful acquisition. `may_fail` is true for try_lock
// and timed acquisitions: they cannot deadlock, so they add no lock-order
// edge, but later acquisitions still count them as held.
// Cost on the steady state (lock-order chain seen before): a thread-local
// cache probe, no shared writes.
void acquired(LockState& state, AccessMode mode, bool may_fail) noexcept;

// Called before every release. Reports `bad-unlock` when the calling thread
// does not hold the lock.
void released(LockState& state, AccessMode mode) noexcept;

// Whole operations on the pthread object behind a std type (its
// native_handle()), in one call: the checks above, the pthread call and
// the bookkeeping. They return the pthread error code, which the caller
// turns into std::system_error as the std types do. Cheaper than the
// separate hooks because the runtime then reads its thread state once.
int lock_native(LockState& state, pthread_mutex_t* m, AccessMode mode) noexcept;
int unlock_native(LockState& state, pthread_mutex_t* m, AccessMode mode) noexcept;
int lock_native(LockState& state, pthread_rwlock_t* l, AccessMode mode) noexcept;
int unlock_native(LockState& state, pthread_rwlock_t* l, AccessMode mode) noexcept;

// Async mutexes: locks a coroutine library's mutex hands to a task (a
// coroutine and those it awaits), held across suspensions and released on
// whatever thread the task runs on then. `owner` is any token that is the
// same for every acquisition and release of one task and differs between
// tasks that may run at the same time: the lock-order graph is then built
// from each task's held async mutexes, as from each thread's held locks,
// so an inversion between two tasks is reported even when one thread ran
// both, and a release after the task moved threads is no bad-unlock.
// Register the mutex with register_lock() as any other (LockKind::plain,
// or shared for a reader/writer one) and unregister it when destroyed.
//
// async_acquired: once `owner` holds the lock (after the wait, if it
// waited); `may_fail` for try_lock, which adds no order. Orders are
// checked then, not before the wait: an async wait parks the task, it does
// not block a thread, so there is no deadlock report at run time.
// async_released: before the lock is released (or handed to the next
// waiter). A release by an owner that does not hold it is a `bad-unlock`.
// Async holds and a thread's holds are ordered separately: an async mutex
// taken while the thread holds a std::mutex adds no order between them.
// Cost: a hash lookup of the owner under an internal spin lock, then the
// general path of the thread hooks (no steady-state fast path).
void async_acquired(LockState& state, const void* owner, AccessMode mode, bool may_fail) noexcept;
void async_released(LockState& state, const void* owner, AccessMode mode) noexcept;

} // namespace lockgraph::detail
