// Sleeps 150 ms inside a critical section; run with a 30 ms threshold.
#include <chrono>
#include <mutex>
#include <thread>

std::mutex journal;

int main() {
  for (int i = 0; i < 20; ++i)
    std::lock_guard<std::mutex> quick(journal);
  std::lock_guard<std::mutex> slow(journal);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
}
