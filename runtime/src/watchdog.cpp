#include "watchdog.h"

#include "detector.h"
#include "options.h"
#include "os.h"
#include "flat_map.h"
#include "thread_state.h"

#include <atomic>
#include <ctime>
#include <pthread.h>

namespace lockgraph::rt {

namespace {

std::atomic<bool> running{false};

struct Waiter {
  ThreadState* thread;
  LockState* lock;
  Access access;
  StackId stack;
  std::uint32_t heldDepth; // holds below this index are real, the rest pending
  int next;                // index of a thread holding `lock`, or -1
};

constexpr int kMaxWaiters = 256;

// glibc records the owner's thread id in every pthread mutex it locks
// (normal, recursive, error-checking, adaptive) and clears it on unlock.
int mutexOwnerTid(const void* object) {
  return static_cast<const pthread_mutex_t*>(object)->__data.__owner;
}

// Whether the hold's object is the pthread mutex itself: the mutex paths
// (interceptors and lock_native) name it, the others name the LockState.
bool namesPthreadMutex(const HeldLock& h) {
  return h.object != h.lock && h.lock->kind != LockKind::shared && !(h.lock->flags & kSpinLock);
}

bool holds(const Waiter& w, const LockState* lock, Access wanted) {
  ThreadState* t = w.thread;
  if (releasedByOther(t, lock))
    return false;
  for (std::uint32_t i = 0; i < w.heldDepth && i < t->capacity; ++i) {
    const HeldLock& h = t->held[i];
    if (h.lock != lock || !conflicts(h.access, wanted))
      continue;
    // The mutex must agree, or the hold is stale by now.
    return !namesPthreadMutex(h) || mutexOwnerTid(h.object) == t->osTid;
  }
  return false;
}

// A thread blocked in the real lock call of the fast path: its top hold,
// unchanged for the whole timeout, is a mutex another thread owns. Updates
// the thread's pending notes.
bool blockedOnFastPath(ThreadState* t, std::uint64_t now, std::uint64_t timeoutNs, Waiter* out) {
  std::uint32_t depth = t->depth.load(std::memory_order_acquire);
  const HeldLock* top = depth && depth <= t->capacity ? &t->held[depth - 1] : nullptr;
  if (top == nullptr) {
    t->pendingObject = nullptr;
    return false;
  }
  // The first sighting only notes the top hold: it may be half written (a
  // push raises the depth first) and name a lock that is gone. Seen again
  // a period later, it is the thread's real hold or wait.
  if (t->pendingObject != top->object || t->pendingDepth != depth) {
    t->pendingObject = top->object;
    t->pendingDepth = depth;
    t->pendingSince = now;
    return false;
  }
  if (now - t->pendingSince < timeoutNs || top->lock == nullptr || !namesPthreadMutex(*top) ||
      mutexOwnerTid(top->object) == t->osTid)
    return false;
  const void* site = top->site;
  *out = Waiter{t, top->lock, top->access, storeStack(&site, 1), depth - 1, -1};
  return true;
}

// Cycles already reported when the process keeps running (exit_on_deadlock=0).
constexpr int kMaxRemembered = 64;
std::uint64_t rememberedCycles[kMaxRemembered];
int rememberedCount = 0;

bool reportedBefore(std::uint64_t signature) {
  for (int i = 0; i < rememberedCount; ++i)
    if (rememberedCycles[i] == signature)
      return true;
  if (rememberedCount < kMaxRemembered)
    rememberedCycles[rememberedCount++] = signature;
  return false;
}

void* watchdogMain(void*) {
  for (;;) {
    std::uint64_t timeoutMs = options().deadlockTimeoutMs;
    std::uint64_t periodMs = timeoutMs / 4 ? timeoutMs / 4 : 1;
    if (periodMs > 200)
      periodMs = 200;
    timespec ts{static_cast<time_t>(periodMs / 1000), static_cast<long>(periodMs % 1000) * 1000000};
    nanosleep(&ts, nullptr);
    if (checkForDeadlock() && options().exitOnDeadlock)
      finalizeAndExit();
  }
  return nullptr;
}

} // namespace

bool checkForDeadlock() {
  std::uint64_t timeoutNs = options().deadlockTimeoutMs * 1000000ull;
  std::uint64_t now = monotonicNanos();
  Waiter waiters[kMaxWaiters];
  int count = 0;
  for (ThreadState* t = firstThread(); t && count < kMaxWaiters; t = t->next) {
    if (!t->inUse.load(std::memory_order_acquire))
      continue;
    LockState* lock = t->waitingFor.load(std::memory_order_acquire);
    if (lock == nullptr) {
      count += blockedOnFastPath(t, now, timeoutNs, &waiters[count]);
      continue;
    }
    if (now - t->waitingSince < timeoutNs)
      continue;
    waiters[count++] = Waiter{t, lock, t->waitingAccess, t->waitingStack,
                              t->depth.load(std::memory_order_acquire), -1};
  }
  // Wait-for edges among long waiters: waiter -> a long waiter holding the
  // lock it wants. A thread that is not itself stuck will let go eventually.
  // A waiter holding the lock itself (after a recursive-lock report) is a
  // cycle of one.
  for (int i = 0; i < count; ++i)
    for (int j = 0; j < count; ++j)
      if (holds(waiters[j], waiters[i].lock, waiters[i].access)) {
        waiters[i].next = j;
        break;
      }
  for (int start = 0; start < count; ++start) {
    // Follow the chain from `start`; a repeat within `count` steps is a cycle.
    int slow = start;
    for (int steps = 0; steps < count && slow >= 0; ++steps)
      slow = waiters[slow].next;
    if (slow < 0)
      continue;
    std::uint64_t signature = 0;
    int member = slow;
    do {
      signature += mixHash(reinterpret_cast<std::uintptr_t>(waiters[member].thread),
                           reinterpret_cast<std::uintptr_t>(waiters[member].lock));
      member = waiters[member].next;
    } while (member != slow);
    if (reportedBefore(signature))
      continue;
    // `slow` now lies on the cycle; collect it.
    Report* r = newReport(ReportKind::deadlock);
    ThreadState* self = currentThreadIfAny();
    r->tid = self ? self->osTid : currentOsThreadId();
    member = slow;
    do {
      if (r->threadCount == Report::kMaxThreads)
        break;
      const Waiter& w = waiters[member];
      ThreadState* t = w.thread;
      ReportThread& out = r->threads[r->threadCount++];
      out.tid = t->osTid;
      out.serial = t->serial;
      out.waitingFor = r->addLock(describeLock(*w.lock));
      out.waitingAccess = w.access;
      out.waitStack = w.stack;
      for (std::uint32_t i = 0; i < w.heldDepth && i < t->capacity; ++i) {
        if (out.heldCount == ReportThread::kMaxHeld) {
          ++out.heldOmitted;
          continue;
        }
        out.held[out.heldCount] = r->addLock(describeLock(*t->held[i].lock));
        out.heldSites[out.heldCount++] = t->held[i].site;
      }
      member = waiters[member].next;
    } while (member != slow);
    emitReport(r);
    return true;
  }
  return false;
}

void startWatchdog() {
  bool expected = false;
  if (!running.compare_exchange_strong(expected, true))
    return;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  if (pthread_create(&thread, &attr, watchdogMain, nullptr) != 0)
    running.store(false);
  pthread_attr_destroy(&attr);
}

namespace {
std::atomic<bool> restartAfterFork{false};
} // namespace

void resetWatchdogAfterFork() {
  // The watchdog thread did not survive the fork. Starting one right here,
  // in the child's atfork handler, is not safe when the parent had other
  // threads (until it execs, the child may call only async-signal-safe
  // functions, and most children of such programs just exec): the child's
  // next slow-path runtime call starts it (restartWatchdogAfterFork).
  if (running.exchange(false))
    restartAfterFork.store(true, std::memory_order_relaxed);
}

void restartWatchdogAfterFork() {
  if (restartAfterFork.load(std::memory_order_relaxed) && restartAfterFork.exchange(false))
    startWatchdog();
}

} // namespace lockgraph::rt
