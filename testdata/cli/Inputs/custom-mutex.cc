// SpinLock is not a standard mutex type: it is one only when configured
// with the check's Mutexes option.
#include "task.h"

class SpinLock {
public:
  void lock();
  void unlock();
};

SpinLock spin;

Task spinAcrossAwait() {
  spin.lock();
  co_await std::suspend_always{};
  spin.unlock();
}
