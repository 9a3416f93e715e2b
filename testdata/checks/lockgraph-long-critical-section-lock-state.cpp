// RUN: not %lockgraph check %s --checks='-*,lockgraph-long-critical-section' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-long-critical-section' --config="{CheckOptions: {lockgraph-long-critical-section.MaxStatements: '12'}}" -- %std 2>/dev/null | FileCheck %s --check-prefixes=CHECK-MESSAGES,SIZE --implicit-check-not="{{warning|error}}:"

// A project mutex whose members are defined in another file (a database's
// port layer): the lock model takes it for a mutex by its shape. Asking it
// about its own state (`AssertHeld`) is not work, even though its code is
// not visible here; what else a loop does still is.

#include <vector>

namespace port {
class Mutex {
public:
  void Lock();
  void Unlock();
  void AssertHeld() const; // defined elsewhere: a debug-build check
  bool HeldByCurrentThread() const;

private:
  int state_ = 0;
};
} // namespace port

class MutexLock {
public:
  explicit MutexLock(port::Mutex *mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }

private:
  port::Mutex *mu_;
};

int lookup_elsewhere(int); // some other file's code: cost unknown

// A class taken for a mutex by its shape that also does real work: its
// other members are looked into like any code (a thread with Lock/Unlock).
class Worker {
public:
  void Lock() { mu_.Lock(); }
  void Unlock() { mu_.Unlock(); }
  int Progress() const { return lookup_elsewhere(done_); } // visible: looked into
  int Restart(int from);                                   // not const: unknown work

private:
  port::Mutex mu_;
  int done_ = 0;
};

struct Family {
  int pending = 0;
  std::vector<int> files;
};

class Db {
public:
  // ---- Negative cases: the only "unknown" call is a question to the held mutex. ----

  int count_pending() {
    MutexLock l(&mutex_);
    int total = 0;
    for (Family *f : families_) {
      mutex_.AssertHeld();
      total += f->pending;
    }
    return total;
  }

  void reset_pending() {
    MutexLock l(&mutex_);
    for (Family *f : families_)
      ClearLocked(f); // asserts the lock, then one field
  }

  bool all_held() {
    MutexLock l(&mutex_);
    bool held = true;
    for (Family *f : families_)
      held = held && f->pending >= 0 && other_->HeldByCurrentThread();
    return held;
  }

  // ---- Positive cases: the assertion does not hide the real cost, and the
  // message names the real cost, not the assertion. ----

  int count_files() {
    MutexLock l(&mutex_);
    int total = 0;
    for (Family *f : families_)
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: loop with a trip count that is not a small constant runs while holding lock 'mutex_' and calls 'Db::CountFilesLocked', which runs a loop; copy the data out
      total += CountFilesLocked(f);
    return total;
  }

  int look_up_all() {
    MutexLock l(&mutex_);
    int total = 0;
    for (Family *f : families_) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: loop with a trip count that is not a small constant runs while holding lock 'mutex_' and calls 'lookup_elsewhere', whose code is not visible here; copy the data out
      mutex_.AssertHeld();
      total += lookup_elsewhere(f->pending);
    }
    return total;
  }

  int progress_of_all() {
    MutexLock l(&mutex_);
    int total = 0;
    for (Worker *w : workers_)
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: loop with a trip count that is not a small constant runs while holding lock 'mutex_' and calls 'Worker::Progress', which calls 'lookup_elsewhere', whose code is not visible here; copy the data out
      total += w->Progress();
    return total;
  }

  void restart_all() {
    MutexLock l(&mutex_);
    for (Worker *w : workers_)
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: loop with a trip count that is not a small constant runs while holding lock 'mutex_' and calls 'Worker::Restart', whose code is not visible here; copy the data out
      w->Restart(0);
  }

  // A section of cheap statements is not long however many there are:
  // reported only when MaxStatements asks for it.
  void many_fields() {
    MutexLock l(&mutex_);
    // SIZE: :[[@LINE-1]]:5: warning: critical section of lock 'mutex_' spans 13 statements (more than 12); copy the data out
    a_ = 1; b_ = 2; c_ = 3; d_ = 4; e_ = 5; f_ = 6; g_ = 7;
    a_ += b_; b_ += c_; c_ += d_; d_ += e_; e_ += f_; f_ += g_;
  }

private:
  void ClearLocked(Family *f) {
    mutex_.AssertHeld();
    f->pending = 0;
  }
  int CountFilesLocked(Family *f) {
    mutex_.AssertHeld();
    int n = 0;
    for (int file : f->files)
      n += file;
    return n;
  }

  port::Mutex mutex_;
  port::Mutex *other_ = nullptr;
  std::vector<Family *> families_;
  std::vector<Worker *> workers_;
  int a_ = 0, b_ = 0, c_ = 0, d_ = 0, e_ = 0, f_ = 0, g_ = 0;
};
