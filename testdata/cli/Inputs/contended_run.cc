// Run for real under `lockgraph run --stats --report-graph`: busy_mu is
// contended (a second thread asks for it while the first sleeps under it),
// calm_mu is taken once by one thread, unseen_mu never. No lock is nested
// in another, so the report's graph has no edge: the statistics' own
// acquisition sites are all that names the locks.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

std::mutex calm_mu, busy_mu, unseen_mu;
std::atomic<bool> busy_held{false};

void slow_calm() {
  std::lock_guard g(calm_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void slow_busy() {
  std::lock_guard g(busy_mu);
  busy_held = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

void slow_unseen() {
  std::lock_guard g(unseen_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

int main(int argc, char **) {
  slow_calm();
  std::thread first(slow_busy);
  while (!busy_held)
    std::this_thread::yield();
  std::thread second(slow_busy); // waits for first: contended
  first.join();
  second.join();
  if (argc > 5)
    slow_unseen();
}
