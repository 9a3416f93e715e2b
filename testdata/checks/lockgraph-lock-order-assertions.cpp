// RUN: not %lockgraph check --checks='-*,lockgraph-lock-order,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-lock-order,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
//
// What an assertion macro calls to report a failure runs only once the
// program has broken an invariant (and not at all in release builds): an
// order or a double lock that needs it is not the program's (reduced from
// Thunder, whose ASSERT reports through its message buffers). The
// condition the macro tests runs every time and is followed.

#include <mutex>

namespace report {
std::mutex log_mu, buffer_mu;
void report_failure(const char *) { std::lock_guard g(log_mu); }
#define MY_ASSERT(e)                                                                                                   \
  do {                                                                                                                 \
    if (!(e))                                                                                                          \
      report_failure(#e);                                                                                              \
  } while (0)

void flush() {
  std::lock_guard g(log_mu);
  std::lock_guard b(buffer_mu); // log_mu -> buffer_mu
}
void append(int n) {
  std::lock_guard g(buffer_mu);
  MY_ASSERT(n >= 0); // silent: buffer_mu -> log_mu only when the assertion fails
}
void log_line(int length) {
  std::lock_guard g(log_mu);
  MY_ASSERT(length > 0); // silent: no double lock through the failure report
}

// Positive: the asserted condition itself takes the lock, on every call.
std::mutex index_mu, table_mu;
bool consistent() {
  std::lock_guard g(index_mu);
  return true;
}
void rebuild() {
  std::lock_guard g(index_mu);
  std::lock_guard t(table_mu); // index_mu -> table_mu
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'report::index_mu' -> 'report::table_mu' -> 'report::index_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
}
void insert() {
  std::lock_guard t(table_mu);
  MY_ASSERT(consistent()); // table_mu -> index_mu: the cycle above
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: 'report::insert' calls 'report::consistent' here while 'table_mu' is held
}
} // namespace report
