// RUN: not %lockgraph check --checks='-*,lockgraph-lock-order' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %clang-tidy --load %plugin --checks='-*,lockgraph-lock-order' %s -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"

#include <mutex>
#include <shared_mutex>

// ---- Two globals taken in both orders. ----
std::mutex a, b;

void a_then_b() {
  std::lock_guard ga(a);
  std::lock_guard gb(b);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'a' -> 'b' -> 'a': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'a' acquired here in 'a_then_b' (edge 1 of 2)
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'b' acquired here while 'a' is held
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 'b' acquired here in 'b_then_a' (edge 2 of 2)
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 'a' acquired here while 'b' is held
}
void b_then_a() {
  b.lock();
  a.lock();
  a.unlock();
  b.unlock();
}

// ---- Through a call chain, three locks. ----
// c1 is held while take_c2_c3 takes c2 and then (in take_c3) c3. The locks
// form one strongly connected component, reported once: c1 -> c2 -> c3 ->
// c1. (c1 -> c3 is no edge of its own: c3 is taken while c2, taken below
// the call, is held, so c1 -> c2 -> c3 implies it.)
std::mutex c1, c2, c3;
void take_c3() { std::lock_guard g(c3); }
void take_c2_c3() {
  std::lock_guard g(c2);
  take_c3();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'c2' -> 'c3' -> 'c1' -> 'c2': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'c2' acquired here in 'take_c2_c3' (edge 1 of 3)
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'take_c2_c3' calls 'take_c3' here while 'c2' is held
  // CHECK-MESSAGES: :[[@LINE-7]]:18: note: 'c3' acquired here while 'c2' is held
  // CHECK-MESSAGES: :[[@LINE+7]]:3: note: 'c3' acquired here in 'c3_then_c1' (edge 2 of 3)
  // CHECK-MESSAGES: :[[@LINE+7]]:3: note: 'c1' acquired here while 'c3' is held
  // CHECK-MESSAGES: :[[@LINE+9]]:3: note: 'c1' acquired here in 'c1_then_c2' (edge 3 of 3)
  // CHECK-MESSAGES: :[[@LINE+9]]:3: note: 'c1_then_c2' calls 'take_c2_c3' here while 'c1' is held
  // CHECK-MESSAGES: :[[@LINE-10]]:3: note: 'c2' acquired here while 'c1' is held
}
void c3_then_c1() {
  std::lock_guard g3(c3);
  std::lock_guard g1(c1);
}
void c1_then_c2() {
  std::lock_guard g1(c1);
  take_c2_c3();
}

// ---- Members of two classes calling each other (no annotations). ----
struct Stats;
struct Cache {
  std::mutex mu;
  Stats *stats;
  void get();
  void evict() { std::lock_guard g(mu); }
};
struct Stats {
  std::mutex mu;
  Cache *cache;
  void record() { std::lock_guard g(mu); }
  void flush() {
    std::lock_guard g(mu);
    cache->evict();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: lock-order cycle 'Stats::mu' -> 'Cache::mu' -> 'Stats::mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'mu' acquired here in 'Stats::flush' (edge 1 of 2)
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'Stats::flush' calls 'Cache::evict' here while 'mu' is held
    // CHECK-MESSAGES: :[[@LINE-12]]:18: note: 'cache.mu' acquired here while 'mu' is held
    // CHECK-MESSAGES: :[[@LINE+6]]:3: note: 'mu' acquired here in 'Cache::get' (edge 2 of 2)
    // CHECK-MESSAGES: :[[@LINE+6]]:3: note: 'Cache::get' calls 'Stats::record' here while 'mu' is held
    // CHECK-MESSAGES: :[[@LINE-10]]:19: note: 'stats.mu' acquired here while 'mu' is held
  }
};
void Cache::get() {
  std::lock_guard g(mu);
  stats->record();
}

// ---- Virtual call resolved to the override. ----
std::mutex registry, worker;
struct Job {
  virtual ~Job() = default;
  virtual void run() = 0;
};
struct LoggingJob : Job {
  void run() override { std::lock_guard g(worker); }
};
void run_all(Job &j) {
  std::lock_guard g(registry);
  j.run();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'registry' -> 'worker' -> 'registry': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: 'run_all' calls 'LoggingJob::run' here while 'registry' is held
}
void worker_registers() {
  std::lock_guard g(worker);
  std::lock_guard r(registry);
}

// ---- A lambda called in place, and a destructor. ----
std::mutex cfg, logmu;
struct LogLine {
  ~LogLine() { std::lock_guard g(logmu); }
};
void configure() {
  std::lock_guard g(cfg);
  [&] { LogLine line; }();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: lock-order cycle 'cfg' -> 'logmu' -> 'cfg': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: 'configure' calls 'lambda in configure' here while 'cfg' is held
  // CHECK-MESSAGES: :[[@LINE-3]]:23: note: 'lambda in configure' calls 'LogLine::~LogLine' here while 'cfg' is held
  // CHECK-MESSAGES: :[[@LINE-8]]:16: note: 'logmu' acquired here while 'cfg' is held
}
void log_reads_config() {
  std::lock_guard g(logmu);
  std::lock_guard c(cfg);
}

// ---- A constructor that locks, run while another lock is held. ----
std::mutex pool_mu, session_mu;
struct Session {
  Session() { std::lock_guard g(session_mu); }
};
void open_session() {
  std::lock_guard g(pool_mu);
  Session s;
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: lock-order cycle 'pool_mu' -> 'session_mu' -> 'pool_mu': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
  // CHECK-MESSAGES: :[[@LINE-2]]:11: note: 'open_session' calls 'Session::Session' here while 'pool_mu' is held
}
void session_then_pool() {
  std::lock_guard s(session_mu);
  std::lock_guard p(pool_mu);
}

// ---- transfer(from, to): two instances of one class, caller's order. ----
struct Account {
  std::mutex mu;
  int balance = 0;
};
void transfer(Account &from, Account &to, int n) {
  std::lock_guard lf(from.mu);
  std::lock_guard lt(to.mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: two locks of class 'Account::mu' nested: 'to.mu' acquired while holding 'from.mu'; callers that pass them in the opposite order deadlock [lockgraph-lock-order]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'from.mu' acquired here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'to.mu' acquired here while 'from.mu' is held; lock both at once with std::scoped_lock (or std::lock), or always in one fixed order (for example by address)
  from.balance -= n;
  to.balance += n;
}

// ---- Negative cases. ----

// scoped_lock and std::lock take several locks with no order among them.
std::mutex p, q, p2, q2;
void scoped_both() { std::scoped_lock both(p, q); }
void q_then_p() {
  std::lock_guard gq(q);
  std::lock_guard gp(p);
}
void std_lock_both() {
  std::lock(p2, q2);
  std::lock_guard a(p2, std::adopt_lock);
  std::lock_guard b(q2, std::adopt_lock);
}
void q2_then_p2() {
  std::lock_guard gq(q2);
  std::lock_guard gp(p2);
}

// A try_lock that may fail cannot wait: no edge.
std::mutex r, s;
void r_then_try_s() {
  std::lock_guard gr(r);
  if (s.try_lock())
    s.unlock();
}
void s_then_r() {
  std::lock_guard gs(s);
  std::lock_guard gr(r);
}

// Both orders, but always under one outer lock: they cannot interleave.
std::mutex gate, u, v;
void gated_uv() {
  std::lock_guard g(gate);
  std::lock_guard gu(u);
  std::lock_guard gv(v);
}
void gated_vu() {
  std::lock_guard g(gate);
  std::lock_guard gv(v);
  std::lock_guard gu(u);
}

// The same order everywhere.
std::mutex x, y;
void x_then_y() {
  std::lock_guard gx(x);
  std::lock_guard gy(y);
}
void x_then_y_again() {
  x.lock();
  y.lock();
  y.unlock();
  x.unlock();
}

// Released before the next lock: no nesting.
void y_released_then_x() {
  { std::lock_guard gy(y); }
  std::lock_guard gx(x);
}

// transfer done right.
void transfer_safely(Account &from, Account &to, int n) {
  std::scoped_lock both(from.mu, to.mu);
  from.balance -= n;
  to.balance += n;
}

// Recursive re-entry is not an order.
std::recursive_mutex rec;
void reenter() {
  std::lock_guard g1(rec);
  std::lock_guard g2(rec);
}

// Accessors name the member they return: 'Registry::names_' is one lock
// whether it is reached through names() or directly.
class Registry {
public:
  std::mutex *names() { return &names_; }
  std::mutex &ids() { return ids_; }

  void add() {
    std::lock_guard g(*names());
    std::lock_guard h(ids_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: lock-order cycle 'Registry::names_' -> 'Registry::ids_' -> 'Registry::names_': threads taking these locks in these orders can deadlock [lockgraph-lock-order]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'names_' acquired here in 'Registry::add' (edge 1 of 2)
  }
  void remove() {
    std::lock_guard h(ids());
    std::lock_guard g(names_);
  }

  // Balanced under one unchanged condition: nothing is held when ids_ is
  // taken, so there is no 'names_' -> 'ids_' order here.
  void maybe_locked(bool need) {
    if (need)
      names_.lock();
    if (need)
      names_.unlock();
    std::lock_guard h(ids_);
  }

private:
  std::mutex names_, ids_;
};
