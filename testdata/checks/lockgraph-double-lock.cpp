// RUN: not %lockgraph check --checks='-*,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"

#include <mutex>
#include <pthread.h>
#include <shared_mutex>

std::mutex m;
std::recursive_mutex rm;
std::shared_mutex sm;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
bool cond();

// ---- Positive cases: the thread waits for a lock it holds itself. ----

void lock_twice() {
  m.lock();
  m.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'm' locked while already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'm' acquired here
  m.unlock();
  m.unlock();
}

void guard_then_lock() {
  std::lock_guard g(m);
  std::unique_lock again(m);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'm' locked while already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
}

void posix_twice() {
  pthread_mutex_lock(&pm);
  pthread_mutex_lock(&pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'pm' locked while already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
  pthread_mutex_unlock(&pm);
  pthread_mutex_unlock(&pm);
}

class Account {
public:
  void deposit(int n) {
    std::lock_guard g(mu_);
    audit();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'Account::audit' locks 'mu_', which is already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu_' acquired here
    // CHECK-MESSAGES: :[[@LINE+9]]:18: note: 'Account::audit' calls 'Account::log' here
    // CHECK-MESSAGES: :[[@LINE+10]]:5: note: 'Account::log' calls 'Account::record' here
    // CHECK-MESSAGES: :[[@LINE+12]]:5: note: 'Account::record' locks 'mu_' here
    balance_ += n;
  }
  void transferIn(Account &from, int n) {
    std::lock_guard g(mu_);
    from.audit(); // another account: not a double lock (lock-order reports it)
  }
  void audit() { log(); }
  void log() {
    record();
  }
  void record() {
    std::lock_guard g(mu_);
    ++records_;
  }

private:
  std::mutex mu_;
  int balance_ = 0, records_ = 0;
};

void upgrade() {
  std::shared_lock reader(sm);
  std::unique_lock writer(sm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sm' locked exclusively while already held shared: the upgrade waits for this thread's own shared lock and never returns [lockgraph-double-lock]
}

void exclusive_then_shared() {
  sm.lock();
  sm.lock_shared();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sm' locked shared while already held exclusively: the shared lock waits for this thread's own exclusive lock and never returns [lockgraph-double-lock]
  sm.unlock_shared();
  sm.unlock();
}

// ---- Negative cases. ----

void recursive_reentry() {
  std::lock_guard a(rm);
  std::lock_guard b(rm);
}

void shared_twice() {
  std::shared_lock a(sm);
  std::shared_lock b(sm);
}

void unlock_then_lock() {
  m.lock();
  m.unlock();
  m.lock();
  m.unlock();
}

void scoped_then_again() {
  { std::lock_guard g(m); }
  std::lock_guard g(m);
}

void maybe_held() {
  if (cond())
    m.lock();
  if (!cond())
    m.lock(); // only if the first branch was not taken on a correlated condition
  m.unlock();
}

void try_lock_while_held() {
  std::lock_guard g(m);
  if (m.try_lock()) // fails instead of waiting
    m.unlock();
}

// A helper that expects the lock held, drops it around slow work and takes
// it back (leveldb's DBImpl does this): re-locking is not a double lock.
class Journal {
public:
  void append() {
    std::lock_guard g(mu_);
    flushLocked();
  }

private:
  void flushLocked() {
    mu_.unlock();
    mu_.lock();
  }
  std::mutex mu_;
};

void other_instance(Account &a, Account &b) {
  a.deposit(1);
  b.deposit(2);
}

// ---- A project's own mutex classes, found without configuration. ----

// Locks the pthread mutex it owns: a plain mutex of its own.
class PlainWrapper {
public:
  void Lock() { pthread_mutex_lock(&m_); }
  void Unlock() { pthread_mutex_unlock(&m_); }

private:
  pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
};

// Its constructor makes the mutex recursive: re-entering is allowed.
class RecursiveSection {
public:
  RecursiveSection() {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&m_, &attr);
  }
  void Lock() { pthread_mutex_lock(&m_); }
  void Unlock() { pthread_mutex_unlock(&m_); }

private:
  pthread_mutex_t m_;
};

class Table {
public:
  void wrapper_twice() {
    mu_.Lock();
    mu_.Lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'mu_' locked while already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu_' acquired here
    mu_.Unlock();
    mu_.Unlock();
  }

  void section_twice() {
    cs_.Lock();
    reenter();
    cs_.Unlock();
  }

  // Two wrappers of one type in one object are two locks, not one.
  void both_wrappers() {
    mu_.Lock();
    other_.Lock();
    other_.Unlock();
    mu_.Unlock();
  }

private:
  void reenter() {
    cs_.Lock();
    cs_.Unlock();
  }
  PlainWrapper mu_, other_;
  RecursiveSection cs_;
};

// An accessor returns the member: locking both is locking one mutex twice.
class Index {
public:
  std::mutex &lock_ref() { return mu_; }
  void rebuild() {
    std::lock_guard g(lock_ref());
    mu_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'mu_' locked while already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu_' acquired here
    mu_.unlock();
  }

  // Locks only when asked; the caller holding mu_ asks it not to.
  void apply(bool need_lock) {
    if (need_lock)
      mu_.lock();
    if (need_lock)
      mu_.unlock();
  }
  void write() {
    std::lock_guard g(mu_);
    apply(false);
  }

  // Told whether its caller holds mu_: takes it if not, always drops it
  // around the slow part, and gives it back if the caller held it. The
  // caller's mu_ is unlocked before it is taken again: not a double lock.
  void persist(bool mu_already_held) {
    if (mu_already_held) {
    } else {
      mu_.lock();
    }
    slow_io();
    mu_.unlock();
    slow_io();
    if (mu_already_held)
      mu_.lock();
  }
  void reconfigure() {
    std::lock_guard g(mu_);
    persist(true);
  }
  // persist(false) takes mu_ and releases it: its caller holds nothing
  // after it and may take mu_ twice in a row.
  void wrap_up() { persist(false); }
  void import_files() {
    wrap_up();
    { std::lock_guard g(mu_); }
    std::lock_guard g(mu_);
  }
  // persist(true) hands back the caller's mu_: called by a function that
  // did not hold it, it returns holding it.
  void import_badly() {
    persist(true);
    std::lock_guard g(mu_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'mu_' locked while already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu_' acquired here
  }
  // Without the unlock in between, the relock is a real double lock.
  void persist_without_unlock(bool mu_already_held) {
    if (!mu_already_held)
      mu_.lock();
    if (mu_already_held)
      mu_.lock();
    mu_.unlock();
  }
  void reconfigure_badly() {
    std::lock_guard g(mu_);
    persist_without_unlock(true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'Index::persist_without_unlock' locks 'mu_', which is already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu_' acquired here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: 'Index::persist_without_unlock' locks 'mu_' here
  }
  static void slow_io();

private:
  std::mutex mu_;
};
