#include "watchdog.h"

#include "detector.h"
#include "options.h"
#include "os.h"
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
  int next; // index of a thread holding `lock`, or -1
};

constexpr int kMaxWaiters = 256;

bool holds(ThreadState* t, const LockState* lock, Access wanted) {
  if (releasedByOther(t, lock))
    return false;
  std::uint32_t depth = t->depth.load(std::memory_order_acquire);
  for (std::uint32_t i = 0; i < depth && i < t->capacity; ++i)
    if (t->held[i].lock == lock && conflicts(t->held[i].access, wanted))
      return true;
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
    if (checkForDeadlock())
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
    if (lock == nullptr || now - t->waitingSince < timeoutNs)
      continue;
    waiters[count++] = Waiter{t, lock, -1};
  }
  // Wait-for edges among long waiters: waiter -> a long waiter holding the
  // lock it wants. A thread that is not itself stuck will let go eventually.
  // A waiter holding the lock itself (after a recursive-lock report) is a
  // cycle of one.
  for (int i = 0; i < count; ++i)
    for (int j = 0; j < count; ++j)
      if (holds(waiters[j].thread, waiters[i].lock, waiters[i].thread->waitingAccess)) {
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
    // `slow` now lies on the cycle; collect it.
    Report* r = newReport(ReportKind::deadlock);
    ThreadState* self = currentThreadIfAny();
    r->tid = self ? self->osTid : currentOsThreadId();
    int member = slow;
    do {
      if (r->threadCount == Report::kMaxThreads)
        break;
      ThreadState* t = waiters[member].thread;
      ReportThread& out = r->threads[r->threadCount++];
      out.tid = t->osTid;
      out.serial = t->serial;
      out.waitingFor = r->addLock(describeLock(*waiters[member].lock));
      out.waitingAccess = t->waitingAccess;
      out.waitStack = t->waitingStack;
      std::uint32_t depth = t->depth.load(std::memory_order_acquire);
      for (std::uint32_t i = 0; i < depth && i < t->capacity; ++i) {
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

void resetWatchdogAfterFork() {
  // The watchdog thread did not survive the fork; start a new one.
  if (running.exchange(false))
    startWatchdog();
}

} // namespace lockgraph::rt
