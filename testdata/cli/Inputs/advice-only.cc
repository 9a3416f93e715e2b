#include <chrono>
#include <mutex>
#include <thread>

std::mutex a;

void slow_under_lock() {
  std::lock_guard g(a);
  std::this_thread::sleep_for(std::chrono::seconds(1));
}
