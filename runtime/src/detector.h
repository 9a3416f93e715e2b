// The detector: turns lock events into lock-order graph updates and
// findings. Both front ends use it: the lockgraph:: types (through the
// hooks in lockgraph/hooks.h) and the pthread interposers of the preload
// library. `pc` is the return address of the front end's entry point; it is
// where stacks start and the acquisition site that reports show, unless the
// entry point's SiteScope found the program's frame above out-of-line lock
// wrappers (program_site.h).
#pragma once

#include "lock_state.h"
#include "options.h"
#include "os.h"
#include "program_site.h"
#include "report.h"
#include "thread_state.h"
#include "visibility.h"

#include <atomic>
#include <cerrno>

namespace lockgraph::rt {

// Maps the tables, reads LOCKGRAPH_OPTIONS, installs fork handlers and the
// watchdog. Idempotent and thread-safe; cheap after the first call.
void ensureRuntimeInitialized();
// 0 not started, 1 initializing, 2 ready.
extern LOCKGRAPH_INTERNAL std::atomic<int> runtimeState;
inline bool runtimeInitialized() { return runtimeState.load(std::memory_order_acquire) == 2; }
bool initializeSlow();
// For interposers, which may be called from inside the initialization
// itself: initializes (or waits for another thread doing it) and says
// whether the runtime is ready; false only for calls the initializing
// thread makes while it initializes.
inline bool initializeUnlessInProgress() { return runtimeInitialized() || initializeSlow(); }

// Gives `lock` the class identified by `name` (when non-null) or by the
// declaration site.
void registerClass(LockState& lock, LockKind kind, const char* name, const char* file,
                   int line, int column);
// Gives `lock` a node of its own (pthread locks). Returns false when the
// graph is full; the lock then goes unobserved.
bool registerInstance(LockState& lock, LockKind kind, LockOrigin origin, const void* address);

// Before a blocking acquisition: reports `recursive-lock` when the thread
// holds the lock so that it would wait forever (then returns, so the thread
// waits as it would without lockgraph; halt_on_error ends the process), and
// adds the acquisition's lock-order edges, so an inversion is reported
// before the thread can deadlock on it.
// Returns whether waits are being tracked (watchdog or statistics); only
// then must the caller try first and bracket a real wait with the two
// calls below.
inline bool onBeforeLock(LockState& lock, Access access, const void* pc);
void onWaitBegin(LockState& lock, Access access, const void* pc);
void onWaitEnd(LockState& lock);
// After a successful acquisition. `mayFail` marks try and timed locks,
// which add no lock-order edge. `object` is what unlock calls will name
// (the pthread object for interceptors); nullptr means `&lock`.
inline void onAcquired(LockState& lock, Access access, bool mayFail, const void* pc,
                       const void* object = nullptr);
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

// The whole lock-order graph, copied for the JSON report's "graph" section
// (report_graph=1): every live edge with its first observation, and with
// graph_dir the orders of locks destroyed before (retired locks, one pair
// per order, distinct code paths only). `edges[i]`
// indexes `locks`; gates are indices into `locks` too. Arena memory.
struct GraphDumpEdge {
  ReportEdge edge;
  std::uint32_t gates[GateSet::kMax];
  std::uint32_t gateCount;
};
struct GraphDump {
  LockDescription* locks = nullptr;
  std::uint32_t lockCount = 0;
  GraphDumpEdge* edges = nullptr;
  std::uint32_t edgeCount = 0;
};
GraphDump snapshotGraph();

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
// Drops the calling thread's holds that other threads released for it
// (ThreadState::releasedByOthers); returns whether any was dropped.
bool dropHoldsReleasedByOthers(ThreadState* t);
inline bool holdsReleasedByOthers(const ThreadState* t) {
  return t->releasedByOthersCount.load(std::memory_order_relaxed) != 0;
}

// Bumped whenever a graph node is dropped: node ids are reused, so every
// thread's cache of validated chains must then be forgotten. Cache entries
// hold key + epoch, so a bump invalidates them all without a write.
extern LOCKGRAPH_INTERNAL std::atomic<std::uint64_t> chainCacheEpoch;

// Extends a chain key by one held lock. Cheap on purpose: it runs on every
// nested acquisition. Order matters: (A then B) and (B then A) must get
// different keys. A collision can only hide an edge (or, on the fast path,
// a relock), never invent one; with 64-bit keys it does not happen in
// practice.
inline std::uint64_t chainStep(std::uint64_t chain, std::uint64_t part) {
  std::uint64_t h = chain * 0x9e3779b97f4a7c15ull + part;
  return h ^ (h >> 29);
}

// The graph, for the lock-free LockGraph::settled queries of the paths
// below; set once when the runtime starts.
extern LOCKGRAPH_INTERNAL const LockGraph* orderGraph;

// Whether every edge an exclusive acquisition of `lock` would add is
// settled in the graph (LockGraph::settled): then it changes nothing and
// needs neither the graph's lock nor the general path. Held sets new to
// the thread but made of known orders, which a program taking many locks
// in one global order makes all the time, cost a few bit tests. False for
// a relock or same-class nesting (the lock's own class is held).
inline bool chainSettled(const ThreadState* t, const LockState& lock) {
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < depth; ++i) {
    const HeldLock& h = t->held[i];
    if (h.access != Access::exclusive || h.classNode == lock.class_node ||
        !orderGraph->settled(h.classNode, lock.class_node))
      return false;
  }
  return true;
}

// The cache entry that says the chain ending in `key` was validated.
inline bool chainValidated(ThreadState* t, std::uint64_t key) {
  return t->chainSlot(key) == key + chainCacheEpoch.load(std::memory_order_acquire);
}

void prepareForkLocks();
void releaseForkLocksInParent();
void resetDetectorAfterFork();

// Claims the entry above the top and returns it, for the caller to fill.
// The depth is raised before the entry is written: a signal handler that
// interrupts the filling and locks and unlocks something pushes and pops
// above it, instead of writing over the half-made entry. (Compiler
// ordering is all a handler on the same thread needs.)
__attribute__((always_inline)) inline HeldLock& pushHeld(ThreadState* t, std::uint32_t depth) {
  t->depth.store(depth + 1, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  return t->held[depth];
}

// The steady-state paths, inline so that lockgraph::mutex and the
// interceptors pay for no call into the runtime unless something is new.
#define LOCKGRAPH_HOT __attribute__((always_inline)) inline

// What an acquisition will do, worked out from the held stack before the
// thread may block (the stack cannot change while it does).
struct AcquirePlan {
  ThreadState* thread;
  int heldIndex;      // the lock's entry if this thread holds it, else -1
  std::uint64_t part; // the lock's contribution to chain keys
  bool ownPart;       // part is not partOf(class, access): same-class nesting
};

LOCKGRAPH_HOT AcquirePlan planAcquireOn(ThreadState* t, LockState& lock, Access access) {
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  HeldLock* held = t->held;
  AcquirePlan plan{t, -1, partOf(lock.class_node, access), false};
  bool sameClassHeld = false;
  for (std::uint32_t i = 0; i < depth; ++i) {
    if (held[i].lock == &lock) {
      plan.heldIndex = static_cast<int>(i);
      return plan;
    }
    if (held[i].classNode == lock.class_node) {
      // Same-class nesting is ordered per instance: the key must say which.
      sameClassHeld = true;
      plan.part = chainStep(plan.part, reinterpret_cast<std::uintptr_t>(held[i].lock));
    }
  }
  if (sameClassHeld) {
    plan.part = chainStep(plan.part, reinterpret_cast<std::uintptr_t>(&lock));
    plan.ownPart = true;
  }
  return plan;
}

LOCKGRAPH_HOT AcquirePlan planAcquire(LockState& lock, Access access) {
  ThreadState* t = currentThread();
  AcquirePlan plan = planAcquireOn(t, lock, access);
  // Held, unless another thread released it meanwhile: then it is a fresh
  // acquisition, not a relock.
  if (plan.heldIndex >= 0 && holdsReleasedByOthers(t) && dropHoldsReleasedByOthers(t))
    plan = planAcquireOn(t, lock, access);
  return plan;
}

// Validates the chain ending in `key` unless this thread did before.
LOCKGRAPH_HOT void validateChainOnce(ThreadState* t, std::uint64_t key, LockState& lock,
                                     Access access, const void* pc) {
  std::uint64_t epoch = chainCacheEpoch.load(std::memory_order_acquire);
  std::uint64_t& slot = t->chainSlot(key);
  if (slot != key + epoch && validateChain(t, lock, access, pc))
    slot = key + epoch;
}

// A blocking acquisition adds its edges before the thread waits: when the
// wait is the deadlock, the inversion is already reported (with both
// stacks) instead of never. Once validated, the chain is cached, so
// completeAcquire after the wait finds it and does nothing more.
LOCKGRAPH_HOT void validateBeforeBlocking(AcquirePlan& plan, LockState& lock, Access access,
                                          const void* pc) {
  ThreadState* t = plan.thread;
  if (plan.heldIndex >= 0 || t->inRuntime || lock.class_node == kNoNode)
    return;
  if (holdsReleasedByOthers(t) && dropHoldsReleasedByOthers(t)) [[unlikely]]
    plan = planAcquireOn(t, lock, access);
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  if (plan.heldIndex >= 0 || depth == 0)
    return;
  validateChainOnce(t, chainStep(t->held[depth - 1].chainKey, plan.part), lock, access, pc);
}

LOCKGRAPH_HOT void completeAcquire(AcquirePlan plan, LockState& lock, Access access,
                                   bool mayFail, const void* pc, const void* object) {
  ThreadState* t = plan.thread;
  if (t->inRuntime || lock.class_node == kNoNode)
    return;
  // Stale holds must not order this lock (the plan may predate a release
  // by another thread while this one waited).
  if (holdsReleasedByOthers(t) && dropHoldsReleasedByOthers(t)) [[unlikely]]
    plan = planAcquireOn(t, lock, access);
  if (plan.heldIndex >= 0) {
    // Re-entry into a recursive mutex or a second read lock: no new
    // ordering, just a deeper hold.
    ++t->held[plan.heldIndex].recursion;
    return;
  }
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  // The first lock's part is unique to its class and access already.
  std::uint64_t key = depth ? chainStep(t->held[depth - 1].chainKey, plan.part) : plan.part;
  if (depth > 0 && !mayFail)
    validateChainOnce(t, key, lock, access, pc);
  reserveHeld(t);
  // The depth first, then the entry: see pushHeld.
  HeldLock& h = pushHeld(t, depth);
  h.object = object ? object : &lock;
  h.lock = &lock;
  h.chainKey = key;
  h.site = acquisitionSite(t, pc);
  h.classNode = lock.class_node;
  h.access = access;
  h.timed = options().timing();
  h.ownPart = plan.ownPart;
  h.zero = 0;
  h.recursion = 0;
  h.keyPart = plan.part;
  h.acquiredAt = h.timed ? monotonicNanos() : 0;
}

LOCKGRAPH_HOT void onAcquired(LockState& lock, Access access, bool mayFail, const void* pc,
                              const void* object) {
  completeAcquire(planAcquire(lock, access), lock, access, mayFail, pc, object);
}

// Reports a relock that would block forever; says whether waits are tracked.
LOCKGRAPH_HOT bool checkBeforeBlocking(const AcquirePlan& plan, LockState& lock, Access access,
                                       const void* pc) {
  if (plan.heldIndex >= 0 && !plan.thread->inRuntime && lock.kind != LockKind::recursive &&
      !(lock.flags & kRelockFails))
    reportRelockIfItBlocks(plan.thread, lock, plan.heldIndex, access, pc);
  const Options& o = options();
  return o.deadlockTimeoutMs > 0 || o.timing();
}

LOCKGRAPH_HOT bool onBeforeLock(LockState& lock, Access access, const void* pc) {
  AcquirePlan plan = planAcquire(lock, access);
  bool waitsTracked = checkBeforeBlocking(plan, lock, access, pc);
  validateBeforeBlocking(plan, lock, access, pc);
  return waitsTracked;
}

// A blocking acquisition through pthread-style calls returning an error
// code: the relock check, the wait tracking, the acquisition and its
// bookkeeping. Shared by lockgraph:: mutexes and the interceptors.
template <class TryLock, class Lock>
LOCKGRAPH_HOT int acquireBlocking(LockState& lock, Access access, const void* pc, TryLock tryLock,
                                  Lock block, const void* object = nullptr) {
  AcquirePlan plan = planAcquire(lock, access);
  int rc;
  bool waitsTracked = checkBeforeBlocking(plan, lock, access, pc);
  validateBeforeBlocking(plan, lock, access, pc);
  if (!waitsTracked) {
    rc = block(); // waits are not tracked: no need for an extra try
  } else if ((rc = tryLock()) == EBUSY) {
    onWaitBegin(lock, access, pc);
    rc = block();
    onWaitEnd(lock);
  }
  if (rc == 0 || rc == EOWNERDEAD)
    completeAcquire(plan, lock, access, false, pc, object);
  return rc;
}

// Releases `lock` from `t`'s held stack (a thread's, or an async owner's).
LOCKGRAPH_HOT void releaseHeldBy(ThreadState* t, LockState& lock, const Access* expected,
                                 const void* pc) {
  if (t->inRuntime)
    return;
  if (holdsReleasedByOthers(t)) [[unlikely]]
    dropHoldsReleasedByOthers(t);
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
  if (h.timed)
    recordHoldTime(t, h, lock, pc);
  if (static_cast<std::uint32_t>(i) + 1 == depth)
    t->depth.store(depth - 1, std::memory_order_release);
  else
    removeHeldBelowTop(t, static_cast<std::uint32_t>(i));
}

LOCKGRAPH_HOT void onReleased(LockState& lock, const Access* expected, const void* pc) {
  releaseHeldBy(currentThread(), lock, expected, pc);
}

// The fast paths proper. They handle the steady state of a plain
// (non-recursive, exclusive) lock and return false for anything else, in
// which case the caller takes the general path above. The acquisition is
// recorded *before* the thread calls the real lock: a plain mutex's lock
// cannot fail, and the caller can then end with a tail call, which keeps the
// whole instrumented lock to a handful of instructions. Anything that needs
// to know about waits (watchdog, statistics) disables the fast path.
//
// No scan of the held stack for a relock or same-class nesting: the chain
// cache never holds a key that extends a chain with the plain part of a
// class already in it (planAcquire gives same-class nesting a part of its
// own, and a relock is never cached), so a cache hit rules both out; on a
// miss, chainSettled scans and rules them out itself. The first lock of a
// chain needs no check at all.
//
// No capacity check either: the first lock always fits (the stack starts
// with room for 64), and the general path caches a chain only just before
// it makes room for the chain's last lock (reserveHeld); capacity never
// shrinks.
// Which question decides that the chain needs no validation: the thread's
// cache (the fast path), or, on its miss path, the cache again (the fast
// path is off while sites are walked) or the graph's settled edges.
enum class ChainCheck { cached, settled };

template <ChainCheck check>
LOCKGRAPH_HOT bool recordPlainAcquire(ThreadState* t, LockState& lock, const void* pc,
                                      const void* object) {
  // The general path's attempt runs also when the fast path is off only
  // because sites are walked past out-of-line lock wrappers: it records the
  // walked site. Timed holds it leaves to the general path proper.
  if (t == nullptr ||
      (check == ChainCheck::cached ? fastPathBlocked(t) : t->inRuntime || options().timing()) ||
      !(lock.flags & kFastEligible)) [[unlikely]]
    return false;
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  std::uint64_t key = partOf(lock.class_node, Access::exclusive);
  if (depth > 0) {
    key = chainStep(t->held[depth - 1].chainKey, key);
    if (check == ChainCheck::cached ? !chainValidated(t, key) : !chainValidated(t, key) && !chainSettled(t, lock))
      return false;
  }
  HeldLock& h = pushHeld(t, depth);
  h.object = object;
  h.lock = &lock;
  h.chainKey = key;
  // The cached path runs only when no SiteScope can have a site for it
  // (fastPathOff when lock wrappers are out of line).
  h.site = check == ChainCheck::cached ? pc : acquisitionSite(t, pc);
  // classNode, access, timed, ownPart and zero in one store; see plainHold.
  std::uint64_t nodeAndPlainBits = lock.class_node;
  std::memcpy(reinterpret_cast<char*>(&h) + offsetof(HeldLock, classNode), &nodeAndPlainBits,
              sizeof nodeAndPlainBits);
  h.recursion = 0;
  return true;
}

LOCKGRAPH_HOT bool recordPlainAcquireFast(ThreadState* t, LockState& lock, const void* pc,
                                          const void* object) {
  return recordPlainAcquire<ChainCheck::cached>(t, lock, pc, object);
}

// The first thing a lock's general path tries: a held set new to the thread
// but made of settled orders (chainSettled) is recorded as on the fast
// path. Kept out of recordPlainAcquireFast, whose cache hits it would cost
// registers.
LOCKGRAPH_HOT bool recordPlainAcquireSettled(ThreadState* t, LockState& lock, const void* pc,
                                             const void* object) {
  return recordPlainAcquire<ChainCheck::settled>(t, lock, pc, object);
}

// Releases the most recent hold when it is a plain, untimed, exclusive hold
// of `object`; false otherwise. The runtime's own unlocks (inRuntime) need
// no test: the runtime never unlocks a lock the program took, so the top
// entry cannot name their object.
LOCKGRAPH_HOT bool recordReleaseFast(ThreadState* t, const void* object) {
  if (t == nullptr) [[unlikely]]
    return false;
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  const HeldLock& h = t->held[static_cast<std::int64_t>(depth) - 1]; // the sentinel when empty
  if (h.object != object || !plainHold(h)) [[unlikely]]
    return false;
  t->depth.store(depth - 1, std::memory_order_release);
  return true;
}

// The lock the calling thread took last, if `object` names it: lets unlock
// interceptors skip the table lookup in the common last-in-first-out case.
LOCKGRAPH_HOT LockState* topHeldLockFor(const void* object) {
  ThreadState* t = currentThreadIfAny();
  if (t == nullptr)
    return nullptr;
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  return depth && t->held[depth - 1].object == object ? t->held[depth - 1].lock : nullptr;
}

#undef LOCKGRAPH_HOT

} // namespace lockgraph::rt
