#include "lock_table.h"

#include "detector.h"
#include "os.h"
#include "spin_lock.h"
#include "thread_state.h"

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
struct Table {
  // Live locks per (hashed) page, so that free() of a block scans only the
  // pages that hold locks now (a count, not a bit that stays set: memory
  // that once held a lock must not cost every later free a scan).
  std::atomic<std::uint32_t>* pages = nullptr;
  rt::SpinLock lock;
  std::size_t used = 0;
  std::atomic<bool> ready{false};
  bool warnedFull = false;
};
Table registry;


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
      registry.pages = static_cast<std::atomic<std::uint32_t>*>(
          rt::mapPages(sizeof(std::uint32_t) * table::kPageBuckets));
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
  rt::RuntimeScope scope(rt::currentThread()); // a signal handler must not wait for the lock below
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
  registry.pages[table::pageBucket(key)].fetch_add(1, std::memory_order_relaxed);
  e.key.store(key, std::memory_order_release);
  return &e.state;
}

void removeLock(const void* address) {
  if (!registry.ready.load(std::memory_order_acquire))
    return;
  rt::RuntimeScope scope(rt::currentThread());
  rt::SpinGuard guard(registry.lock);
  auto key = reinterpret_cast<std::uintptr_t>(address);
  Entry* e = findEntry(key);
  if (e == nullptr)
    return;
  e->key.store(kErased, std::memory_order_release);
  registry.pages[table::pageBucket(key)].fetch_sub(1, std::memory_order_relaxed);
  // Erased slots followed by an empty one lie on no probe sequence that
  // goes on to a live key (the search for it would have stopped at the
  // empty slot, and slots only ever turn empty this way): they can be
  // empty again. This keeps a program that creates locks without end at
  // the table's size for its live locks. Readers probing meanwhile just
  // stop earlier, at a slot that holds no key they could want.
  std::size_t i = static_cast<std::size_t>(e - table::slots);
  if (table::slots[(i + 1) & (kSlots - 1)].key.load(std::memory_order_relaxed) != kEmpty)
    return;
  while (table::slots[i].key.load(std::memory_order_relaxed) == kErased) {
    table::slots[i].key.store(kEmpty, std::memory_order_release);
    --registry.used;
    i = (i - 1) & (kSlots - 1);
  }
}

bool mayContainLocks(const void* begin, std::size_t size) {
  if (!registry.ready.load(std::memory_order_relaxed) || size == 0)
    return false;
  auto first = reinterpret_cast<std::uintptr_t>(begin) >> 12;
  auto last = (reinterpret_cast<std::uintptr_t>(begin) + size - 1) >> 12;
  for (std::uintptr_t page = first; page <= last; ++page)
    if (pageMayHoldLocks(page << 12))
      return true;
  return false;
}

bool pageMayHoldLocks(std::uintptr_t address) {
  return registry.pages != nullptr && registry.pages[table::pageBucket(address)].load(std::memory_order_relaxed) != 0;
}

} // namespace lockgraph::preload
