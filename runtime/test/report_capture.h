// Collects the runtime's reports inside the test process, and sets options
// so that findings do not change the test binary's exit status.
#pragma once

#include "report.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace lockgraph::rt::testing {

struct CapturedReport {
  ReportKind kind;
  std::uint32_t lockCount;
  std::uint32_t edgeCount;
  std::uint32_t threadCount;
  std::string text;
};

class ReportCapture : public ::testing::Test {
protected:
  void SetUp() override;
  void TearDown() override;
  std::vector<CapturedReport> reportsOf(ReportKind kind) const;
  std::vector<CapturedReport> all() const;
};

// Runs `body` on a new thread and waits for it; keeps tests ordered.
template <class F> void onThread(F body);

// Locks `first`, then `second`, then releases both: one lock-order edge.
template <class Mutex> void lockPair(Mutex& first, Mutex& second) {
  std::lock_guard<Mutex> a(first);
  std::lock_guard<Mutex> b(second);
}

} // namespace lockgraph::rt::testing

#include <thread>

template <class F> void lockgraph::rt::testing::onThread(F body) {
  std::thread t(body);
  t.join();
}
