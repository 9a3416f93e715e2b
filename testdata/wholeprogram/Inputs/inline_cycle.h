// Both orders live in inline functions of one header that two files
// include: one cycle, reported once.
#pragma once
#include <mutex>
inline std::mutex first_mu, second_mu;
inline void first_then_second() {
  std::lock_guard a(first_mu);
  std::lock_guard b(second_mu);
}
inline void second_then_first() {
  std::lock_guard b(second_mu);
  std::lock_guard a(first_mu);
}
