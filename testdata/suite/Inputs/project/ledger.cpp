#include "ledger.h"

#include <mutex>

std::mutex a;
std::mutex b;

void deposit() {
  std::lock_guard<std::mutex> first(a);
  std::lock_guard<std::mutex> second(b);
}

void audit() {
  std::lock_guard<std::mutex> first(b);
  std::lock_guard<std::mutex> second(a);
}

void reportTotals() {
  std::lock_guard<std::mutex> first(a);
  std::lock_guard<std::mutex> second(b);
}
