// The plainest deadlock (issue 12, as ThreadSanitizer's must_deadlock):
// each thread holds one mutex and blocks on the other. Under default
// `lockgraph run` options it must report the inversion before blocking and
// then the deadlock, and end; it must never hang.
#include <atomic>
#include <mutex>
#include <thread>

std::mutex a, b;
std::atomic<int> ready{0};

int main() {
  std::thread t1([] {
    std::lock_guard x(a);
    ready++;
    while (ready < 2) {
    }
    std::lock_guard y(b);
  });
  std::thread t2([] {
    std::lock_guard x(b);
    ready++;
    while (ready < 2) {
    }
    std::lock_guard y(a);
  });
  t1.join();
  t2.join();
}
