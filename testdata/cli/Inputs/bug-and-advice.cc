#include <chrono>
#include <mutex>
#include <thread>

std::mutex a, b;

void slow_under_lock() {
  std::lock_guard g(a);
  std::this_thread::sleep_for(std::chrono::seconds(1));
}

void a_then_b() {
  std::lock_guard ga(a);
  std::lock_guard gb(b);
}

void b_then_a() {
  std::lock_guard gb(b);
  std::lock_guard ga(a);
}
