#include "split_locks.h"

void underB(void (*callback)()) {
  std::lock_guard<std::mutex> b(B);
  callback();
}

void underC(void (*callback)()) {
  std::lock_guard<std::mutex> c(C);
  callback();
}

// The test traffic: B -> C, then C -> A. takeAThenB (A -> B) only runs
// with an argument, so this run alone sees no cycle.
int main(int argc, char **) {
  underB(takeC);
  underC(takeA);
  if (argc > 1)
    takeAThenB();
}
