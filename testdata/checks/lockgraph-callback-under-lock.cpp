// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock' --config="{CheckOptions: {lockgraph-callback-under-lock.VirtualCalls: 'false', lockgraph-callback-under-lock.CallbackTypes: 'Signal', lockgraph-callback-under-lock.Interprocedural: 'false'}}" -- %std -DOPTIONS_ONLY 2>/dev/null | FileCheck %s --check-prefix=OPTIONS --implicit-check-not="{{warning|error}}:"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

std::mutex m;
int counter;

struct Listener {
  virtual ~Listener() = default;
  virtual void on_event(int) = 0;
};

struct FinalListener final : Listener {
  void on_event(int) override;
};

#ifndef OPTIONS_ONLY
// ---- Positive cases: unknown code runs while the lock is held. ----

struct Publisher {
  std::mutex mu_;
  std::function<void(int)> on_change_;
  std::vector<Listener *> listeners_;
  void (*raw_hook_)(int) = nullptr;

  void set(int v) {
    std::lock_guard g(mu_);
    counter = v;
    on_change_(v);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling callback 'on_change_' while holding lock 'mu_' runs code this function does not control; call it after releasing the lock [lockgraph-callback-under-lock]
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'mu_' acquired here
  }

  void broadcast(int v) {
    std::lock_guard g(mu_);
    for (Listener *l : listeners_)
      l->on_event(v);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: calling virtual function 'Listener::on_event' on another object while holding lock 'mu_'
  }

  void hook(int v) {
    mu_.lock();
    raw_hook_(v);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: calling function pointer 'raw_hook_' while holding lock 'mu_'
    mu_.unlock();
  }

  void notify_all(int v) {
    for (Listener *l : listeners_)
      l->on_event(v);
  }
  void set_and_notify(int v) {
    std::lock_guard g(mu_);
    counter = v;
    notify_all(v);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'Publisher::notify_all' while holding lock 'mu_' reaches virtual function 'Listener::on_event' on another object, which runs code this function does not control
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: calls virtual function 'Listener::on_event' on another object here
  }
};

void call_param_fp(void (*fp)(int)) {
  std::lock_guard g(m);
  fp(counter);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: calling function pointer 'fp' while holding lock 'm'
}

template <class F> void with_lock(F &&f) {
  std::lock_guard g(m);
  f();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: calling caller-supplied callable 'f' while holding lock 'm'
}
void use_with_lock() {
  with_lock([] { ++counter; });
}

void invoke_under_lock(const std::function<void()> &cb) {
  std::unique_lock l(m);
  std::invoke(cb);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: calling callback 'cb' while holding lock 'm'
}

struct Dispatcher {
  std::mutex mu_;
  std::map<std::string, std::function<void()>> handlers_;
  void dispatch(const std::string &name) {
    std::lock_guard g(mu_);
    auto it = handlers_.find(name);
    if (it != handlers_.end())
      it->second();
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: calling callback 'it->second' while holding lock 'mu_'
  }
};

struct Handler {
  void handle(int);
};
void member_pointer_call(Handler &h, void (Handler::*pm)(int)) {
  std::lock_guard g(m);
  (h.*pm)(counter);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: calling function pointer 'pm' while holding lock 'm'
}

// ---- Negative cases: the code that runs is known, or no lock is held. ----

void known_function(int);
struct Counter {
  std::mutex mu_;
  int n_ = 0;
  virtual ~Counter() = default;
  virtual void bump() { ++n_; }
  void increment() { ++n_; }

  void plain_calls() {
    std::lock_guard g(mu_);
    known_function(n_);
    increment();
  }
  // A virtual call on this object is this class's own business.
  void own_virtual() {
    std::lock_guard g(mu_);
    bump();
    this->bump();
  }
};

void local_lambda() {
  std::lock_guard g(m);
  auto add = [](int x) { counter += x; };
  add(1);
}

void callback_after_unlock(std::function<void(int)> cb) {
  std::unique_lock l(m);
  int copy = counter;
  l.unlock();
  cb(copy);
}

void copy_then_call(Publisher &p) {
  std::function<void(int)> cb;
  {
    std::lock_guard g(p.mu_);
    cb = p.on_change_;
  }
  if (cb)
    cb(1);
}

void final_class_is_known(FinalListener &l) {
  std::lock_guard g(m);
  l.on_event(1);
}

void qualified_call_is_not_dispatched(Listener &l) {
  std::lock_guard g(m);
  struct Impl : Listener {
    void on_event(int) override {}
  } impl;
  impl.on_event(2);
}

void exception_what(const std::exception &e, std::string &out) {
  std::lock_guard g(m);
  out = e.what();
}

void no_lock(Listener &l, std::function<void()> cb) {
  l.on_event(1);
  cb();
}

void nolint_suppresses(std::function<void()> cb) {
  std::lock_guard g(m);
  cb(); // NOLINT(lockgraph-callback-under-lock)
}
#else
// ---- Options (second RUN line): virtual calls off, only 'Signal' is a
// callback type, no interprocedural findings. ----

struct Signal {
  void operator()(int) const;
};

void configured(Listener &l, Signal &s, std::function<void()> cb) {
  std::lock_guard g(m);
  l.on_event(1);
  cb();
  s(2);
  // OPTIONS: :[[@LINE-1]]:3: warning: calling callback 's' while holding lock 'm'
}
#endif
