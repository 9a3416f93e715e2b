// SpinLock is not a standard mutex type, and its lock() and unlock() lock
// no mutex it owns (they spin on a flag): it is one only when configured
// with the check's Mutexes option.
#include "task.h"

#include <atomic>

class SpinLock {
public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) {
    }
  }
  void unlock() { flag_.clear(std::memory_order_release); }

private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

SpinLock spin;

Task spinAcrossAwait() {
  spin.lock();
  co_await std::suspend_always{};
  spin.unlock();
}
