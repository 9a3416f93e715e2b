// The plugin built from checks/ loads into Debian's unmodified clang-tidy-19,
// lists its checks, honours CheckOptions, and reports like the lockgraph binary.
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-*' --list-checks | FileCheck %s --check-prefix=LIST
// LIST: lockgraph-lock-across-await
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-*' %s -- %std 2>/dev/null | FileCheck %s --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-*' \
// RUN:   --config="{CheckOptions: {lockgraph-lock-across-await.AsyncMutexes: 'lib::Mutex'}}" %s -- %std -DCONFIGURED 2>/dev/null \
// RUN:   | FileCheck %s --check-prefix=CONFIGURED --implicit-check-not="{{warning|error}}:"

#include "../checks/Inputs/coro.h"
#include <mutex>

std::mutex m;

task held_across_await() {
  std::lock_guard g(m);
  co_await sleep_for_io();
  // CHECK: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'm'{{.*}}[lockgraph-lock-across-await]
  // CONFIGURED: :[[@LINE-2]]:3: warning: 'co_await' while holding lock 'm'{{.*}}[lockgraph-lock-across-await]
}

// A project mutex with the capability attribute is a mutex, unless the
// configuration says it is an async one.
namespace lib {
struct __attribute__((capability("mutex"))) Mutex {
  void lock() __attribute__((acquire_capability()));
  void unlock() __attribute__((release_capability()));
};
} // namespace lib
lib::Mutex lm;

task project_mutex() {
  lm.lock();
  co_await sleep_for_io();
  // CHECK: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'lm'
  lm.unlock();
}
