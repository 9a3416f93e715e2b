// The runtime's only internal lock. It cannot be a pthread mutex: in the
// preload library that would call back into the interposer.
#pragma once

#include <atomic>
#include <sched.h>

namespace lockgraph::rt {

class SpinLock {
public:
  void lock() {
    for (int spins = 0; locked_.exchange(true, std::memory_order_acquire); ++spins) {
      // Two cores are shared with the observed program; yield instead of
      // burning the holder's time slice.
      while (locked_.load(std::memory_order_relaxed))
        if (++spins > 64)
          sched_yield();
    }
  }
  bool try_lock() { return !locked_.exchange(true, std::memory_order_acquire); }
  void unlock() { locked_.store(false, std::memory_order_release); }
  // After fork() only the forking thread exists; whatever state the lock was
  // in belongs to threads that are gone.
  void resetAfterFork() { locked_.store(false, std::memory_order_relaxed); }

private:
  std::atomic<bool> locked_{false};
};

class SpinGuard {
public:
  explicit SpinGuard(SpinLock& lock) : lock_(lock) { lock_.lock(); }
  ~SpinGuard() { lock_.unlock(); }
  SpinGuard(const SpinGuard&) = delete;
  SpinGuard& operator=(const SpinGuard&) = delete;

private:
  SpinLock& lock_;
};

} // namespace lockgraph::rt
