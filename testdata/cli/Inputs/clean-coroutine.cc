// The lock is released before the coroutine suspends: no findings.
#include "task.h"
#include <mutex>

std::mutex queueMutex;
int pending = 0;

Task drainQueue() {
  {
    std::lock_guard<std::mutex> hold(queueMutex);
    ++pending;
  }
  co_await std::suspend_always{};
}
