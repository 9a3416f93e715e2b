// A third-party header installed outside the project: not the user's code.
#pragma once
#include <mutex>

inline std::mutex vendorA, vendorB;
inline void vendorAB() {
  std::lock_guard<std::mutex> a(vendorA);
  std::lock_guard<std::mutex> b(vendorB);
}
inline void vendorBA() {
  std::lock_guard<std::mutex> b(vendorB);
  std::lock_guard<std::mutex> a(vendorA);
}
