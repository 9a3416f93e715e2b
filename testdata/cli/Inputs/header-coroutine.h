// A coroutine defined in a header, holding a lock across co_await (line 9).
#pragma once
#include "task.h"
#include <mutex>

inline std::mutex headerMutex;
inline Task headerTask() {
  std::lock_guard<std::mutex> hold(headerMutex);
  co_await std::suspend_always{};
}
