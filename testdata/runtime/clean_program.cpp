// Everything here is correct and must stay silent (exit 0, no report):
// one lock order under contention, readers in both orders, a recursive
// mutex, a try_lock against the order, a gate lock, a condition-variable
// handoff, std::scoped_lock of two mutexes in both orders.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

std::mutex first, second, third, gate, left, right;
std::shared_mutex tableA, tableB;
std::recursive_mutex reentrant;
long counter = 0;

void consistentOrder() {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([] {
      for (int i = 0; i < 20000; ++i) {
        std::lock_guard<std::mutex> a(first);
        std::lock_guard<std::mutex> b(second);
        if (i % 3 == 0) {
          std::lock_guard<std::mutex> c(third);
          ++counter;
        }
      }
    });
  for (auto& t : threads)
    t.join();
}

void readersBothOrders() {
  std::thread([] {
    std::shared_lock<std::shared_mutex> a(tableA);
    std::shared_lock<std::shared_mutex> b(tableB);
  }).join();
  std::thread([] {
    std::shared_lock<std::shared_mutex> b(tableB);
    std::shared_lock<std::shared_mutex> a(tableA);
  }).join();
}

void recursion(int depth) {
  std::lock_guard<std::recursive_mutex> hold(reentrant);
  if (depth > 0)
    recursion(depth - 1);
}

void tryLockAgainstTheOrder() {
  std::lock_guard<std::mutex> s(second);
  if (first.try_lock())
    first.unlock();
}

void gatedOppositeOrders() {
  std::thread([] {
    std::lock_guard<std::mutex> g(gate);
    std::lock_guard<std::mutex> l(left);
    std::lock_guard<std::mutex> r(right);
  }).join();
  std::thread([] {
    std::lock_guard<std::mutex> g(gate);
    std::lock_guard<std::mutex> r(right);
    std::lock_guard<std::mutex> l(left);
  }).join();
}

void conditionVariableHandoff() {
  std::mutex mu;
  std::condition_variable cv;
  int stage = 0;
  std::thread consumer([&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return stage == 1; });
    stage = 2;
    cv.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    stage = 1;
    cv.notify_all();
    cv.wait(lock, [&] { return stage == 2; });
  }
  consumer.join();
}

void scopedLockBothOrders() {
  std::mutex x, y;
  std::thread([&] { std::scoped_lock both(x, y); }).join();
  std::thread([&] { std::scoped_lock both(y, x); }).join();
}

int main() {
  consistentOrder();
  readersBothOrders();
  recursion(5);
  tryLockAgainstTheOrder();
  gatedOppositeOrders();
  conditionVariableHandoff();
  scopedLockBothOrders();
  std::printf("counter=%ld\n", counter);
}
