// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"

// A data member held by value is an object of exactly its declared type,
// however the object holding it is reached (`core->histograms_[i]`): a
// virtual call on it runs that class's code, not an override someone else
// supplies. Through a pointer or a reference the object may be anything.

#include <mutex>
#include <vector>

class Histogram {
public:
  virtual ~Histogram() = default;
  virtual void Clear();       // defined elsewhere
  virtual double Median() const;
};

struct PerCore {
  Histogram histograms_[8];
  Histogram total_;
  Histogram *shared_ = nullptr;
};

class Statistics {
public:
  // ---- Negative cases: by-value members and array elements. ----
  void Reset() {
    std::lock_guard<std::mutex> l(aggregate_lock_);
    for (PerCore *core : cores_) {
      for (int i = 0; i < 8; ++i)
        core->histograms_[i].Clear();
      core->total_.Clear();
    }
  }

  // ---- Positive cases: the object is reached through a pointer. ----
  double SharedMedian(PerCore *core, Histogram *extra) {
    std::lock_guard<std::mutex> l(aggregate_lock_);
    double m = core->shared_->Median();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: calling virtual function 'Histogram::Median' on another object while holding lock 'aggregate_lock_'
    m += extra[1].Median();
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: calling virtual function 'Histogram::Median' on another object while holding lock 'aggregate_lock_'
    return m;
  }

private:
  std::mutex aggregate_lock_;
  std::vector<PerCore *> cores_;
};
