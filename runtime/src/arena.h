// Bump allocation for the runtime's long-lived records (thread states,
// reports, stack frames, names). Memory is never returned: everything
// allocated here lives until the process exits.
#pragma once

#include "spin_lock.h"

#include <cstddef>

namespace lockgraph::rt {

class Arena {
public:
  void* allocate(std::size_t bytes, std::size_t alignment = alignof(std::max_align_t));
  const char* copyString(const char* text);
  void lockForFork() { lock_.lock(); }
  void unlockAfterFork() { lock_.unlock(); }
  void resetAfterFork() { lock_.resetAfterFork(); }

private:
  SpinLock lock_;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
};

Arena& globalArena();

} // namespace lockgraph::rt
