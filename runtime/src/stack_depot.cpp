#include "stack_depot.h"

#include "arena.h"
#include "flat_map.h"
#include "os.h"
#include "spin_lock.h"

#include <cstring>
#include <unwind.h>

namespace lockgraph::rt {

namespace {

constexpr std::uint32_t kMaxStacks = 1u << 22;
constexpr int kMaxCapture = 256;

struct Depot {
  SpinLock lock;
  FlatMap byHash; // hash -> id
  StackView* stacks = nullptr;
  std::uint32_t count = 0;
};
Depot depot;

struct Unwind {
  void* frames[kMaxCapture + 64];
  int size = 0;
  int limit = 0;
};

_Unwind_Reason_Code collectFrame(_Unwind_Context* context, void* arg) {
  auto* u = static_cast<Unwind*>(arg);
  if (u->size >= u->limit)
    return _URC_END_OF_STACK;
  u->frames[u->size++] = reinterpret_cast<void*>(_Unwind_GetIP(context));
  return _URC_NO_REASON;
}

} // namespace

StackId storeStack(const void* const* frames, std::uint32_t size) {
  if (size == 0)
    return kNoStack;
  std::uint64_t h = size;
  for (std::uint32_t i = 0; i < size; ++i)
    h = mixHash(h, reinterpret_cast<std::uintptr_t>(frames[i]));
  if (h == 0 || h == ~0ull)
    h = 1;
  SpinGuard guard(depot.lock);
  if (depot.stacks == nullptr)
    depot.stacks = static_cast<StackView*>(mapPages(sizeof(StackView) * kMaxStacks));
  if (std::uint64_t* id = depot.byHash.find(h))
    return static_cast<StackId>(*id);
  if (depot.count + 1 >= kMaxStacks)
    return kNoStack;
  auto* copy = static_cast<const void**>(globalArena().allocate(sizeof(void*) * size));
  std::memcpy(copy, frames, sizeof(void*) * size);
  StackId id = ++depot.count;
  depot.stacks[id] = StackView{copy, size};
  depot.byHash.insert(h, id, nullptr);
  return id;
}

StackId captureStack(const void* firstUserPc, int maxFrames) {
  if (maxFrames > kMaxCapture)
    maxFrames = kMaxCapture;
  Unwind u;
  // Room for the runtime's own frames, which are dropped below.
  u.limit = maxFrames + 64;
  _Unwind_Backtrace(collectFrame, &u);
  int first = 0;
  for (int i = 0; i < u.size; ++i)
    if (u.frames[i] == firstUserPc) {
      first = i;
      break;
    }
  int n = u.size - first;
  if (n > maxFrames)
    n = maxFrames;
  // Trailing frames with a null pc are the unwinder's end marker.
  while (n > 0 && u.frames[first + n - 1] == nullptr)
    --n;
  return storeStack(const_cast<const void* const*>(u.frames + first), static_cast<std::uint32_t>(n));
}

StackView stackFrames(StackId id) {
  SpinGuard guard(depot.lock);
  if (id == kNoStack || id > depot.count)
    return {};
  return depot.stacks[id];
}

void lockStackDepotForFork() { depot.lock.lock(); }
void unlockStackDepotAfterFork() { depot.lock.unlock(); }
void resetStackDepotAfterFork() { depot.lock.resetAfterFork(); }

} // namespace lockgraph::rt
