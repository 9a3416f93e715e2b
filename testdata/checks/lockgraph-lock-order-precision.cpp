// RUN: not %lockgraph check --checks='-*,lockgraph-lock-order,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-lock-order,lockgraph-double-lock' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-lock-order,lockgraph-double-lock' -config="{CheckOptions: {lockgraph-lock-order.AssumeEveryOverride: true}}" %s -- %std 2>/dev/null | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-EVERY --implicit-check-not="{{warning|error}}:"
//
// Patterns that look like lock-order or double-lock bugs to a class-level
// analysis but cannot deadlock (each reduced from real code), next to the
// variant of each that must still be reported.

#include <cassert>
#include <memory>
#include <mutex>
#include <utility>

// ---- 1. A virtual call goes where the receiver's known type sends it. ----
namespace virt {
std::mutex table_mu, db_mu, scan_mu;
struct Iter {
  virtual ~Iter() = default;
  virtual void seek() = 0;
};
struct BlockIter : Iter {
  void seek() override {}
};
struct TracingBlockIter : BlockIter {
  void seek() override { std::lock_guard g(db_mu); }
};
struct DbIter : Iter {
  void seek() override { std::lock_guard g(db_mu); }
};
struct Table {
  BlockIter index; // a member object: its dynamic type is BlockIter, not a subclass
  void offset() {
    std::lock_guard g(table_mu);
    index.seek(); // silent: runs BlockIter::seek only
  }
  void offset_through(Iter *it) {
    std::lock_guard g(table_mu);
    it->seek(); // any of three overrides: an assumption, reported only on request
    // CHECK-EVERY: :[[@LINE-1]]:5: warning: lock-order cycle 'virt::table_mu' -> 'virt::db_mu' -> 'virt::table_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
    // CHECK-EVERY: :[[@LINE-2]]:5: note: 'virt::Table::offset_through' calls 'virt::TracingBlockIter::seek' here while 'table_mu' is held
    // CHECK-EVERY: :[[@LINE-3]]:5: note: assumed: the call to 'virt::Iter::seek' may run 'virt::TracingBlockIter::seek', one of 3 overrides; the receiver's dynamic type is not known here
  }
};
void db_reads_table(Table &t) {
  std::lock_guard g(db_mu);
  t.offset();
}
void db_then_table() {
  std::lock_guard g(db_mu);
  std::lock_guard t(table_mu);
}
// Positive: a local of a known class that does lock.
void scan_with_db_iter() {
  std::lock_guard g(scan_mu);
  DbIter d;
  d.seek();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'virt::scan_mu' -> 'virt::db_mu' -> 'virt::scan_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
}
void db_then_scan() {
  std::lock_guard g(db_mu);
  std::lock_guard s(scan_mu);
}

// A wrapper forwarding to the interface's function on the object it wraps
// (a decorator) runs another implementation there, not itself again, even
// when it is the only override whose body is known.
std::mutex stats_mu;
struct Reservations {
  virtual ~Reservations() = default;
  virtual int used() = 0;
};
struct LockedReservations : Reservations {
  std::mutex mu;
  std::shared_ptr<Reservations> inner;
  int used() override {
    std::lock_guard g(mu);
    return inner->used(); // silent: 'inner' is not assumed to be another LockedReservations
  }
  int used_twice() {
    std::lock_guard g(mu);
    // AssumeEveryOverride reports the class's nesting once, here.
    return inner->used() * 2; // silent, as above, from another member of the wrapper
    // CHECK-EVERY: :[[@LINE-1]]:12: warning: two locks of class 'virt::LockedReservations::mu' nested: 'inner->.mu' acquired while holding 'mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
    // CHECK-EVERY: :[[@LINE-2]]:12: note: assumed: the call to 'virt::Reservations::used' runs 'virt::LockedReservations::used' on the object 'virt::LockedReservations::used_twice' forwards to, the only override known; that object's dynamic type is not known here
  }
  void report() {
    std::lock_guard g(mu);
    std::lock_guard s(stats_mu);
  }
};
// Positive: from anywhere else, the only override known is what runs.
int stats(Reservations &r) {
  std::lock_guard s(stats_mu);
  return r.used();
}
// CHECK-MESSAGES: :[[@LINE-8]]:5: warning: lock-order cycle 'virt::LockedReservations::mu' -> 'virt::stats_mu' -> 'virt::LockedReservations::mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
} // namespace virt

// ---- 2. Locking an object no other thread can see yet. ----
namespace fresh {
std::mutex registry_mu, census_mu, pool_mu;
struct Session {
  std::mutex mu;
  int uses = 0;
  Session() {
    std::lock_guard g(mu);        // the object under construction: nobody else can hold mu
    std::lock_guard c(census_mu); // silent
  }
  void touch() {
    std::lock_guard g(mu);
    ++uses;
  }
  void attach() {
    std::lock_guard g(mu);
    std::lock_guard r(registry_mu); // Session::mu -> registry_mu
  }
  void detach() {
    std::lock_guard g(mu);
    std::lock_guard p(pool_mu); // Session::mu -> pool_mu
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: lock-order cycle 'fresh::Session::mu' -> 'fresh::pool_mu' -> 'fresh::Session::mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  }
};
void census(Session &s) {
  std::lock_guard c(census_mu);
  s.touch(); // census_mu -> Session::mu, the reverse of nothing real
}
void open_new() {
  std::lock_guard r(registry_mu);
  auto s = std::make_unique<Session>();
  std::lock_guard g(s->mu); // silent: a brand-new object
}
void open_raw() {
  Session *raw = new Session;
  std::lock_guard r(registry_mu);
  raw->touch(); // silent: touch() locks a brand-new object's mu
  delete raw;
}
// A project's own pointer class and factory (DuckDB's checked
// `unique_ptr` and `make_uniq`): the factory's body only returns a new
// object, so what it makes is as fresh as std::make_unique's.
template <class T> struct checked_ptr : std::unique_ptr<T> {
  using std::unique_ptr<T>::unique_ptr;
  T *operator->() const { return this->get(); }
};
template <class T> checked_ptr<T> make_checked() { return checked_ptr<T>(new T()); }
void open_checked() {
  std::lock_guard r(registry_mu);
  auto s = make_checked<Session>();
  std::lock_guard g(s->mu); // silent: a brand-new object
}
// Two objects reached through the pointer class's operator-> are two
// objects: nesting them is a same-class nesting, not a double lock.
void merge_into(const checked_ptr<Session> &into, const checked_ptr<Session> &from) {
  std::lock_guard a(into->mu);
  std::lock_guard b(from->mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'fresh::Session::mu' nested: 'from->mu' acquired while holding 'into->mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
}
// Positive: the same call on a session other threads share.
void reuse(Session &shared) {
  std::lock_guard p(pool_mu);
  shared.touch(); // reported at detach(), where the cycle's first edge is
}
} // namespace fresh

// ---- 3. Parent then child of the same class along a member path. ----
namespace tree {
struct Node {
  std::mutex mu;
  Node *next = nullptr;
  Node *parent = nullptr;
};
void link_after(Node *n) {
  std::lock_guard a(n->mu);
  std::lock_guard b(n->next->mu); // silent: parent -> child is one order
}
// Only one direction along a relation is an order; here is the other one.
void lock_up(Node *n) {
  std::lock_guard a(n->mu);
  std::lock_guard b(n->parent->mu); // silent: parent-ward is its own relation
}
void unlink_next(Node *n) {
  std::lock_guard a(n->next->mu);
  std::lock_guard b(n->mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'tree::Node::mu' nested: 'n->mu' acquired while holding 'n->next->mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'n->next->mu' acquired here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'n->mu' acquired here while 'n->next->mu' is held; lock both at once with std::scoped_lock (or std::lock), or always in one fixed order (for example by address)
}
} // namespace tree

// ---- 4. A callee unlocks the caller's unique_lock around its work. ----
namespace relock {
std::mutex queue_mu, journal_mu, io_mu;
void write_out() { std::lock_guard g(io_mu); }
void flush_unlocked(std::unique_lock<std::mutex> &held) {
  held.unlock();
  write_out(); // the caller's lock is free here
  held.lock();
}
void drain() {
  std::unique_lock lk(queue_mu);
  flush_unlocked(lk); // silent: no queue_mu -> io_mu edge
}
void keep_locked(std::unique_lock<std::mutex> &held) {
  write_out(); // the caller's lock is still held
}
void journal() {
  std::unique_lock lk(journal_mu);
  keep_locked(lk);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'relock::journal_mu' -> 'relock::io_mu' -> 'relock::journal_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
}
void io_then_queue() {
  std::lock_guard g(io_mu);
  std::lock_guard q(queue_mu);
}
void io_then_journal() {
  std::lock_guard g(io_mu);
  std::lock_guard j(journal_mu);
}
} // namespace relock

// ---- 5. A derived member hiding a base member of the same name. ----
namespace hiding {
struct Base {
  std::mutex lock;
  void touch() { std::lock_guard g(lock); }
};
struct Derived : Base {
  std::mutex lock; // hides Base::lock: another mutex
  void update() {
    std::lock_guard g(lock);
    touch(); // silent: locks Base::lock, not this one
  }
  void update_twice() {
    std::lock_guard g(lock);
    relock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'hiding::Derived::relock' locks 'lock', which is already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
  }
  void relock() { std::lock_guard g(lock); }
};
} // namespace hiding

// ---- 6. A destructor under a lock on an object whose state was moved out. ----
namespace moved {
std::mutex outbox_mu, trash_mu, conn_mu;
struct Conn {
  bool open = false;
  ~Conn() {
    if (open) {
      std::lock_guard g(conn_mu);
    }
  }
  Conn() = default;
  Conn(Conn &&o) : open(std::exchange(o.open, false)) {}
};
struct Outbox {
  std::unique_ptr<Conn> slot;
  void hand_over(Conn c) {
    std::lock_guard g(outbox_mu);
    Conn local = std::move(c);
    slot = std::make_unique<Conn>(std::move(local));
  } // silent: 'local' was moved out, its destructor does nothing
  void drop(Conn c) {
    std::lock_guard g(trash_mu);
    Conn local = std::move(c);
  } // positive: 'local' still owns the connection
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'moved::trash_mu' -> 'moved::conn_mu' -> 'moved::trash_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
};
void conn_then_outbox() {
  std::lock_guard g(conn_mu);
  std::lock_guard o(outbox_mu);
}
void conn_then_trash() {
  std::lock_guard g(conn_mu);
  std::lock_guard t(trash_mu);
}
} // namespace moved

// ---- 7. Array elements taken in one fixed order. ----
namespace arrays {
std::mutex stripes[4];
void both_in_order() {
  std::lock_guard a(stripes[0]);
  std::lock_guard b(stripes[1]); // silent: always 0 before 1
}
void also_in_order() {
  std::lock_guard a(stripes[0]);
  std::lock_guard c(stripes[2]);
}
// Positive: 3 then 2 here, 2 then 3 there.
void three_then_two() {
  std::lock_guard a(stripes[3]);
  std::lock_guard b(stripes[2]);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'arrays::stripes[3]' -> 'arrays::stripes[2]' -> 'arrays::stripes[3]': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
}
void two_then_three() {
  std::lock_guard a(stripes[2]);
  std::lock_guard b(stripes[3]);
}
} // namespace arrays

// ---- 8. A lambda capturing `this`, called in the method that makes it. ----
namespace lambdas {
bool poll();
class Store {
  std::mutex mu_;
  void release_one() { std::lock_guard g(mu_); }

public:
  // The lambda runs on the caller's object: its mu_ is the caller's mu_,
  // not the mu_ of another Store nested under it.
  void drop_under_lock() {
    auto drop = [this] { release_one(); };
    std::lock_guard g(mu_);
    drop();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'lambda in lambdas::Store::drop_under_lock' locks 'mu_', which is already held: a non-recursive mutex deadlocks on itself [lockgraph-double-lock]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu_' acquired here
  }
  // Silent: called only before this Store's mu_ is taken.
  void drop_then_lock() {
    const auto drop = [&] { release_one(); };
    drop();
    std::lock_guard g(mu_);
  }
};
} // namespace lambdas

// ---- 9. A path that aborts does not return holding its lock. ----
namespace aborts {
std::mutex db_mu, log_mu, stats_mu;
bool stopped();
[[noreturn]] void fatal();
// The failed assert (or fatal()) ends the program with db_mu held; every
// path that returns has released it.
void record_failure() {
  db_mu.lock();
  assert(!stopped());
  if (stopped())
    fatal();
  db_mu.unlock();
}
void write() {
  record_failure();
  std::lock_guard g(stats_mu); // silent: db_mu is not held here
}
void stats_then_db() {
  std::lock_guard g(stats_mu);
  std::lock_guard h(db_mu);
}
// Positive: this one returns holding db_mu on every path that returns.
void lock_for_failure() {
  db_mu.lock();
  assert(!stopped());
}
void write_badly() {
  lock_for_failure();
  std::lock_guard g(log_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'aborts::db_mu' -> 'aborts::log_mu' -> 'aborts::db_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  db_mu.unlock();
}
void log_then_db() {
  std::lock_guard g(log_mu);
  std::lock_guard h(db_mu);
}
} // namespace aborts

// ---- 10. A callee's early return that leaks its lock is its own bug. ----
// lockgraph-unreleased-lock reports append_record's early return; its
// callers do not go on ordering what they take after the leaked lock.
namespace leaks {
std::mutex wal_mu, db_mu, stats_mu;
bool append();
bool append_record(bool need_lock) {
  if (need_lock)
    wal_mu.lock();
  if (!append())
    return false;
  if (need_lock)
    wal_mu.unlock();
  return true;
}
void write(bool need_lock) {
  append_record(need_lock);
  std::lock_guard g(db_mu); // silent: no wal_mu -> db_mu order
}
void close() {
  std::lock_guard g(db_mu);
  std::lock_guard h(wal_mu);
}
// Positive: a helper that returns holding the lock on every path is a
// lock its caller holds.
void lock_wal() { wal_mu.lock(); }
void write_stats() {
  lock_wal();
  std::lock_guard g(stats_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'leaks::wal_mu' -> 'leaks::stats_mu' -> 'leaks::wal_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  wal_mu.unlock();
}
void stats_then_wal() {
  std::lock_guard g(stats_mu);
  std::lock_guard h(wal_mu);
}
} // namespace leaks
