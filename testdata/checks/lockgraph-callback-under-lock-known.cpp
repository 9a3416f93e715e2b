// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock' -- %std -I%S/Inputs 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-callback-under-lock' %s -- %std -I%S/Inputs 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
//
// Virtual calls whose every override is known and harmless, and a test
// framework's assertion macros, are not callbacks under a lock.

#include <mutex>
#include "shape.h"
#include "extension-points.h"

std::mutex mu;
int total;

// ---- A hierarchy only this file can see: every override is known. ----
struct Codec {
  virtual ~Codec() = default;
  virtual int id() const = 0;
  virtual Codec *clone() const = 0;
};
struct Plain : Codec {
  int id() const override { return 1; }
  Codec *clone() const override { return new Plain(*this); }
};
struct Zipped : Codec {
  int id() const override { return 2; }
  Codec *clone() const override { return new Zipped(*this); }
};
void record(const Codec *c) {
  std::lock_guard g(mu);
  total += c->id();       // silent: getters
  Codec *copy = c->clone(); // silent: `new` factories
  delete copy;
}

// An override that takes a lock makes the call a callback again.
std::mutex stats_mu;
struct Sink {
  virtual ~Sink() = default;
  virtual void flush() {}
};
struct CountingSink : Sink {
  void flush() override {
    std::lock_guard g(stats_mu);
    ++total;
  }
};
void flush_all(Sink *s) {
  std::lock_guard g(mu);
  s->flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: calling virtual function 'Sink::flush' on another object while holding lock 'mu' runs code this function does not control
}

// A class from a header may have overrides in other files.
int count_sides(const Shape *s) {
  std::lock_guard g(mu);
  return s->sides();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: calling virtual function 'Shape::sides' on another object while holding lock 'mu' runs code this function does not control
}

// ---- A test framework's assertion macro. ----
namespace testing::internal {
extern void (*report_hook)(bool ok, const char *file, int line);
inline void check(bool ok, const char *file, int line) { report_hook(ok, file, line); }
} // namespace testing::internal
#define EXPECT_TRUE(cond) ::testing::internal::check((cond), __FILE__, __LINE__)

void checked_under_lock() {
  std::lock_guard g(mu);
  EXPECT_TRUE(total > 0); // silent: the framework's reporting
}
void (*on_result)(bool);
void reported_by_hand() {
  std::lock_guard g(mu);
  on_result(total > 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: calling function pointer 'on_result' while holding lock 'mu' runs code this function does not control
}

// ---- A project's assertion macro: its failure path reports through an
// interface, inside a helper called under the lock. ----
Listener *assertion_sink();
inline void assertion_failed(int line) { assertion_sink()->changed(line); }
#define ASSERT(expr)                                                                                                   \
  do {                                                                                                                 \
    if (!(expr))                                                                                                       \
      assertion_failed(__LINE__);                                                                                      \
  } while (0)

struct Handle {
  int *get() const {
    ASSERT(ptr != nullptr); // the failure path is the assertion's business
    return ptr;
  }
  int *ptr = nullptr;
};
void read_handle(const Handle &h) {
  std::lock_guard g(mu);
  total += *h.get(); // silent: get() reaches the listener only through ASSERT
  ASSERT(total > 0);
}
// What the user writes as the macro's argument runs every time.
bool (*validate)(int);
void validated_under_lock() {
  std::lock_guard g(mu);
  ASSERT(validate(total));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: calling function pointer 'validate' while holding lock 'mu' runs code this function does not control
  EXPECT_TRUE(validate(total));
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: calling function pointer 'validate' while holding lock 'mu' runs code this function does not control
}
// The same helper outside an assertion is still followed.
inline void notify_sink(int line) { assertion_sink()->changed(line); }
void notified_under_lock() {
  std::lock_guard g(mu);
  notify_sink(total);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'notify_sink' while holding lock 'mu' reaches virtual function 'Listener::changed' on another object, which runs code this function does not control
}
// A crash hook run just before the process ends is not a critical section's work.
[[noreturn]] void die();
void (*crash_hook)(int);
void fail_under_lock(int code) {
  std::lock_guard g(mu);
  if (code != 0) {
    crash_hook(code); // silent: the block ends in a [[noreturn]] call
    die();
  }
  crash_hook(0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: calling function pointer 'crash_hook' while holding lock 'mu' runs code this function does not control
}
