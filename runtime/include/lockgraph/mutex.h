// lockgraph/mutex.h - mutexes that record the lock-order graph.
//
// Drop-in replacements for the standard mutex types. Every acquisition is
// checked against the order in which locks of the same classes were taken
// before; an order that can deadlock is reported (kind
// `lock-order-inversion`) the first time the program makes it, even if this
// run did not deadlock. See docs/runtime.md for the report kinds, options
// and an example of each report.
//
//   lockgraph::mutex mu;                          // class = this declaration
//   lockgraph::mutex account_mu{"Account::mu"};   // class = the name
//   std::scoped_lock guard(mu);                   // any std lock wrapper works
//
// Lock classes. Locks are grouped into classes, as in the Linux kernel's
// lockdep: by default the place where the mutex is constructed (its
// std::source_location), or an explicit name. All instances of one class
// share one node of the lock-order graph, so an ordering problem between
// `Account::mu` and `Bank::mu` is found after two accounts, not after the
// two specific accounts that would deadlock. When two instances of the same
// class are nested (transfer(a, b)) the runtime orders those instances
// individually, so consistent nesting is silent and opposite nesting is
// reported. Class names must be unique per lock role; they are copied.
//
// Release builds. Define LOCKGRAPH_INSTRUMENT to 0 (CMake option
// LOCKGRAPH_INSTRUMENT=OFF) and every type below is an alias of its std
// counterpart: no runtime, no overhead, the name constructor arguments are
// not accepted (use the default constructor, or LOCKGRAPH_MUTEX_NAME).
//
// Cost. On the steady state, where the chain of lock classes a thread
// holds has been validated before, lock() costs the underlying lock plus a
// thread-local cache probe and a push onto a thread-local stack; no lock
// and no shared write inside the runtime. The first time a thread takes a
// new chain of classes, the runtime captures a stack and updates the graph
// under its internal lock (microseconds). See docs/runtime-benchmarks.md.
//
// Misuse. The runtime reports, rather than prevents, misuse:
//  - locking a non-recursive mutex the thread already holds: reported as
//    `recursive-lock` before the thread blocks; the thread then blocks, as
//    it would without lockgraph, unless halt_on_error=1 ends the process
//    with exitcode (default 66). The deadlock watchdog, when on, then
//    reports the thread waiting for itself.
//  - unlocking a mutex the thread does not hold: `bad-unlock`, after which
//    the underlying unlock is still performed (undefined behaviour in std)
//    and a thread that held it no longer counts as holding it. Repeats
//    from the same stack are counted, not printed again.
//  - destroying a locked mutex: `destroy-locked`.
// Findings are printed on stderr, optionally written as JSON, and turn the
// process exit status into exitcode at exit.
#pragma once

#ifndef LOCKGRAPH_INSTRUMENT
#define LOCKGRAPH_INSTRUMENT 1
#endif

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <system_error>
#include <utility>

#if LOCKGRAPH_INSTRUMENT

#include <lockgraph/hooks.h>

#include <source_location>

// Spells an explicit class name that disappears in release builds:
//   lockgraph::mutex mu LOCKGRAPH_MUTEX_NAME("Account::mu");
#define LOCKGRAPH_MUTEX_NAME(name) {name}

namespace lockgraph {

namespace detail {

// Shared implementation: Impl is the std type doing the actual locking.
template <class Impl, LockKind Kind> class instrumented {
public:
  // The class is the construction site.
  explicit instrumented(std::source_location site = std::source_location::current()) noexcept {
    register_lock(state_, Kind, nullptr, site);
  }
  // The class is `class_name`; instances with equal names share it.
  explicit instrumented(const char* class_name,
                        std::source_location site = std::source_location::current()) noexcept {
    register_lock(state_, Kind, class_name, site);
  }
  instrumented(const instrumented&) = delete;
  instrumented& operator=(const instrumented&) = delete;

  // Reports `destroy-locked` if anyone holds the lock.
  ~instrumented() {
    bool locked = !impl_.try_lock();
    if (!locked)
      impl_.unlock();
    unregister_lock(state_, locked);
  }

  // Blocks until the lock is held. Adds lock-order edges from every lock the
  // thread holds, before it blocks; reports `lock-order-inversion` when one
  // closes a cycle and `recursive-lock` when the thread already holds a
  // non-recursive lock.
  void lock() {
    if constexpr (has_native_handle) {
      if (int rc = lock_native(state_, impl_.native_handle(), AccessMode::exclusive))
        throw std::system_error(rc, std::system_category(), "lockgraph mutex lock");
    } else {
      acquire_blocking(AccessMode::exclusive, [this] { return impl_.try_lock(); }, [this] { impl_.lock(); });
      acquired(state_, AccessMode::exclusive, false);
    }
  }

  // Never blocks, so adds no lock-order edge; a held lock taken this way
  // still orders the locks taken after it.
  bool try_lock() {
    if (!impl_.try_lock())
      return false;
    acquired(state_, AccessMode::exclusive, true);
    return true;
  }

  // Reports `bad-unlock` when the calling thread does not hold the lock.
  void unlock() {
    if constexpr (has_native_handle) {
      unlock_native(state_, impl_.native_handle(), AccessMode::exclusive);
    } else {
      released(state_, AccessMode::exclusive);
      impl_.unlock();
    }
  }

  // Timed acquisitions give up eventually, so like try_lock they add no
  // lock-order edge.
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout)
    requires requires(Impl& m) { m.try_lock_for(timeout); }
  {
    if (!impl_.try_lock_for(timeout))
      return false;
    acquired(state_, AccessMode::exclusive, true);
    return true;
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline)
    requires requires(Impl& m) { m.try_lock_until(deadline); }
  {
    if (!impl_.try_lock_until(deadline))
      return false;
    acquired(state_, AccessMode::exclusive, true);
    return true;
  }

  // Shared (reader) side, for the shared mutex types. A cycle needs a
  // conflict at every lock on it: read-read orderings never deadlock,
  // read-write and write-read ones are reported.
  void lock_shared()
    requires(Kind == LockKind::shared)
  {
    if constexpr (has_native_handle) {
      if (int rc = lock_native(state_, impl_.native_handle(), AccessMode::shared))
        throw std::system_error(rc, std::system_category(), "lockgraph mutex lock_shared");
    } else {
      acquire_blocking(AccessMode::shared, [this] { return impl_.try_lock_shared(); },
                       [this] { impl_.lock_shared(); });
      acquired(state_, AccessMode::shared, false);
    }
  }
  bool try_lock_shared()
    requires(Kind == LockKind::shared)
  {
    if (!impl_.try_lock_shared())
      return false;
    acquired(state_, AccessMode::shared, true);
    return true;
  }
  template <class Rep, class Period>
  bool try_lock_shared_for(const std::chrono::duration<Rep, Period>& timeout)
    requires requires(Impl& m) { m.try_lock_shared_for(timeout); }
  {
    if (!impl_.try_lock_shared_for(timeout))
      return false;
    acquired(state_, AccessMode::shared, true);
    return true;
  }
  template <class Clock, class Duration>
  bool try_lock_shared_until(const std::chrono::time_point<Clock, Duration>& deadline)
    requires requires(Impl& m) { m.try_lock_shared_until(deadline); }
  {
    if (!impl_.try_lock_shared_until(deadline))
      return false;
    acquired(state_, AccessMode::shared, true);
    return true;
  }
  void unlock_shared()
    requires(Kind == LockKind::shared)
  {
    if constexpr (has_native_handle) {
      unlock_native(state_, impl_.native_handle(), AccessMode::shared);
    } else {
      released(state_, AccessMode::shared);
      impl_.unlock_shared();
    }
  }

private:
  // libstdc++'s mutex types expose their pthread object; the runtime then
  // does the whole lock in one call. A native_handle() returning a pthread
  // mutex for a shared mutex, or a rwlock for a plain one, never happens.
  static constexpr bool has_native_handle = requires(Impl& m) {
    { lock_native(std::declval<LockState&>(), m.native_handle(), AccessMode::exclusive) };
  };

  // Trying first is only needed to tell a real wait from an immediate
  // acquisition, and costs an extra atomic operation; skip it unless waits
  // are being tracked.
  template <class Try, class Block> void acquire_blocking(AccessMode mode, Try try_acquire, Block block) {
    if (!before_lock(state_, mode)) {
      block();
    } else if (!try_acquire()) {
      begin_wait(state_, mode);
      block();
      end_wait(state_);
    }
  }

  Impl impl_;
  LockState state_;
};

} // namespace detail

using mutex = detail::instrumented<std::mutex, detail::LockKind::plain>;
using timed_mutex = detail::instrumented<std::timed_mutex, detail::LockKind::plain>;
using recursive_mutex = detail::instrumented<std::recursive_mutex, detail::LockKind::recursive>;
using recursive_timed_mutex =
    detail::instrumented<std::recursive_timed_mutex, detail::LockKind::recursive>;
using shared_mutex = detail::instrumented<std::shared_mutex, detail::LockKind::shared>;
using shared_timed_mutex = detail::instrumented<std::shared_timed_mutex, detail::LockKind::shared>;

// Waits on any of the types above (it unlocks and relocks through them, so
// the wait's release and re-acquisition are checked like any other).
using condition_variable = std::condition_variable_any;
using condition_variable_any = std::condition_variable_any;

} // namespace lockgraph

#else // !LOCKGRAPH_INSTRUMENT

#define LOCKGRAPH_MUTEX_NAME(name)

namespace lockgraph {
using mutex = std::mutex;
using timed_mutex = std::timed_mutex;
using recursive_mutex = std::recursive_mutex;
using recursive_timed_mutex = std::recursive_timed_mutex;
using shared_mutex = std::shared_mutex;
using shared_timed_mutex = std::shared_timed_mutex;
// Waits on std::unique_lock<lockgraph::mutex>, as in instrumented builds.
using condition_variable = std::condition_variable;
using condition_variable_any = std::condition_variable_any;
} // namespace lockgraph

#endif
