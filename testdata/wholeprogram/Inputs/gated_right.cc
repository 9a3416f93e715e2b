#include "gated.h"
static void take_left() { std::lock_guard l(left); }
void right_then_left() {
  std::lock_guard g(gate);
  std::lock_guard r(right);
  take_left();
}
