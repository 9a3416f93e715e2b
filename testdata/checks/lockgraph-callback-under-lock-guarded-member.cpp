// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock' -- %std -I%S/Inputs 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-callback-under-lock' %s -- %std -I%S/Inputs 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
//
// A virtual call on a member that the mutex's owner holds alone (a
// std::unique_ptr next to the mutex) uses the state the lock guards: the
// call cannot be moved after the unlock, so it is not a callback under
// the lock. A member reached through a raw or shared pointer may be shared
// with anyone and is still reported.

#include "extension-points.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

// ---- Owned members: silent. ----
class Sink {
public:
  void log(const std::string &line) {
    std::lock_guard g(mutex_);
    std::string out;
    layout_->render(line, out);   // the layout is guarded state
    render_twice(line, out);      // also through a helper of the same object
    lines_.push_back(out);
  }

private:
  void render_twice(const std::string &line, std::string &out) {
    layout_->render(line, out);
    layout_->render(line, out);
  }
  std::mutex mutex_;
  std::unique_ptr<Layout> layout_;
  std::vector<std::string> lines_;
};

// ---- Shared or borrowed objects, or another object's lock: reported. ----
class Registry {
public:
  void set(int v) {
    std::lock_guard g(mu_);
    value_ = v;
    listener_->changed(v);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling virtual function 'Listener::changed' on another object while holding lock 'mu_' runs code this function does not control; call it after releasing the lock
    shared_->changed(v);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling virtual function 'Listener::changed' on another object while holding lock 'mu_' runs code this function does not control; call it after releasing the lock
  }
  // The layout of another sink, under this registry's lock.
  void render_with(const std::string &in, std::string &out) {
    std::lock_guard g(mu_);
    other_->render(in, out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling virtual function 'Layout::render' on another object while holding lock 'mu_' runs code this function does not control; call it after releasing the lock
  }
  // A unique_ptr the caller owns is not this object's guarded state.
  void render_given(const std::unique_ptr<Layout> &given, const std::string &in, std::string &out) {
    std::lock_guard g(mu_);
    given->render(in, out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling virtual function 'Layout::render' on another object while holding lock 'mu_' runs code this function does not control; call it after releasing the lock
  }

private:
  std::mutex mu_;
  int value_ = 0;
  Listener *listener_ = nullptr;
  std::shared_ptr<Listener> shared_;
  Layout *other_ = nullptr;
};

// A member of a member: owned by the inner object, not by the lock's owner.
class Outer {
public:
  void render(const std::string &in, std::string &out) {
    std::lock_guard g(mu_);
    inner_.layout->render(in, out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling virtual function 'Layout::render' on another object while holding lock 'mu_' runs code this function does not control; call it after releasing the lock
  }

private:
  struct Inner {
    std::unique_ptr<Layout> layout;
  };
  std::mutex mu_;
  Inner inner_;
};
