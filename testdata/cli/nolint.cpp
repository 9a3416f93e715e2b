// NOLINT and NOLINTNEXTLINE, with or without the check's name, suppress a
// finding; NOLINT naming another check does not.
//
// RUN: %lockgraph check %s -- %std > %t.out 2> %t.err; test $? -eq 1
// RUN: FileCheck --input-file=%t.out %s
// RUN: FileCheck --check-prefix=SUMMARY --input-file=%t.err %s
// SUMMARY: lockgraph: 1 finding in 1 file (1 file analyzed, 4 suppressed by NOLINT)

#include "Inputs/task.h"
#include <mutex>

std::mutex m;

Task suppressedSameLine() {
  std::lock_guard<std::mutex> hold(m);
  co_await std::suspend_always{}; // NOLINT(lockgraph-lock-across-await)
}

Task suppressedNextLine() {
  std::lock_guard<std::mutex> hold(m);
  // NOLINTNEXTLINE(lockgraph-lock-across-await)
  co_await std::suspend_always{};
}

Task suppressedByBareNolint() {
  std::lock_guard<std::mutex> hold(m);
  co_await std::suspend_always{}; // NOLINT
}

Task suppressedByBlock() {
  std::lock_guard<std::mutex> hold(m);
  // NOLINTBEGIN(lockgraph-*)
  co_await std::suspend_always{};
  // NOLINTEND(lockgraph-*)
}

Task otherCheckNamed() {
  std::lock_guard<std::mutex> hold(m);
  co_await std::suspend_always{}; // NOLINT(bugprone-use-after-move)
  // CHECK: nolint.cpp:[[@LINE-1]]:3: warning: {{.*}} [lockgraph-lock-across-await]
}
// CHECK-NOT: warning:
