// Where the preload library keeps its LockState for each pthread lock it
// has seen: a fixed open-addressing table in mmap'd memory. Lookups are
// lock-free (they run on every lock and unlock); inserts and removals, once
// per lock lifetime, take a spin lock.
#pragma once

#include "lock_state.h"
#include "report.h"
#include "visibility.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace lockgraph::preload {

namespace table {
struct Entry {
  std::atomic<std::uintptr_t> key; // the lock's address; 0 empty, 1 erased
  rt::LockState state;
};
constexpr std::size_t kSlots = std::size_t{1} << 21;
extern LOCKGRAPH_INTERNAL Entry* slots; // null until the first lock is registered
inline std::size_t slotOf(std::uintptr_t address) {
  // Locks are mostly at least 16 bytes apart (pthread mutexes and rwlocks
  // are 40 and 56 bytes; spin locks, 4 bytes, can share a slot and probe
  // on), so locks within 32 MiB of each other rarely share a slot, and
  // nearby locks land in nearby slots: the table touches few pages. One
  // shift and one mask, since this runs on every lock.
  return (address >> 4) & (kSlots - 1);
}
// Pages are counted in hashed buckets (see pageMayHoldLocks).
constexpr std::size_t kPageBuckets = std::size_t{1} << 20;
inline std::size_t pageBucket(std::uintptr_t address) {
  std::uintptr_t page = address >> 12;
  return (page ^ (page >> 20)) & (kPageBuckets - 1);
}
} // namespace table

// The state for the lock at `address`, or nullptr if never seen. Lock-free.
inline rt::LockState* findLock(const void* address) {
  table::Entry* slots = table::slots;
  if (slots == nullptr)
    return nullptr;
  auto key = reinterpret_cast<std::uintptr_t>(address);
  for (std::size_t i = table::slotOf(key);; i = (i + 1) & (table::kSlots - 1)) {
    std::uintptr_t k = slots[i].key.load(std::memory_order_acquire);
    if (k == key)
      return &slots[i].state;
    if (k == 0)
      return nullptr;
  }
}

// The state for the lock at `address`, registering it on first sight.
// nullptr when the table or the graph is full: the lock goes unobserved.
rt::LockState* findOrAddLock(const void* address, rt::LockOrigin origin, rt::LockKind kind,
                             std::uint8_t flags);

// Forgets the lock at `address` (after the detector was told).
void removeLock(const void* address);

// Whether [begin, begin + size) may contain a lock; cheap, may say yes wrongly.
bool mayContainLocks(const void* begin, std::size_t size);
// Whether the page holding `address` may contain a live lock; may say yes
// wrongly (pages share counters), never no wrongly.
bool pageMayHoldLocks(std::uintptr_t address);

// Calls `visit` for every known lock inside [begin, begin + size).
template <class F> void forEachLockIn(const void* begin, std::size_t size, F visit);

} // namespace lockgraph::preload

template <class F>
void lockgraph::preload::forEachLockIn(const void* begin, std::size_t size, F visit) {
  // Locks are int aligned (a spin lock is one int; the others contain
  // pointers and longs). Only pages that may hold one are scanned.
  auto p = (reinterpret_cast<std::uintptr_t>(begin) + 3) & ~std::uintptr_t{3};
  auto end = reinterpret_cast<std::uintptr_t>(begin) + size;
  while (p < end) {
    std::uintptr_t pageEnd = (p | 4095) + 1;
    std::uintptr_t stop = pageEnd < end ? pageEnd : end;
    if (pageMayHoldLocks(p))
      for (; p < stop; p += 4)
        if (rt::LockState* s = findLock(reinterpret_cast<const void*>(p)))
          visit(reinterpret_cast<const void*>(p), s);
    p = stop;
  }
}
