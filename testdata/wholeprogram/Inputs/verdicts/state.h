#pragma once
#include "sync.h"

namespace core {

// Only files that do not define CriticalSection's constructor see this
// wrapper: the link makes it recursive because what it wraps is.
class StateLock {
public:
  void Lock() { cs_.Lock(); }
  void Unlock() { cs_.Unlock(); }

private:
  CriticalSection cs_;
};

} // namespace core
