// Issue 12's adversarial load: threads take 8 of 1000 mutexes at a time,
// always in ascending address order (so no inversion), chosen at random, so
// that almost every held set is new: a chain cache rarely hits and each
// acquisition asks the lock-order graph about edges. Prints iterations per
// second (one iteration = 8 locks and 8 unlocks) over the second half of
// the run: the first half lets every order be made once (each new order
// costs a stack capture under lockgraph), the second is the steady state
// the figure is about. With ITERATIONS, each
// thread does that many instead and the program just ends (for instruction
// counts under callgrind, which do not depend on the machine's load).
//   usage: many_orderings THREADS SECONDS [ITERATIONS]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
  long iterations = argc > 3 ? std::atol(argv[3]) : 0;
  std::vector<std::mutex> mutexes(1000);
  std::atomic<bool> stop{false};
  struct alignas(64) Counter {
    std::atomic<long> done{0};
  };
  std::vector<Counter> counters(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      std::mt19937 random(t + 1);
      std::uniform_int_distribution<int> pick(0, 999);
      long done = 0;
      std::mutex* chosen[8];
      while (iterations ? done < iterations : !stop.load(std::memory_order_relaxed)) {
        for (auto& m : chosen)
          m = &mutexes[pick(random)];
        std::sort(chosen, chosen + 8);
        std::mutex** end = std::unique(chosen, chosen + 8);
        for (std::mutex** m = chosen; m != end; ++m)
          (*m)->lock();
        for (std::mutex** m = end; m != chosen;)
          (*--m)->unlock();
        counters[t].done.store(++done, std::memory_order_relaxed);
      }
    });
  auto sum = [&] {
    long total = 0;
    for (auto& c : counters)
      total += c.done.load(std::memory_order_relaxed);
    return total;
  };
  long atHalf = 0;
  if (iterations == 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 2));
    atHalf = sum();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 2));
  }
  long atEnd = sum();
  stop = true;
  for (auto& w : workers)
    w.join();
  if (iterations == 0)
    std::printf("%d threads: %.0f iterations/s\n", threads, (atEnd - atHalf) / (seconds / 2));
}
