#include "async_owners.h"

#include "detector.h"
#include "flat_map.h"
#include "spin_lock.h"

#include <cstdint>

namespace lockgraph::rt {

namespace {

// Owner token -> its ThreadState. An owner's state lives while it holds
// an async mutex: made at its first acquisition, given back when its last
// hold is released, so tasks that come and go cost no memory.
SpinLock ownersLock;
FlatMap owners;

std::uint64_t keyOf(const void* owner) {
  std::uint64_t key = reinterpret_cast<std::uintptr_t>(owner);
  return key == 0 || key == ~std::uint64_t{0} ? 1 : key;
}

ThreadState* stateOf(const void* owner, bool create) {
  SpinGuard guard(ownersLock);
  std::uint64_t key = keyOf(owner);
  if (std::uint64_t* slot = owners.find(key)) {
    auto* t = reinterpret_cast<ThreadState*>(*slot);
    // A state dropped by fork (resetThreadsAfterFork) is no longer the owner's.
    if (t->inUse.load(std::memory_order_acquire) && t->asyncOwner == owner)
      return t;
    owners.erase(key);
  }
  if (!create)
    return nullptr;
  ThreadState* t = claimOwnerState(owner);
  bool inserted = false;
  owners.insert(key, reinterpret_cast<std::uintptr_t>(t), &inserted);
  return t;
}

void forgetIfIdle(ThreadState* t) {
  if (t->depth.load(std::memory_order_relaxed) != 0 || holdsReleasedByOthers(t))
    return;
  SpinGuard guard(ownersLock);
  owners.erase(keyOf(t->asyncOwner));
  releaseOwnerState(t);
}

} // namespace

void onAsyncAcquired(LockState& lock, const void* owner, Access access, bool mayFail, const void* pc) {
  ThreadState* self = currentThread();
  if (self->inRuntime || lock.class_node == kNoNode)
    return;
  // The OS thread is inside the runtime throughout: the owner's state is
  // not the thread's, and a report made here must not observe itself.
  RuntimeScope scope(self);
  ThreadState* t = stateOf(owner, true);
  t->osTid = self->osTid;
  completeAcquire(planAcquireOn(t, lock, access), lock, access, mayFail, pc, nullptr);
}

void onAsyncReleased(LockState& lock, const void* owner, Access access, const void* pc) {
  ThreadState* self = currentThread();
  if (self->inRuntime)
    return;
  RuntimeScope scope(self);
  ThreadState* t = stateOf(owner, true); // an owner that holds nothing: a bad-unlock
  t->osTid = self->osTid;
  releaseHeldBy(t, lock, &access, pc);
  forgetIfIdle(t);
}

void lockAsyncOwnersForFork() { ownersLock.lock(); }
void unlockAsyncOwnersAfterFork() { ownersLock.unlock(); }
void resetAsyncOwnersAfterFork() { ownersLock.resetAfterFork(); }

} // namespace lockgraph::rt
