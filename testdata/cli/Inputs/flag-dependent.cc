// Holds the lock across the co_await only when compiled with -DHOLD_LOCK,
// which shows that compiler flags reach the analysis.
#include "task.h"
#include <mutex>

std::mutex stateMutex;

Task update() {
#ifdef HOLD_LOCK
  std::lock_guard<std::mutex> hold(stateMutex);
#endif
  co_await std::suspend_always{};
}
