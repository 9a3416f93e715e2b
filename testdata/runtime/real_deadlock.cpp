// Actually deadlocks: each thread holds one mutex and waits for the other.
// Run with a deadlock timeout; the watchdog reports and ends the process.
#include <barrier>
#include <mutex>
#include <thread>

std::mutex left, right;
std::barrier bothHoldOne(2);

void takeLeftThenRight() {
  std::lock_guard<std::mutex> l(left);
  bothHoldOne.arrive_and_wait();
  std::lock_guard<std::mutex> r(right);
}

void takeRightThenLeft() {
  std::lock_guard<std::mutex> r(right);
  bothHoldOne.arrive_and_wait();
  std::lock_guard<std::mutex> l(left);
}

int main() {
  std::thread a(takeLeftThenRight), b(takeRightThenLeft);
  a.join();
  b.join();
}
