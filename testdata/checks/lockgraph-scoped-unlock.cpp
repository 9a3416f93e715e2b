// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock,lockgraph-long-critical-section,lockgraph-blocking-under-lock,lockgraph-unreleased-lock,lockgraph-double-lock,lockgraph-lock-order' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"

// A scoped unlock (RocksDB's InstrumentedMutexUnlock, Chromium's
// AutoUnlock) releases a held mutex in its constructor and takes it back in
// its destructor: between the two, the mutex is free. Work done there is not
// under the lock; after it, the lock is held again, by the guard that held
// it before.

#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class MutexUnlock {
public:
  explicit MutexUnlock(std::mutex &mu) : mu_(mu) { mu_.unlock(); }
  ~MutexUnlock() { mu_.lock(); }
  MutexUnlock(const MutexUnlock &) = delete;

private:
  std::mutex &mu_;
};

struct Family {
  int stats = 0;
};

class Db {
public:
  // ---- Negative cases: the slow part runs with the mutex given up. ----

  void dump_stats() {
    std::lock_guard<std::mutex> l(mutex_);
    for (Family *f : families_) {
      f->stats = 0;
      MutexUnlock u(mutex_);
      on_stats_(f->stats);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  void manual_section() {
    mutex_.lock();
    {
      MutexUnlock u(mutex_);
      on_stats_(0);
    }
    ++version_;
    mutex_.unlock();
  }

  // Taking the mutex again inside the unlocked region is no double lock,
  // and what is taken there is not ordered after the mutex.
  void relock_inside() {
    std::lock_guard<std::mutex> l(mutex_);
    MutexUnlock u(mutex_);
    {
      std::lock_guard<std::mutex> again(mutex_);
      ++version_;
    }
    std::lock_guard<std::mutex> other(other_mutex_); // released before u takes mutex_ back
    ++version_;
  }

  void other_then_mutex() {
    std::lock_guard<std::mutex> o(other_mutex_);
    std::lock_guard<std::mutex> l(mutex_);
    ++version_;
  }

  // ---- Positive cases: before the unlock and after it, the lock is held. ----

  void notify_after_unlocking() {
    std::lock_guard<std::mutex> l(mutex_);
    {
      MutexUnlock u(mutex_);
      on_stats_(1);
    }
    on_stats_(2);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling callback 'on_stats_' while holding lock 'mutex_' runs code this function does not control; call it after releasing the lock [lockgraph-callback-under-lock]
  }

  void notify_before_unlocking() {
    std::lock_guard<std::mutex> l(mutex_);
    on_stats_(3);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling callback 'on_stats_' while holding lock 'mutex_' runs code this function does not control; call it after releasing the lock [lockgraph-callback-under-lock]
    MutexUnlock u(mutex_);
    on_stats_(4);
  }

private:
  std::mutex mutex_;
  std::mutex other_mutex_;
  int version_ = 0;
  std::vector<Family *> families_;
  std::function<void(int)> on_stats_;
};
