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

  // Set while blocked in an acquisition.
  std::atomic<LockState*> waitingFor;
  Access waitingAccess;
  std::uint64_t waitingSince;
  StackId waitingStack;
};

// The calling thread's state, created on first use; nullptr only while the
// thread is being torn down after its state was released.
ThreadState* currentThread();
ThreadState* currentThreadIfAny();

// Makes room for one more held lock (the array grows, never shrinks).
void reserveHeld(ThreadState* t);

// Every registered state, live or free; iterate with ->next.
ThreadState* firstThread();

// Called in the child after fork(): only the calling thread survives.
void resetThreadsAfterFork();

// Releases the calling thread's state early (tests use it to simulate exit).
void releaseCurrentThread();

} // namespace lockgraph::rt
