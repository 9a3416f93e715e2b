#include "gated.h"
std::mutex gate, left, right;
// Both orders happen, but always under `gate`: they cannot interleave.
void left_then_right() {
  std::lock_guard g(gate);
  std::lock_guard l(left);
  std::lock_guard r(right);
}
