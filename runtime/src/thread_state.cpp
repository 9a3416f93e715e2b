#include "thread_state.h"

#include "options.h"
#include "os.h"

#include <cstring>
#include <pthread.h>

namespace lockgraph::rt {

namespace {

constexpr std::uint32_t kInitialHeld = 64;

std::atomic<ThreadState*> registry{nullptr};
std::atomic<std::uint32_t> nextSerial{0};
pthread_key_t exitKey;
std::atomic<int> exitKeyState{0}; // 0 none, 1 creating, 2 ready


void onThreadExit(void*) { releaseCurrentThread(); }

void ensureExitKey() {
  int expected = 0;
  if (exitKeyState.compare_exchange_strong(expected, 1)) {
    pthread_key_create(&exitKey, onThreadExit);
    exitKeyState.store(2, std::memory_order_release);
  }
  while (exitKeyState.load(std::memory_order_acquire) != 2)
    sched_yield();
}

// Room for `capacity` entries after a zeroed sentinel (see ThreadState::held).
HeldLock* mapHeld(std::uint32_t capacity) {
  return static_cast<HeldLock*>(mapPages(sizeof(HeldLock) * (capacity + 1))) + 1;
}

ThreadState* claimSlot() {
  for (ThreadState* t = registry.load(std::memory_order_acquire); t; t = t->next) {
    bool expected = false;
    if (!t->inUse.load(std::memory_order_relaxed) &&
        t->inUse.compare_exchange_strong(expected, true, std::memory_order_acquire))
      return t;
  }
  auto* t = static_cast<ThreadState*>(mapPages(sizeof(ThreadState)));
  t->inUse.store(true, std::memory_order_relaxed);
  t->held = mapHeld(kInitialHeld);
  t->capacity = kInitialHeld;
  ThreadState* head = registry.load(std::memory_order_relaxed);
  do {
    t->next = head;
  } while (!registry.compare_exchange_weak(head, t, std::memory_order_release,
                                           std::memory_order_relaxed));
  return t;
}

void prepareForThread(ThreadState* t) {
  t->osTid = currentOsThreadId();
  t->serial = nextSerial.fetch_add(1, std::memory_order_relaxed) + 1;
  t->inRuntime = false;
  t->fastPathOff = options().fastPathOff;
  t->sitePc = nullptr;
  t->programSite = nullptr;
  t->asyncOwner = nullptr;
  t->depth.store(0, std::memory_order_relaxed);
  t->waitingFor.store(nullptr, std::memory_order_relaxed);
  t->pendingObject = nullptr;
  for (auto& slot : t->releasedByOthers)
    slot.store(nullptr, std::memory_order_relaxed);
  t->releasedByOthersCount.store(0, std::memory_order_relaxed);
}

} // namespace

__thread ThreadState* tlsCurrentThread __attribute__((tls_model("initial-exec"))) = nullptr;

ThreadState* createCurrentThread() {
  ensureExitKey();
  ThreadState* t = claimSlot();
  prepareForThread(t);
  tlsCurrentThread = t;
  // The key's destructor runs at thread exit and frees the slot; locks still
  // held then are simply forgotten, as if the thread had never taken them.
  pthread_setspecific(exitKey, t);
  return t;
}

ThreadState* claimOwnerState(const void* owner) {
  ThreadState* t = claimSlot();
  prepareForThread(t);
  t->asyncOwner = owner;
  return t;
}

void releaseOwnerState(ThreadState* t) {
  t->depth.store(0, std::memory_order_relaxed);
  t->asyncOwner = nullptr;
  t->inUse.store(false, std::memory_order_release);
}

void growHeld(ThreadState* t) {
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  // The old array is kept: the watchdog may be reading it right now.
  std::uint32_t capacity = t->capacity * 2;
  HeldLock* bigger = mapHeld(capacity);
  std::memcpy(bigger, t->held, sizeof(HeldLock) * depth);
  t->held = bigger;
  t->capacity = capacity;
}

bool postReleasedByOther(ThreadState* owner, LockState* lock) {
  for (auto& slot : owner->releasedByOthers) {
    LockState* empty = nullptr;
    if (slot.compare_exchange_strong(empty, lock, std::memory_order_acq_rel)) {
      owner->releasedByOthersCount.fetch_add(1, std::memory_order_release);
      return true;
    }
  }
  return false;
}

bool releasedByOther(const ThreadState* t, const LockState* lock) {
  if (t->releasedByOthersCount.load(std::memory_order_acquire) == 0)
    return false;
  for (const auto& slot : t->releasedByOthers)
    if (slot.load(std::memory_order_acquire) == lock)
      return true;
  return false;
}

ThreadState* firstThread() { return registry.load(std::memory_order_acquire); }

void releaseCurrentThread() {
  ThreadState* t = tlsCurrentThread;
  if (t == nullptr)
    return;
  tlsCurrentThread = nullptr;
  t->depth.store(0, std::memory_order_relaxed);
  t->waitingFor.store(nullptr, std::memory_order_relaxed);
  t->inUse.store(false, std::memory_order_release);
}

void resetThreadsAfterFork() {
  for (ThreadState* t = firstThread(); t; t = t->next) {
    if (t == tlsCurrentThread)
      continue;
    t->depth.store(0, std::memory_order_relaxed);
    t->waitingFor.store(nullptr, std::memory_order_relaxed);
    t->inUse.store(false, std::memory_order_relaxed);
  }
  if (tlsCurrentThread)
    tlsCurrentThread->osTid = currentOsThreadId();
}

} // namespace lockgraph::rt
