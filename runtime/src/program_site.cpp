#include "program_site.h"

#include "detector.h"

#include <atomic>
#include <cstdint>
#include <unwind.h>

namespace lockgraph::rt {

namespace {

// Frame sizes (canonical frame address of a wrapper's frame minus that of
// the frame it called, at a given return address), one 64-bit word per
// return address: the address in the high 48 bits, the size in 8-byte
// units plus one in the low 16 (0: empty slot; kCannotWalk: unwinding did
// not find the address; kNotWrapper: the program's code). Filled with compare-and-swap, never emptied: the
// code of the modules scanned at start-up stays where it is.
constexpr std::uint32_t kSlots = 8192;
constexpr std::uint32_t kProbes = 16;
constexpr std::uint64_t kCannotWalk = 0xffff;
constexpr std::uint64_t kNotWrapper = 0xfffe; // a return address outside every wrapper
constexpr std::uintptr_t kMaxWrapperFrameBytes = 4096;
std::atomic<std::uint64_t> frameSizes[kSlots];

std::uint32_t slotOf(std::uintptr_t pc) { return static_cast<std::uint32_t>((pc * 0x9e3779b97f4a7c15ull) >> 51); }

// 0 when unknown.
std::uint64_t cachedSizeField(const void* pc) {
  auto address = reinterpret_cast<std::uintptr_t>(pc);
  for (std::uint32_t i = 0, slot = slotOf(address); i < kProbes; ++i, slot = (slot + 1) % kSlots) {
    std::uint64_t word = frameSizes[slot].load(std::memory_order_relaxed);
    if (word == 0)
      return 0;
    if (word >> 16 == address)
      return word & 0xffff;
  }
  return 0;
}

void cacheSizeField(const void* pc, std::uint64_t field) {
  auto address = reinterpret_cast<std::uintptr_t>(pc);
  std::uint64_t word = (static_cast<std::uint64_t>(address) << 16) | field;
  for (std::uint32_t i = 0, slot = slotOf(address); i < kProbes; ++i, slot = (slot + 1) % kSlots) {
    std::uint64_t expected = 0;
    if (frameSizes[slot].compare_exchange_strong(expected, word, std::memory_order_relaxed) ||
        expected >> 16 == address)
      return;
  }
}

struct Frame {
  std::uintptr_t ip, cfa;
};
struct Unwound {
  static constexpr int kMax = 64;
  Frame frames[kMax];
  int size = 0;
};

_Unwind_Reason_Code noteFrame(_Unwind_Context* context, void* arg) {
  auto* u = static_cast<Unwound*>(arg);
  if (u->size == Unwound::kMax)
    return _URC_END_OF_STACK;
  u->frames[u->size++] = Frame{_Unwind_GetIP(context), _Unwind_GetCFA(context)};
  return _URC_NO_REASON;
}

// Unwinds from here to the entry point and on through the wrappers above
// it, caching each wrapper frame's size. The unwinder gives each frame the
// stack pointer it had at its call (_Unwind_GetCFA: the canonical frame
// address of the frame it called), so the frame returning to `pc` is the one
// whose address is the entry point's `cfa`, and a frame's size is the
// difference to the next one's.
void learnFrameSizes(const void* pc, const void* cfa) {
  Unwound u;
  _Unwind_Backtrace(noteFrame, &u);
  int i = 0;
  while (i < u.size && !(u.frames[i].ip == reinterpret_cast<std::uintptr_t>(pc) &&
                         u.frames[i].cfa == reinterpret_cast<std::uintptr_t>(cfa)))
    ++i;
  if (i == u.size) {
    cacheSizeField(pc, kCannotWalk);
    return;
  }
  for (; i + 1 < u.size && insideLockWrapper(reinterpret_cast<const void*>(u.frames[i].ip)); ++i) {
    std::uintptr_t size = u.frames[i + 1].cfa - u.frames[i].cfa;
    // Wrappers have small frames; a large one (a wrapper with a variable
    // array, whose size differs from call to call) is not walked through.
    bool usable = u.frames[i + 1].cfa > u.frames[i].cfa && size % 8 == 0 && size <= kMaxWrapperFrameBytes;
    cacheSizeField(reinterpret_cast<const void*>(u.frames[i].ip), usable ? size / 8 + 1 : kCannotWalk);
  }
}

// Wrappers nest a few deep (lock_guard -> mutex::lock -> __gthread_mutex_lock).
constexpr int kMaxWrapperFrames = 8;

// Whether `pc` lies in a wrapper, remembered in the same table: the
// binary search over the wrappers runs once per return address.
bool wrapperAt(const void* pc, std::uint64_t* field) {
  *field = cachedSizeField(pc);
  if (*field == kNotWrapper)
    return false;
  if (*field != 0)
    return true;
  if (insideLockWrapper(pc))
    return true;
  cacheSizeField(pc, kNotWrapper);
  return false;
}

} // namespace

const void* programSite(const void* pc, const void* cfa) {
  std::uint64_t field;
  if (!wrapperAt(pc, &field))
    return pc;
  const void* at = pc;
  auto frameCfa = reinterpret_cast<std::uintptr_t>(cfa);
  for (int depth = 0; depth < kMaxWrapperFrames; ++depth) {
    if (field == 0) {
      learnFrameSizes(pc, cfa);
      field = cachedSizeField(at);
    }
    if (field == 0 || field == kCannotWalk || field == kNotWrapper)
      return pc;
    frameCfa += (field - 1) * 8; // the wrapper's own canonical frame address
    at = *reinterpret_cast<const void* const*>(frameCfa - sizeof(void*)); // its return address
    if (!wrapperAt(at, &field))
      return at;
  }
  return pc;
}

void SiteScope::enter(const void* pc, const void* cfa) {
  if (!runtimeInitialized())
    return;
  ThreadState* t = currentThread();
  if (t->inRuntime)
    return;
  const void* site;
  {
    // The unwinder may look up modules; nothing it does must be observed.
    RuntimeScope scope(t);
    site = programSite(pc, cfa);
  }
  t_ = t;
  savedPc_ = t->sitePc;
  savedSite_ = t->programSite;
  t->programSite = site;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  t->sitePc = pc;
}

void SiteScope::leave() {
  t_->sitePc = savedPc_;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  t_->programSite = savedSite_;
}

} // namespace lockgraph::rt
