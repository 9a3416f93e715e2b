// The detector: turns lock events into lock-order graph updates and
// findings. Both front ends use it: the lockgraph:: types (through the
// hooks in lockgraph/hooks.h) and the pthread interposers of the preload
// library. `pc` is the return address of the front end's entry point; it is
// where stacks start and the acquisition site that reports show.
#pragma once

#include "lock_state.h"
#include "options.h"
#include "os.h"
#include "report.h"
#include "thread_state.h"

#include <cerrno>

namespace lockgraph::rt {

// Maps the tables, reads LOCKGRAPH_OPTIONS, installs fork handlers and the
// watchdog. Idempotent and thread-safe; cheap after the first call.
void ensureRuntimeInitialized();
bool runtimeInitialized();
// For interposers, which may be called from inside the initialization
// itself: initializes unless another call on the way is already doing it,
// and says whether the runtime is ready. Never waits.
bool initializeUnlessInProgress();

// Gives `lock` the class identified by `name` (when non-null) or by the
// declaration site.
void registerClass(LockState& lock, LockKind kind, const char* name, const char* file,
                   int line, int column);
// Gives `lock` a node of its own (pthread locks). Returns false when the
// graph is full; the lock then goes unobserved.
bool registerInstance(LockState& lock, LockKind kind, LockOrigin origin, const void* address);

// Before a blocking acquisition: reports `recursive-lock` (and ends the
// process) when the thread holds the lock so that it would wait forever.
// Returns whether waits are being tracked (watchdog or statistics); only
// then must the caller try first and bracket a real wait with the two
// calls below.
inline bool onBeforeLock(LockState& lock, Access access, const void* pc);
void onWaitBegin(LockState& lock, Access access, const void* pc);
void onWaitEnd(LockState& lock);
inline void onAcquired(LockState& lock, Access access, bool mayFail, const void* pc);
// `expected` is the access being released, or nullptr when the unlock call
// does not say (pthread_rwlock_unlock).
inline void onReleased(LockState& lock, const Access* expected, const void* pc);
// The lock is being destroyed (or re-initialized); `stillLocked` tells
// whether anyone holds it.
void onDestroyed(LockState& lock, bool stillLocked, const void* pc);
// Whether the calling thread holds `lock`.
bool heldByCurrentThread(const LockState& lock);
// The OS thread id of some thread holding `lock`, or 0.
int lockHolderTid(const LockState& lock);

// Describes the lock for a report; safe while `lock` is alive.
LockDescription describeLock(const LockState& lock);

// Per-lock hold/wait statistics, text table and JSON array.
class TextBuffer;
void appendStatistics(TextBuffer* text, TextBuffer* json);

// Test support: whether the graph has an edge between the classes (or
// instance nodes) of two locks, and how many edges it has.
bool hasOrderEdge(const LockState& from, const LockState& to);
std::uint32_t orderEdgeCount();

// Slow paths of the inline functions below.
void reportRelockIfItBlocks(ThreadState* t, LockState& lock, int heldIndex, Access access,
                            const void* pc);
bool validateChain(ThreadState* t, LockState& lock, Access access, const void* pc);
void reportUnheldRelease(ThreadState* t, LockState& lock, int heldIndex, const void* pc);
void recordHoldTime(ThreadState* t, const HeldLock& h, LockState& lock, const void* pc);
void removeHeldBelowTop(ThreadState* t, std::uint32_t index);

// Bumped whenever a graph node is dropped: node ids are reused, so every
// thread's cache of validated chains must then be forgotten.
extern std::atomic<std::uint64_t> chainCacheEpoch;

constexpr std::uint64_t kChainSeed = 0x6c6f636b67726170ull;

// Extends a chain key by one held lock. Cheap on purpose: it runs on every
// acquisition. A collision can only hide an edge, never invent one.
inline std::uint64_t chainStep(std::uint64_t chain, std::uint64_t part) {
  std::uint64_t h = (chain ^ part) * 0x9e3779b97f4a7c15ull;
  return (h ^ (h >> 29)) | 1;
}

void prepareForkLocks();
void releaseForkLocksInParent();
void resetDetectorAfterFork();

// The steady-state paths, inline so that lockgraph::mutex and the
// interceptors pay for no call into the runtime unless something is new.

__attribute__((always_inline)) inline void onAcquired(LockState& lock, Access access, bool mayFail, const void* pc) {
  ThreadState* t = currentThread();
  if (t->inRuntime || lock.class_node == kNoNode)
    return;
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  HeldLock* held = t->held;
  std::uint64_t part = (static_cast<std::uint64_t>(lock.class_node) << 1) | static_cast<std::uint64_t>(access);
  bool sameClassHeld = false;
  for (std::uint32_t i = 0; i < depth; ++i) {
    if (held[i].lock == &lock) {
      // Re-entry into a recursive mutex or a second read lock: no new
      // ordering, just a deeper hold.
      ++held[i].recursion;
      return;
    }
    if (held[i].classNode == lock.class_node) {
      // Same-class nesting is ordered per instance: the key must say which.
      sameClassHeld = true;
      part = chainStep(part, reinterpret_cast<std::uintptr_t>(held[i].lock));
    }
  }
  if (sameClassHeld)
    part = chainStep(part, reinterpret_cast<std::uintptr_t>(&lock));
  std::uint64_t key = chainStep(depth ? held[depth - 1].chainKey : kChainSeed, part);
  if (depth > 0 && !mayFail) {
    std::uint64_t epoch = chainCacheEpoch.load(std::memory_order_acquire);
    if (t->cacheEpoch != epoch) {
      for (std::uint64_t& slot : t->chainCache)
        slot = 0;
      t->cacheEpoch = epoch;
    }
    std::uint64_t& slot = t->chainCache[key & (ThreadState::kChainCacheSize - 1)];
    if (slot != key && validateChain(t, lock, access, pc))
      slot = key;
  }
  reserveHeld(t);
  HeldLock& h = t->held[depth];
  h.lock = &lock;
  h.classNode = lock.class_node;
  h.access = access;
  h.recursion = 0;
  h.keyPart = part;
  h.chainKey = key;
  h.site = pc;
  h.acquiredAt = options().timing() ? monotonicNanos() : 0;
  t->depth.store(depth + 1, std::memory_order_release);
}

__attribute__((always_inline)) inline bool onBeforeLock(LockState& lock, Access access, const void* pc) {
  ThreadState* t = currentThread();
  if (!t->inRuntime && lock.kind != LockKind::recursive && !(lock.flags & kRelockFails)) {
    std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
    for (std::uint32_t i = depth; i-- > 0;)
      if (t->held[i].lock == &lock) {
        reportRelockIfItBlocks(t, lock, static_cast<int>(i), access, pc);
        break;
      }
  }
  const Options& o = options();
  return o.deadlockTimeoutMs > 0 || o.timing();
}

// A blocking acquisition through pthread-style calls returning an error
// code: the relock check, the wait tracking, the acquisition and its
// bookkeeping. Shared by lockgraph:: mutexes and the interceptors.
template <class TryLock, class Lock>
__attribute__((always_inline)) inline int acquireBlocking(LockState& lock, Access access, const void* pc, TryLock tryLock,
                           Lock block) {
  int rc;
  if (!onBeforeLock(lock, access, pc)) {
    rc = block(); // waits are not tracked: no need for an extra try
  } else if ((rc = tryLock()) == EBUSY) {
    onWaitBegin(lock, access, pc);
    rc = block();
    onWaitEnd(lock);
  }
  if (rc == 0 || rc == EOWNERDEAD)
    onAcquired(lock, access, false, pc);
  return rc;
}

__attribute__((always_inline)) inline void onReleased(LockState& lock, const Access* expected, const void* pc) {
  ThreadState* t = currentThread();
  if (t->inRuntime)
    return;
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  int i = static_cast<int>(depth) - 1;
  while (i >= 0 && t->held[i].lock != &lock)
    --i;
  if (i < 0 || (expected && t->held[i].access != *expected)) {
    reportUnheldRelease(t, lock, i, pc);
    return;
  }
  HeldLock& h = t->held[i];
  if (h.recursion > 0) {
    --h.recursion;
    return;
  }
  if (h.acquiredAt != 0)
    recordHoldTime(t, h, lock, pc);
  if (static_cast<std::uint32_t>(i) + 1 == depth)
    t->depth.store(depth - 1, std::memory_order_release);
  else
    removeHeldBelowTop(t, static_cast<std::uint32_t>(i));
}

} // namespace lockgraph::rt
