// RUN: not %lockgraph check %s --checks='-*,lockgraph-callback-under-lock' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"

// A helper that runs a callable (a visitor over shards, a scope guard)
// called under a lock with a lambda the locking function wrote runs that
// lambda: the code is the function's own. What the lambda does is checked
// as if it were written at the call; a callable that came from elsewhere
// is still a callback.

#include <functional>
#include <mutex>
#include <utility>
#include <vector>

struct Listener {
  virtual ~Listener() = default;
  virtual void on_resize(int capacity) = 0;
};
struct ResizeLogger : Listener {
  void on_resize(int capacity) override; // defined elsewhere
};

struct Shard {
  int capacity = 0;
  bool strict = false;
};

// Runs the function it is given when the scope ends.
class Defer {
public:
  explicit Defer(std::function<void()> &&fn) : fn_(std::move(fn)) {}
  ~Defer() { fn_(); }

private:
  std::function<void()> fn_;
};

class Cache {
public:
  // ---- Negative cases: the callable is a lambda written here. ----

  void set_capacity(int capacity) {
    std::lock_guard<std::mutex> l(config_mutex_);
    capacity_ = capacity;
    int per_shard = capacity / 4;
    for_each_shard([=](Shard *s) { s->capacity = per_shard; });
  }

  void set_strict(bool strict) {
    std::lock_guard<std::mutex> l(config_mutex_);
    visit([strict](Shard *s) { s->strict = strict; });
  }

  void reset() {
    std::lock_guard<std::mutex> l(config_mutex_);
    auto clear = [](Shard *s) { s->capacity = 0; };
    for_each_shard(clear);
  }

  void resize_with_cleanup(int capacity) {
    std::lock_guard<std::mutex> l(config_mutex_);
    Defer restore([&] { resizing_ = false; });
    resizing_ = true;
    capacity_ = capacity;
  }

  // ---- Positive cases: what the lambda calls, or a callable from elsewhere. ----

  void set_capacity_and_tell(int capacity) {
    std::lock_guard<std::mutex> l(config_mutex_);
    for_each_shard([&](Shard *s) {
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'Cache::for_each_shard' while holding lock 'config_mutex_' reaches virtual function 'Listener::on_resize' on another object, which runs code this function does not control [lockgraph-callback-under-lock]
      s->capacity = capacity;
      listener_->on_resize(capacity);
    });
  }

  void apply(const std::function<void(Shard *)> &user_fn) {
    std::lock_guard<std::mutex> l(config_mutex_);
    for_each_shard(user_fn);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'Cache::for_each_shard' while holding lock 'config_mutex_' reaches callback 'fn', which runs code this function does not control [lockgraph-callback-under-lock]
  }

  void resize_and_notify(int capacity) {
    std::lock_guard<std::mutex> l(config_mutex_);
    Defer notify([&] { on_resized_(capacity); });
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: call to 'Defer::~Defer' while holding lock 'config_mutex_' reaches callback 'on_resized_', which runs code this function does not control [lockgraph-callback-under-lock]
    capacity_ = capacity;
  }

  void run_later(std::function<void()> task) {
    std::lock_guard<std::mutex> l(config_mutex_);
    Defer later(std::move(task));
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: call to 'Defer::~Defer' while holding lock 'config_mutex_' reaches callback 'fn_', which runs code this function does not control [lockgraph-callback-under-lock]
  }

private:
  void for_each_shard(const std::function<void(Shard *)> &fn) {
    for (Shard &s : shards_)
      fn(&s);
  }
  template <class F> void visit(F f) {
    for (Shard &s : shards_)
      f(&s);
  }

  std::mutex config_mutex_;
  int capacity_ = 0;
  bool resizing_ = false;
  std::vector<Shard> shards_;
  Listener *listener_ = nullptr;
  std::function<void(int)> on_resized_;
};
