// Heap mutexes freed and reallocated at the same addresses in swapped
// roles. Each pair is always locked first-then-second, so there is no
// inversion; a checker that keyed locks by address alone would see one.
#include <cstdio>
#include <memory>
#include <mutex>

struct Node {
  std::mutex mu;
  int value = 0;
};

int main() {
  long sum = 0;
  for (int i = 0; i < 5000; ++i) {
    auto first = std::make_unique<Node>();
    auto second = std::make_unique<Node>();
    std::lock_guard<std::mutex> a(first->mu);
    std::lock_guard<std::mutex> b(second->mu);
    sum += first->value + second->value + 1;
  }
  std::printf("sum=%ld\n", sum);
}
