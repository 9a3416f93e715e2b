// The site of an acquisition in the program's own code. The runtime's
// entry point sees its return address; when the program took the lock
// through an out-of-line wrapper (lock_wrappers.h: an unoptimized build's
// std::mutex::lock, lock_guard's constructor, lockgraph::mutex::lock), that
// address lies in the wrapper, the same for every lock, and the program's
// line is a few frames further up. Heap and stack locks are identified
// across processes by that line (docs/runtime.md, "Which lock is which"),
// and reports show it as "acquired at".
#pragma once

#include "lock_wrappers.h"
#include "thread_state.h"

namespace lockgraph::rt {

// The return address of the first frame above the entry point that is not
// inside a wrapper; `pc` is the entry point's return address and `cfa` its
// canonical frame address (__builtin_dwarf_cfa()). `pc` itself when it is
// not inside a wrapper, or when the frames cannot be walked.
//
// Cost: per frame, a lookup in a lock-free table of return addresses that
// says whether the address is in a wrapper and that wrapper frame's size
// (about 60 instructions for lock_guard -> mutex::lock -> __gthread_mutex_lock).
// A return address is classified once (a binary search over the wrappers)
// and a size learned once, by unwinding the stack (the call frame
// information says it, with or without frame pointers); the walk itself
// then reads one return address per frame. No allocation, no lock.
const void* programSite(const void* pc, const void* cfa);

// Records, for the acquisition an entry point is making on this thread,
// the program's site, which completeAcquire (detector.h) stores as the
// hold's site. Nothing to do, and one load, unless lockWrappersOutOfLine.
// Restores what was there on exit: a signal handler's own acquisition
// nested inside leaves the interrupted one's site as it found it.
class SiteScope {
public:
  SiteScope(const void* pc, const void* cfa) {
    if (lockWrappersOutOfLine.load(std::memory_order_relaxed)) [[unlikely]]
      enter(pc, cfa);
  }
  ~SiteScope() {
    if (t_) [[unlikely]]
      leave();
  }
  SiteScope(const SiteScope&) = delete;
  SiteScope& operator=(const SiteScope&) = delete;

private:
  void enter(const void* pc, const void* cfa);
  void leave();
  ThreadState* t_ = nullptr;
  const void* savedPc_ = nullptr;
  const void* savedSite_ = nullptr;
};

// Where the hold the thread is recording for the entry point that returns
// to `pc` was taken in the program: what a SiteScope found, else `pc`.
inline const void* acquisitionSite(const ThreadState* t, const void* pc) {
  return t->sitePc == pc ? t->programSite : pc;
}

} // namespace lockgraph::rt

// Both read in the entry point itself, the function the wrapper called.
#define LOCKGRAPH_ENTRY_PC __builtin_return_address(0)
#define LOCKGRAPH_ENTRY_CFA __builtin_dwarf_cfa()
