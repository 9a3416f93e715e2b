#include "split_locks.h"

std::mutex A, B, C;

void takeAThenB() {
  std::lock_guard<std::mutex> a(A);
  std::lock_guard<std::mutex> b(B);
}

void takeA() { std::lock_guard<std::mutex> a(A); }

void takeC() { std::lock_guard<std::mutex> c(C); }
