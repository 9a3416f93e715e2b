// Per-thread runtime state: the stack of held locks, the cache of lock-order
// chains already validated, and what the thread is waiting for (read by the
// watchdog). States live in mmap'd slots linked into a registry that is
// never unlinked; a slot is reused after its thread exits.
#pragma once

#include "lock_state.h"
#include "stack_depot.h"
#include "visibility.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lockgraph::rt {

struct HeldLock {
  const void* object;        // what unlock calls name (pthread object or lock)
  LockState* lock;
  std::uint64_t chainKey;    // identifies the held sequence up to this lock
  const void* site;          // return address of the acquiring call
  NodeId classNode;
  // access through recursion are all zero exactly for a plain exclusive
  // hold, which the fast release recognizes with one load (plainHold), and
  // the fast acquisition writes with classNode in one store; keep them
  // together and in this order.
  Access access;
  bool timed;                // acquiredAt is set
  bool ownPart;              // keyPart is set; else the part is partOf(classNode, access)
  std::uint8_t zero;         // always 0
  std::uint32_t recursion;   // extra acquisitions of a recursive lock
  std::uint64_t keyPart;     // this lock's contribution to chain keys, when ownPart
  std::uint64_t acquiredAt;  // monotonic ns, when timed
};

// A lock's contribution to chain keys, unless same-class nesting gives it
// one of its own.
inline std::uint64_t partOf(NodeId classNode, Access access) {
  return (static_cast<std::uint64_t>(classNode) << 1) | static_cast<std::uint64_t>(access);
}
inline std::uint64_t partOf(const HeldLock& h) {
  return h.ownPart ? h.keyPart : partOf(h.classNode, h.access);
}

inline bool plainHold(const HeldLock& h) {
  std::uint64_t bits;
  std::memcpy(&bits, reinterpret_cast<const char*>(&h) + offsetof(HeldLock, access), sizeof bits);
  return bits == 0;
}
static_assert(offsetof(HeldLock, access) == offsetof(HeldLock, classNode) + sizeof(NodeId) &&
              offsetof(HeldLock, zero) + 1 == offsetof(HeldLock, recursion) &&
              offsetof(HeldLock, recursion) + sizeof(std::uint32_t) - offsetof(HeldLock, access) ==
                  sizeof(std::uint64_t));

struct ThreadState {
  static constexpr std::uint32_t kChainCacheSize = 1024; // power of two

  std::atomic<bool> inUse;
  ThreadState* next;          // registry link, immutable once published
  int osTid;                  // for an async owner, the OS thread that ran it last
  std::uint32_t serial;       // T1, T2, ... in reports
  // Non-null for the state of an async lock owner (a coroutine or task
  // holding async mutexes, async_owners.h), which no OS thread is bound to.
  const void* asyncOwner;
  // The fast paths of detector.h run only while both are false; they test
  // them together (fastPathBlocked).
  bool inRuntime;             // set while the runtime itself runs
  bool fastPathOff;           // options().fastPathOff, copied by optionsChanged()

  // Held locks in acquisition order. Written only by the owning thread; the
  // watchdog reads it racily, which is fine for threads that are blocked.
  // held[-1] exists and is all zeros: the release fast path reads the top
  // entry without testing for an empty stack.
  HeldLock* held;
  std::atomic<std::uint32_t> depth;
  std::uint32_t capacity;

  // The program's site of the acquisition being made through out-of-line
  // lock wrappers, for the entry point returning to sitePc (SiteScope in
  // program_site.h); sitePc is null otherwise.
  const void* sitePc;
  const void* programSite;

  // Chain keys validated by this thread, each stored plus the cache epoch
  // it was validated in (chainCacheEpoch in detector.h): a bump of the epoch
  // invalidates every entry without touching the cache.
  std::uint64_t chainCache[kChainCacheSize];
  std::uint64_t& chainSlot(std::uint64_t key) { return chainCache[key & (kChainCacheSize - 1)]; }

  // Locks other threads released while this thread held them (a
  // cross-thread bad-unlock, such as a coroutine resumed on another thread
  // unlocking what it locked here): this thread's entries for them are
  // stale. Other threads post here; the owner drops the entries on its next
  // general-path lock or unlock (dropHoldsReleasedByOthers in detector.h),
  // without locks or allocation. When all slots are taken the hold stays.
  static constexpr std::uint32_t kReleasedByOthersSlots = 16;
  std::atomic<LockState*> releasedByOthers[kReleasedByOthersSlots];
  std::atomic<std::uint32_t> releasedByOthersCount;

  // Set while blocked in an acquisition.
  std::atomic<LockState*> waitingFor;
  Access waitingAccess;
  std::uint64_t waitingSince;
  StackId waitingStack;

  // The watchdog's own notes, touched by it alone. The fast path records a
  // hold before the real lock call, so a thread blocked there shows the
  // lock as its top hold while the mutex names another owner; these say
  // which top hold the watchdog last saw in that state, and since when.
  const void* pendingObject;
  std::uint32_t pendingDepth;
  std::uint64_t pendingSince;
};

inline bool fastPathBlocked(const ThreadState* t) {
  static_assert(offsetof(ThreadState, fastPathOff) == offsetof(ThreadState, inRuntime) + 1);
  std::uint16_t both;
  std::memcpy(&both, reinterpret_cast<const char*>(t) + offsetof(ThreadState, inRuntime), sizeof both);
  return both != 0;
}

// Initial-exec TLS: no __tls_get_addr call (which may allocate) on the fast
// path, also when this code is in the preload library.
// __thread rather than thread_local: no C++ TLS wrapper call on each access.
extern __thread ThreadState* tlsCurrentThread LOCKGRAPH_INTERNAL __attribute__((tls_model("initial-exec")));

ThreadState* createCurrentThread();

// The calling thread's state, created on first use.
inline ThreadState* currentThread() {
  ThreadState* t = tlsCurrentThread;
  return t ? t : createCurrentThread();
}
// nullptr if the thread has no state (yet, or any more while it exits).
inline ThreadState* currentThreadIfAny() { return tlsCurrentThread; }

void growHeld(ThreadState* t);
// Room kept above every hold the thread makes outside a signal handler. A
// handler interrupting a push (the fast path's included) pushes and pops
// above it; were the array to grow then, the interrupted push would finish
// in the old array. So handlers nesting fewer locks than this never grow it.
constexpr std::uint32_t kHeldSlackForSignals = 16;
// Makes room for one more held lock (the array grows, never shrinks).
inline void reserveHeld(ThreadState* t) {
  if (t->depth.load(std::memory_order_relaxed) + kHeldSlackForSignals >= t->capacity)
    growHeld(t);
}

// Marks the calling thread as inside the runtime for its lifetime. A lock
// call that arrives meanwhile, from the runtime itself or from a signal
// handler that interrupted it, is passed to the real function unobserved
// (lock and unlock alike), so it can neither re-enter the runtime's spin
// locks nor see its state half updated. Nests.
class RuntimeScope {
public:
  explicit RuntimeScope(ThreadState* t) : t_(t), outer_(t && t->inRuntime) {
    if (t_)
      t_->inRuntime = true;
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  ~RuntimeScope() {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (t_)
      t_->inRuntime = outer_;
  }
  RuntimeScope(const RuntimeScope&) = delete;
  RuntimeScope& operator=(const RuntimeScope&) = delete;

private:
  ThreadState* t_;
  bool outer_;
};

// Tells `owner` that another thread released `lock` for it; false when its
// slots are all taken.
bool postReleasedByOther(ThreadState* owner, LockState* lock);
// Whether `lock` was released for `t` by another thread and `t` has not
// dropped its entry yet (its entry for `lock` is then stale).
bool releasedByOther(const ThreadState* t, const LockState* lock);

// Every registered state, live or free; iterate with ->next.
ThreadState* firstThread();

// Called in the child after fork(): only the calling thread survives.
void resetThreadsAfterFork();

// A state for an async lock owner, bound to no thread (async_owners.h), and
// its release once the owner holds nothing.
ThreadState* claimOwnerState(const void* owner);
void releaseOwnerState(ThreadState* t);

// Releases the calling thread's state early (tests use it to simulate exit).
void releaseCurrentThread();

} // namespace lockgraph::rt
