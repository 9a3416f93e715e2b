#include "lock_table.h"

#include "detector.h"
#include "os.h"
#include "spin_lock.h"

#include <pthread.h>

#include <atomic>
#include <cstdint>

namespace lockgraph::preload {

namespace {

using table::Entry;
using table::kSlots;
using table::slotOf;
// Past this many used slots (live or erased) new locks go unobserved, so
// probe sequences always end at an empty slot.
constexpr std::size_t kMaxUsed = kSlots / 4 * 3;
constexpr std::uintptr_t kEmpty = 0;
constexpr std::uintptr_t kErased = 1;
constexpr std::size_t kPageBits = std::size_t{1} << 24;

struct Table {
  // Bit per (hashed) page: some lock lived there once. Never cleared; a
  // stale bit only costs free() a few lookups.
  std::atomic<std::uint64_t>* pages = nullptr;
  rt::SpinLock lock;
  std::size_t used = 0;
  std::atomic<bool> ready{false};
  bool warnedFull = false;
};
Table registry;

std::size_t pageBit(std::uintptr_t address) {
  std::uintptr_t page = address >> 12;
  return (page ^ (page >> 24)) & (kPageBits - 1);
}

// The table lock nests outside the detector's locks (registration adds a
// graph node under it). Handlers registered after the detector's run their
// prepare step first, which is that order.
void lockTableForFork() { registry.lock.lock(); }
void unlockTableAfterFork() { registry.lock.unlock(); }
void resetTableAfterFork() { registry.lock.resetAfterFork(); }

void ensureTable() {
  if (registry.ready.load(std::memory_order_acquire))
    return;
  rt::ensureRuntimeInitialized(); // its fork handlers first, see above
  bool first = false;
  {
    rt::SpinGuard guard(registry.lock);
    first = table::slots == nullptr;
    if (first) {
      registry.pages = static_cast<std::atomic<std::uint64_t>*>(rt::mapPages(kPageBits / 8));
      auto* slots = static_cast<Entry*>(rt::mapPages(sizeof(Entry) * kSlots));
      __atomic_store_n(&table::slots, slots, __ATOMIC_RELEASE);
    }
    registry.ready.store(true, std::memory_order_release);
  }
  if (first)
    pthread_atfork(lockTableForFork, unlockTableAfterFork, resetTableAfterFork);
}

Entry* findEntry(std::uintptr_t key) {
  for (std::size_t i = slotOf(key);; i = (i + 1) & (kSlots - 1)) {
    std::uintptr_t k = table::slots[i].key.load(std::memory_order_acquire);
    if (k == key)
      return &table::slots[i];
    if (k == kEmpty)
      return nullptr;
  }
}

} // namespace

Entry* table::slots = nullptr;

rt::LockState* findOrAddLock(const void* address, rt::LockOrigin origin, rt::LockKind kind,
                             std::uint8_t flags) {
  if (rt::LockState* s = findLock(address))
    return s;
  ensureTable();
  auto key = reinterpret_cast<std::uintptr_t>(address);
  rt::SpinGuard guard(registry.lock);
  if (Entry* e = findEntry(key))
    return &e->state;
  std::size_t i = slotOf(key);
  while (table::slots[i].key.load(std::memory_order_relaxed) > kErased)
    i = (i + 1) & (kSlots - 1);
  bool reusesErased = table::slots[i].key.load(std::memory_order_relaxed) == kErased;
  if (!reusesErased && registry.used >= kMaxUsed) {
    if (!registry.warnedFull) {
      registry.warnedFull = true;
      static const char message[] =
          "lockgraph: too many live pthread locks; further locks are not checked\n";
      rt::writeAll(2, message, sizeof(message) - 1);
    }
    return nullptr;
  }
  Entry& e = table::slots[i];
  e.state.flags = flags | rt::kNodePerInstance;
  if (!rt::registerInstance(e.state, kind, origin, address))
    return nullptr;
  if (!reusesErased)
    ++registry.used;
  std::size_t bit = pageBit(key);
  registry.pages[bit / 64].fetch_or(std::uint64_t{1} << (bit % 64), std::memory_order_relaxed);
  e.key.store(key, std::memory_order_release);
  return &e.state;
}

void removeLock(const void* address) {
  if (!registry.ready.load(std::memory_order_acquire))
    return;
  rt::SpinGuard guard(registry.lock);
  if (Entry* e = findEntry(reinterpret_cast<std::uintptr_t>(address)))
    e->key.store(kErased, std::memory_order_release);
}

bool mayContainLocks(const void* begin, std::size_t size) {
  if (!registry.ready.load(std::memory_order_relaxed) || size == 0)
    return false;
  auto first = reinterpret_cast<std::uintptr_t>(begin) >> 12;
  auto last = (reinterpret_cast<std::uintptr_t>(begin) + size - 1) >> 12;
  for (std::uintptr_t page = first; page <= last; ++page) {
    std::size_t bit = pageBit(page << 12);
    if (registry.pages[bit / 64].load(std::memory_order_relaxed) & (std::uint64_t{1} << (bit % 64)))
      return true;
  }
  return false;
}

} // namespace lockgraph::preload
