// Two threads take two std::mutexes in opposite orders, one after the
// other, so the run never deadlocks; the order still can. Expect one
// lock-order-inversion.
#include <mutex>
#include <thread>

std::mutex accounts;
std::mutex audit;

void deposit() {
  std::lock_guard<std::mutex> a(accounts);
  std::lock_guard<std::mutex> b(audit);
}

void review() {
  std::lock_guard<std::mutex> b(audit);
  std::lock_guard<std::mutex> a(accounts);
}

int main() {
  std::thread(deposit).join();
  std::thread(review).join();
}
