// Each thread makes its order once without contention (so both chains are
// validated and cached, and the inversion is reported), then both make it
// again at the same time and really deadlock, on the runtime's fast path,
// which records a hold before the real lock call. The watchdog must see
// threads blocked there too.
#include <barrier>
#include <mutex>
#include <thread>

std::mutex left, right;
std::barrier step(2);

void takeInOrder(std::mutex& first, std::mutex& second, bool goesFirst) {
  if (!goesFirst)
    step.arrive_and_wait();
  {
    std::lock_guard<std::mutex> f(first);
    std::lock_guard<std::mutex> s(second);
  }
  if (goesFirst)
    step.arrive_and_wait();
  step.arrive_and_wait(); // both orders made
  std::lock_guard<std::mutex> f(first);
  step.arrive_and_wait(); // both hold their first
  std::lock_guard<std::mutex> s(second);
}

int main() {
  std::thread a([] { takeInOrder(left, right, true); });
  std::thread b([] { takeInOrder(right, left, false); });
  a.join();
  b.join();
}
