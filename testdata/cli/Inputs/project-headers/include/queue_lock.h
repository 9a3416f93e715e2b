// The project's own header: its lock-order cycle is the project's bug.
#pragma once
#include <mutex>

inline std::mutex queueMu, statsMu;
inline void pushThenCount() {
  std::lock_guard<std::mutex> q(queueMu);
  std::lock_guard<std::mutex> s(statsMu);
}
inline void countThenPush() {
  std::lock_guard<std::mutex> s(statsMu);
  std::lock_guard<std::mutex> q(queueMu);
}
