// The loops every runtime benchmark measures, written once for any mutex
// type so that std::mutex, lockgraph::mutex, the preloaded std::mutex and
// ThreadSanitizer all run exactly the same code.
#pragma once

#include <benchmark/benchmark.h>

#include <array>
#include <mutex>
#include <string>

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
// any slowdown with more threads comes from the checker.
template <class Mutex> void distinctMutexPerThread(benchmark::State& state) {
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

// Registers the three loops for `Mutex` under `prefix`; call from a
// namespace-scope initializer.
template <class Mutex> int registerLockLoops(const std::string& prefix) {
  benchmark::RegisterBenchmark((prefix + "/lock_unlock").c_str(), lockUnlock<Mutex>);
  benchmark::RegisterBenchmark((prefix + "/nested_pair").c_str(), nestedPair<Mutex>);
  benchmark::RegisterBenchmark((prefix + "/distinct_mutex_per_thread").c_str(),
                               distinctMutexPerThread<Mutex>)
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
  return 0;
}

} // namespace lockgraph::bench
