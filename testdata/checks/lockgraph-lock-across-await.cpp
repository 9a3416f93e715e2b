// RUN: not %lockgraph check %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s -- %std -DUSE_PTHREAD 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"

#include "Inputs/coro.h"
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <utility>

std::mutex m;
std::shared_mutex sm;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
bool cond();
void work();

// ---- Positive cases: a synchronous lock is held at the suspension. ----

task guard_ctad() {
  std::lock_guard g(m);
  co_await sleep_for_io();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'm': the coroutine may resume on another thread, and other threads block on 'm' until it does [lockgraph-lock-across-await]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'm' acquired here; release it before suspending, or use an async mutex
}

using Guard = std::lock_guard<std::mutex>;
task guard_alias() {
  Guard g(m);
  co_await sleep_for_io();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'm'
}

task manual_lock() {
  m.lock();
  co_await sleep_for_io();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'm'
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'm' acquired here
  m.unlock();
}

task posix_lock() {
  pthread_mutex_lock(&pm);
  co_await sleep_for_io();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'pm'
  pthread_mutex_unlock(&pm);
}

std::unique_lock<std::mutex> lock_it() { return std::unique_lock(m); }
task auto_from_helper() {
  auto g = lock_it();
  co_await sleep_for_io();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'm'
  // CHECK-MESSAGES: :[[@LINE-3]]:12: note: 'm' acquired here by the call to 'lock_it'
  // CHECK-MESSAGES: :[[@LINE-6]]:49: note: 'lock_it' locks it here
}

struct Service {
  std::mutex mu_;
  std::unique_lock<std::mutex> lk_{mu_, std::defer_lock};
  void acquire() { mu_.lock(); }
  void release() { mu_.unlock(); }

  task helper_locks_and_returns() {
    acquire();
    co_await sleep_for_io();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_await' while holding lock 'mu_'
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu_' acquired here by the call to 'Service::acquire'
    release();
  }

  task member_guard_locked() {
    lk_.lock();
    co_await sleep_for_io();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_await' while holding lock 'mu_'
    lk_.unlock();
  }

  task member_guard_assigned() {
    lk_ = std::unique_lock(mu_);
    co_await sleep_for_io();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_await' while holding lock 'mu_'
  }
};

task if_init_guard() {
  if (std::lock_guard g(m); cond()) {
    co_await sleep_for_io();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_await' while holding lock 'm'
  }
}

task await_in_condition() {
  std::lock_guard g(m);
  if (co_await ready_int{} > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'co_await' while holding lock 'm'
    work();
}

task await_in_initializer() {
  std::unique_lock l(m);
  int v = co_await ready_int{};
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'co_await' while holding lock 'm'
  (void)v;
}

value_task<int> return_await() {
  std::scoped_lock g(m);
  co_return co_await ready_int{};
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'co_await' while holding lock 'm'
}

task await_in_loop(int n) {
  for (int i = 0; i < n; ++i) {
    std::lock_guard g(m);
    co_await sleep_for_io();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_await' while holding lock 'm'
  }
}

generator yield_under_lock() {
  std::shared_lock l(sm);
  co_yield 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_yield' while holding lock 'sm'
}

void lambda_coroutine() {
  auto t = []() -> task {
    std::lock_guard g(m);
    co_await sleep_for_io();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'co_await' while holding lock 'm'
  };
  t();
}

task locked_on_one_path(bool c) {
  if (c)
    m.lock();
  co_await sleep_for_io();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_await' while lock 'm' may be held
  if (c)
    m.unlock();
}

template <class Mutex> task generic(Mutex &mu) {
  std::lock_guard g(mu);
  co_await sleep_for_io();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'co_await' while holding lock 'mu'
}
template task generic(std::mutex &);

// ---- Negative cases: nothing is held at the suspension. ----

task unlocked_before_await() {
  std::unique_lock l(m);
  work();
  l.unlock();
  co_await sleep_for_io();
}

task manual_unlock_before_await() {
  m.lock();
  work();
  m.unlock();
  co_await sleep_for_io();
}

task scope_ended() {
  {
    std::lock_guard g(m);
    work();
  }
  co_await sleep_for_io();
}

void consume(std::unique_lock<std::mutex>);
task moved_out_guard() {
  std::unique_lock l(m);
  consume(std::move(l));
  co_await sleep_for_io();
}

task deferred_never_locked() {
  std::unique_lock l(m, std::defer_lock);
  co_await sleep_for_io();
  l.lock();
}

task disjoint_branches(bool c) {
  if (c) {
    std::lock_guard g(m);
    work();
  } else {
    co_await sleep_for_io();
  }
}

task failed_try_lock() {
  if (!m.try_lock()) {
    co_await sleep_for_io();
    co_return;
  }
  work();
  m.unlock();
}

task guard_unwound_by_exception() {
  try {
    std::lock_guard g(m);
    throw 1;
  } catch (...) {
  }
  co_await sleep_for_io();
}

task helper_guard_unlocked() {
  auto g = lock_it();
  g.unlock();
  co_await sleep_for_io();
}

task released_and_unlocked() {
  std::unique_lock l(m);
  l.release();
  m.unlock();
  co_await sleep_for_io();
}

void lock_outside_coroutine() {
  std::lock_guard g(m);
  // The lambda's body runs later, as its own coroutine, without 'm'.
  auto t = []() -> task { co_await sleep_for_io(); };
  t();
}

namespace cppcoro {
struct async_mutex_lock {
  ~async_mutex_lock();
};
struct async_mutex {
  struct lock_op {
    bool await_ready();
    void await_suspend(std::coroutine_handle<>);
    async_mutex_lock await_resume();
  };
  lock_op scoped_lock_async();
};
} // namespace cppcoro

cppcoro::async_mutex am;
task async_mutex_is_fine() {
  auto g = co_await am.scoped_lock_async();
  co_await sleep_for_io();
}

task nolint_suppresses() {
  std::lock_guard g(m);
  co_await sleep_for_io(); // NOLINT(lockgraph-lock-across-await)
}
