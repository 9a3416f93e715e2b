// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock' -- %std -I%S/Inputs 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-callback-under-lock' %s -- %std -I%S/Inputs 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
//
// Virtual calls whose every override is known and harmless, and a test
// framework's assertion macros, are not callbacks under a lock.

#include <mutex>
#include "shape.h"

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
