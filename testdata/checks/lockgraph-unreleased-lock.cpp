// RUN: not %lockgraph check %s --checks='-*,lockgraph-unreleased-lock' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-unreleased-lock' --config="{CheckOptions: {lockgraph-unreleased-lock.LockingFunctionWords: 'acquire'}}" %s -- %std 2>/dev/null | FileCheck %s --check-prefix=WORDS

#include <mutex>
#include <pthread.h>
#include <stdexcept>
#include <vector>

std::mutex m;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
int counter;
bool failed();
void work();
[[noreturn]] void fatal();

// ---- Positive cases: some path leaves the function holding the lock. ----

int early_return(int x) {
  m.lock();
  if (x < 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: lock 'm' is still held when 'early_return' returns here, but released on other paths; hold it with a guard such as std::lock_guard or std::unique_lock [lockgraph-unreleased-lock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'm' locked here
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: 'm' released here on another path
  counter += x;
  m.unlock();
  return counter;
}

void throw_while_held(int x) {
  pthread_mutex_lock(&pm);
  if (x < 0)
    throw std::invalid_argument("negative");
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: lock 'pm' is still held when 'throw_while_held' throws here, but released on other paths
  counter = x;
  pthread_mutex_unlock(&pm);
}

void break_out_of_loop(const std::vector<int> &items) {
  for (int v : items) {
    m.lock();
    if (v == 0)
      break;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'break' leaves lock 'm' held on a path out of 'break_out_of_loop' that never releases it; hold it with a guard such as std::lock_guard or std::unique_lock
    counter += v;
    m.unlock();
  }
}

void continue_skips_unlock(const std::vector<int> &items) {
  for (int v : items) {
    m.lock();
    if (v == 0)
      continue;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'continue' leaves lock 'm' held on a path out of 'continue_skips_unlock' that never releases it
    counter += v;
    m.unlock();
  }
}

void falls_off_the_end(bool done) {
  m.lock();
  if (done) {
    m.unlock();
    return;
  }
  work();
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: lock 'm' is still held when 'falls_off_the_end' ends here, but released on other paths

struct Table {
  std::mutex mu_;
  int size_ = 0;
  bool insert(int v) {
    mu_.lock();
    if (failed())
      return false;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: lock 'mu_' is still held when 'Table::insert' returns here, but released on other paths
    size_ += v;
    mu_.unlock();
    return true;
  }
};

// Named like a lock helper, so only the second RUN line (which replaces
// the word list) reports it.
void leaky_helper_lock(bool c) {
  m.lock();
  if (c)
    return;
  // WORDS: :[[@LINE-1]]:5: warning: lock 'm' is still held when 'leaky_helper_lock' returns here
  m.unlock();
}

int unique_guard_released_by_hand(bool c) {
  std::unique_lock l(m);
  l.release();
  if (c)
    return 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: lock 'm' is still held when 'unique_guard_released_by_hand' returns here
  // WORDS: :[[@LINE-2]]:5: warning: lock 'm' is still held when 'unique_guard_released_by_hand' returns here
  m.unlock();
  return 0;
}

// ---- Negative cases: every path releases, or the function's contract
// is to return holding the lock. ----

int balanced(int x) {
  m.lock();
  if (x < 0) {
    m.unlock();
    return -1;
  }
  counter += x;
  m.unlock();
  return counter;
}

int guarded(int x) {
  std::lock_guard g(m);
  if (x < 0)
    return -1;
  return counter += x;
}

void unique_lock_unlocked_early(bool c) {
  std::unique_lock l(m);
  if (c)
    return;
  l.unlock();
  work();
}

// Taken and released under the same unchanged condition.
void conditional_locking(bool need_lock) {
  if (need_lock)
    m.lock();
  work();
  if (need_lock)
    m.unlock();
}

// Unlocks the caller's m (held when the caller says so) and gives it back:
// returning with m held restores it, it does not leak it.
void persist(bool m_already_held) {
  if (!m_already_held)
    m.lock();
  m.unlock();
  work();
  if (m_already_held)
    m.lock();
}

// The same, remembered in a flag the function sets: a path that skips the
// unlock and still relocks (infeasible) must not make the relock a leak.
void persist_if_needed(bool needed) {
  bool unlocked = false;
  if (needed) {
    m.unlock();
    unlocked = true;
    work();
  }
  if (unlocked)
    m.lock();
}

// The same condition behind a branch-prediction hint (`UNLIKELY(c)` is
// `__builtin_expect(c, 0)`): still the same condition.
#define UNLIKELY(x) __builtin_expect((x), 0)
struct Journal {
  bool manual_flush = false;
  bool two_queues = false;
  bool append();
  bool write() {
    const bool needs_locking = manual_flush && !two_queues;
    if (UNLIKELY(needs_locking))
      m.lock();
    bool ok = append();
    if (UNLIKELY(needs_locking))
      m.unlock();
    return ok;
  }
  // Positive: the early return skips the unlock.
  bool write_early_return() {
    const bool needs_locking = manual_flush && !two_queues;
    if (UNLIKELY(needs_locking))
      m.lock();
    if (!append())
      return false;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: lock 'm' is still held when 'Journal::write_early_return' returns here, but released on other paths; hold it with a guard such as std::lock_guard or std::unique_lock [lockgraph-unreleased-lock]
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'm' locked here
    // CHECK-MESSAGES: :[[@LINE+2]]:7: note: 'm' released here on another path
    if (UNLIKELY(needs_locking))
      m.unlock();
    return true;
  }
};

// Positive: a helper that returns holding the lock on every path is a
// lock its caller took, and the caller's early return leaks it.
int uses_both(int x);

// Negative: the caller of a function that leaks on its own early return
// (reported there, above) did not take the lock; its own pair of
// branches on another stable condition, with a break between them, is
// balanced.
bool flush_group(Journal &j, int n) {
  bool ok = j.write_early_return();
  if (ok) {
    const bool needs_locking = j.manual_flush && !j.two_queues;
    if (UNLIKELY(needs_locking))
      m.lock();
    for (int i = 0; i < n; ++i) {
      ok = j.append();
      if (!ok)
        break;
    }
    if (UNLIKELY(needs_locking))
      m.unlock();
  }
  return ok;
}

void conditional_locking_negated(bool single_threaded) {
  if (!single_threaded)
    m.lock();
  work();
  if (!single_threaded)
    m.unlock();
}

// Lock helpers: return holding the lock on every path, or only where
// they succeeded.
void acquire_both() {
  m.lock();
  pthread_mutex_lock(&pm);
}

int uses_both(int x) {
  acquire_both();
  pthread_mutex_unlock(&pm);
  if (x < 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: lock 'm' is still held when 'uses_both' returns here, but released on other paths
  // WORDS: :[[@LINE-2]]:5: warning: lock 'm' is still held when 'uses_both' returns here
  m.unlock();
  return 0;
}

bool try_take() {
  if (!m.try_lock())
    return false;
  return true;
}

bool lock_if_free(bool wanted) {
  if (!wanted)
    return false;
  m.lock();
  return true;
}

// The caller holds 'm'; the function gives it up for a while.
void requires_lock_held(bool slow) {
  m.unlock();
  if (slow)
    work();
  m.lock();
}

void aborts_while_locked(int x) {
  m.lock();
  if (x < 0)
    fatal();
  m.unlock();
}

struct Locker {
  std::mutex *mu_;
  explicit Locker(std::mutex *mu) : mu_(mu) {
    if (mu_)
      mu_->lock();
  }
  ~Locker() {
    if (mu_)
      mu_->unlock();
  }
};

void loop_releases_every_iteration(const std::vector<int> &items) {
  for (int v : items) {
    m.lock();
    if (v == 0) {
      m.unlock();
      break;
    }
    counter += v;
    m.unlock();
  }
}

void locked_across_loop_break(const std::vector<int> &items) {
  m.lock();
  for (int v : items) {
    if (v == 0)
      break;
    counter += v;
  }
  m.unlock();
}

void nolint_suppresses(bool c) {
  m.lock();
  if (c)
    return; // NOLINT(lockgraph-unreleased-lock)
  m.unlock();
}
