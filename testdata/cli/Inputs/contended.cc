#include <chrono>
#include <mutex>
#include <thread>

std::mutex calm_mu, busy_mu, unseen_mu;

void slow_calm() {
  std::lock_guard g(calm_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void slow_busy() {
  std::lock_guard g(busy_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void slow_unseen() {
  std::lock_guard g(unseen_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void calm_then_busy() {
  std::lock_guard h(calm_mu);
  std::lock_guard c(busy_mu);
}
