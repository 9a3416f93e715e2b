// One std::mutex held across one co_await: exactly one finding, at line 10.
#include "task.h"
#include <mutex>

std::mutex queueMutex;

Task drainQueue() {
  std::lock_guard<std::mutex> hold(queueMutex);
  // The finding is reported at the co_await on the next line.
  co_await std::suspend_always{};
}
