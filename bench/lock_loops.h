// The loops every runtime benchmark measures, written once for any mutex
// type so that std::mutex, lockgraph::mutex, the preloaded std::mutex and
// ThreadSanitizer all run exactly the same code.
#pragma once

#include <benchmark/benchmark.h>

#include <array>
#include <mutex>
#include <string>
#include <thread>

namespace lockgraph::bench {

// One uncontended lock/unlock.
template <class Mutex> void lockUnlock(benchmark::State& state) {
  static Mutex mu;
  for (auto _ : state) {
    mu.lock();
    benchmark::ClobberMemory();
    mu.unlock();
  }
}

// Two locks nested in a fixed order: the steady state of a lock-order
// checker (the chain was validated on the first iteration).
template <class Mutex> void nestedPair(benchmark::State& state) {
  static Mutex outer, inner;
  for (auto _ : state) {
    std::lock_guard<Mutex> a(outer);
    std::lock_guard<Mutex> b(inner);
    benchmark::ClobberMemory();
  }
}

// Every thread locks its own mutex: nothing is shared by the program, so
// any slowdown with more threads comes from the checker. Runs in a
// multi-threaded process also with one thread (see registerSingleThreadLoops),
// so that 1 and 2 threads measure the same std::mutex.
template <class Mutex> void distinctMutexPerThread(benchmark::State& state) {
  static const bool multiThreaded = (std::thread([] {}).join(), true);
  (void)multiThreaded;
  struct alignas(128) Padded {
    Mutex mu;
  };
  static std::array<Padded, 64> locks;
  Mutex& mine = locks[static_cast<std::size_t>(state.thread_index()) % locks.size()].mu;
  for (auto _ : state) {
    mine.lock();
    benchmark::ClobberMemory();
    mine.unlock();
  }
  state.SetItemsProcessed(state.iterations());
}

// Registers the single-thread loops for `Mutex` under `prefix`; call from a
// namespace-scope initializer. Register every type's single-thread loops
// before any threaded one: once a process has started a second thread,
// glibc's mutex uses atomic instructions for good, so a single-thread loop
// run after a threaded one measures a different std::mutex.
template <class Mutex> int registerSingleThreadLoops(const std::string& prefix) {
  benchmark::RegisterBenchmark((prefix + "/lock_unlock").c_str(), lockUnlock<Mutex>);
  benchmark::RegisterBenchmark((prefix + "/nested_pair").c_str(), nestedPair<Mutex>);
  return 0;
}

template <class Mutex> int registerThreadedLoops(const std::string& prefix) {
  benchmark::RegisterBenchmark((prefix + "/distinct_mutex_per_thread").c_str(),
                               distinctMutexPerThread<Mutex>)
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
  return 0;
}

} // namespace lockgraph::bench
