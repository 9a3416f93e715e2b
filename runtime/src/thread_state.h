// Per-thread runtime state: the stack of held locks, the cache of lock-order
// chains already validated, and what the thread is waiting for (read by the
// watchdog). States live in mmap'd slots linked into a registry that is
// never unlinked; a slot is reused after its thread exits.
#pragma once

#include "lock_state.h"
#include "stack_depot.h"

#include <atomic>
#include <cstdint>

namespace lockgraph::rt {

struct HeldLock {
  LockState* lock;
  const void* object;        // what unlock calls name (pthread object or lock)
  NodeId classNode;
  Access access;
  std::uint32_t recursion;   // extra acquisitions of a recursive lock
  std::uint64_t keyPart;     // this lock's contribution to chain keys
  std::uint64_t chainKey;    // identifies the held sequence up to this lock
  const void* site;          // return address of the acquiring call
  std::uint64_t acquiredAt;  // monotonic ns; 0 unless timing is on
};

struct ThreadState {
  static constexpr std::uint32_t kChainCacheSize = 1024; // power of two

  std::atomic<bool> inUse;
  ThreadState* next;          // registry link, immutable once published
  int osTid;
  std::uint32_t serial;       // T1, T2, ... in reports
  bool inRuntime;             // set while the runtime itself runs

  // Held locks in acquisition order. Written only by the owning thread; the
  // watchdog reads it racily, which is fine for threads that are blocked.
  HeldLock* held;
  std::atomic<std::uint32_t> depth;
  std::uint32_t capacity;

  std::uint64_t cacheEpoch;
  std::uint64_t chainCache[kChainCacheSize];
  // Chain keys always have their low bit set; index by the bits above it.
  std::uint64_t& chainSlot(std::uint64_t key) { return chainCache[(key >> 1) & (kChainCacheSize - 1)]; }

  // Set while blocked in an acquisition.
  std::atomic<LockState*> waitingFor;
  Access waitingAccess;
  std::uint64_t waitingSince;
  StackId waitingStack;
};

// Initial-exec TLS: no __tls_get_addr call (which may allocate) on the fast
// path, also when this code is in the preload library.
// __thread rather than thread_local: no C++ TLS wrapper call on each access.
extern __thread ThreadState* tlsCurrentThread __attribute__((tls_model("initial-exec")));

ThreadState* createCurrentThread();

// The calling thread's state, created on first use.
inline ThreadState* currentThread() {
  ThreadState* t = tlsCurrentThread;
  return t ? t : createCurrentThread();
}
// nullptr if the thread has no state (yet, or any more while it exits).
inline ThreadState* currentThreadIfAny() { return tlsCurrentThread; }

void growHeld(ThreadState* t);
// Makes room for one more held lock (the array grows, never shrinks).
inline void reserveHeld(ThreadState* t) {
  if (t->depth.load(std::memory_order_relaxed) >= t->capacity)
    growHeld(t);
}

// Every registered state, live or free; iterate with ->next.
ThreadState* firstThread();

// Called in the child after fork(): only the calling thread survives.
void resetThreadsAfterFork();

// Releases the calling thread's state early (tests use it to simulate exit).
void releaseCurrentThread();

} // namespace lockgraph::rt
