// RUN: not %lockgraph check --checks='-*,lockgraph-lock-order,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-lock-order,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
//
// A lock of an object reached through a global accessor (a singleton's
// `Instance()`, a function returning a function-local static) is one lock
// for every caller. Nested with a lock of the same class that a caller
// chooses (`this->mu`), the two may be one object; and if they are not,
// no caller can swap them at that place. Only another place taking them
// the other way round makes a cycle (reduced from Thunder's message store
// and message buffers).

#include <mutex>

// ---- The object is the singleton itself: a recursive lock re-entered. ----
namespace store {
struct Controls {
  std::recursive_mutex mu;
  void announce() { std::lock_guard g(mu); }
  void set();
};
Controls &instance() {
  static Controls controls;
  return controls;
}
void report_failure() { instance().announce(); }
void Controls::set() {
  std::lock_guard g(mu);
  report_failure(); // silent: 'mu' and 'instance().mu' may be one lock
}
} // namespace store

// ---- Declared here, defined in another file (`MessageUnit::Instance()`). ----
namespace unit {
struct Buffer {
  std::mutex mu;
  void push() { std::lock_guard g(mu); }
  void pop();
};
struct MessageUnit {
  Buffer buffer;
  static MessageUnit &Instance(); // body elsewhere
  void publish() { buffer.push(); }
};
void trace() { MessageUnit::Instance().publish(); }
void Buffer::pop() {
  std::lock_guard g(mu);
  trace(); // silent: this buffer may be the unit's own
}

} // namespace unit

// ---- The same, walked both ways: a cycle. ----
namespace queue {
struct Queue {
  std::mutex mu;
  void push() { std::lock_guard g(mu); }
  void pop();
};
struct Dispatcher {
  Queue queue;
  static Dispatcher &Instance();
};
void Queue::pop() {
  std::lock_guard g(mu);
  Dispatcher::Instance().queue.push();
}
// The singleton's queue first, then a queue a caller chooses.
void drain_into(Queue &out) {
  std::lock_guard g(Dispatcher::Instance().queue.mu);
  std::lock_guard h(out.mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'queue::Queue::mu' nested: 'out.mu' acquired while holding 'Dispatcher::Instance().queue.mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
}
} // namespace queue

// ---- One singleton's lock, twice: the same non-recursive mutex. ----
namespace registry {
struct Registry {
  std::mutex mu;
  static Registry &Instance();
  void add() { std::lock_guard g(mu); }
};
void reload() {
  std::lock_guard g(Registry::Instance().mu);
  Registry::Instance().add();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'registry::Registry::add' locks 'Registry::Instance().mu', which is already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
}
// Through a helper in another function: still the one object.
void add_entry() { Registry::Instance().add(); }
void reload_through_helper() {
  std::lock_guard g(Registry::Instance().mu);
  add_entry();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'registry::add_entry' locks 'Registry::Instance().mu', which is already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
}
} // namespace registry

// ---- Two different singletons of one class: two objects, an order. ----
namespace pair {
struct Shard {
  std::mutex mu;
};
Shard &primary();
Shard &backup();
void mirror() {
  std::lock_guard a(primary().mu);
  std::lock_guard b(backup().mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'pair::Shard::mu' nested: 'backup().mu' acquired while holding 'primary().mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
}
} // namespace pair

// ---- A thread_local is one object per thread: not a global. ----
namespace perthread {
struct Session {
  std::mutex mu;
  void touch();
};
Session &current() {
  thread_local Session session;
  return session;
}
void Session::touch() {
  std::lock_guard g(mu);
  std::lock_guard h(current().mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'perthread::Session::mu' nested: 'current().mu' acquired while holding 'mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
}
} // namespace perthread

// ---- An element picked per call: not one object. ----
namespace picked {
struct Shard {
  std::mutex mu;
  void merge();
};
Shard shards[4];
int turn;
Shard &next() { return shards[turn++ % 4]; }
void Shard::merge() {
  std::lock_guard g(mu);
  std::lock_guard h(next().mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'picked::Shard::mu' nested: 'next().mu' acquired while holding 'mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
}
} // namespace picked

// ---- Each instantiation of a template has its own singletons. ----
namespace shards {
struct Shard {
  std::mutex mu;
};
template <int N> Shard &shard() {
  static Shard s;
  return s;
}
void rebalance() {
  std::lock_guard a(shard<0>().mu);
  std::lock_guard b(shard<1>().mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'shards::Shard::mu' nested: 'shard<1>().mu' acquired while holding 'shard<0>().mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
}
} // namespace shards

// ---- A function's static lock is that function's, per instantiation. ----
namespace lazy {
std::mutex settings_mu;
template <class T> struct Lazy {
  static T &get() {
    static std::mutex create_mu; // one per Lazy<T>
    std::lock_guard g(create_mu);
    static T value;
    return value;
  }
};
struct Settings {
  Settings() { std::lock_guard g(settings_mu); } // built under Lazy<Settings>'s create_mu
};
struct Table {};
void refresh() {
  std::lock_guard g(settings_mu);
  Lazy<Table>::get(); // silent: Lazy<Table>'s create_mu is another mutex
}
void load() { Lazy<Settings>::get(); }

// Two plain functions' statics of one name are two mutexes too.
std::mutex journal_mu;
void append() {
  static std::mutex mu;
  std::lock_guard g(mu);
  std::lock_guard j(journal_mu);
}
void rotate() {
  std::lock_guard j(journal_mu);
  static std::mutex mu;
  std::lock_guard g(mu); // silent: not append()'s 'mu'
}
// Positive: the same function's static, taken in both orders.
std::mutex index_mu;
void reindex(bool first) {
  static std::mutex mu;
  if (first) {
    std::lock_guard g(mu);
    std::lock_guard i(index_mu);
  } else {
    std::lock_guard i(index_mu);
    std::lock_guard g(mu);
  }
}
// CHECK-MESSAGES: :[[@LINE-6]]:5: warning: lock-order cycle 'lazy::reindex()::mu' -> 'lazy::index_mu' -> 'lazy::reindex()::mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
} // namespace lazy
