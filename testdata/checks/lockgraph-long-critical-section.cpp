// RUN: not %lockgraph check %s --checks='-*,lockgraph-long-critical-section' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-long-critical-section' --config="{CheckOptions: {lockgraph-long-critical-section.MaxStatements: '3', lockgraph-long-critical-section.Loops: 'false', lockgraph-long-critical-section.CostlyFunctions: 'expensive'}}" -- %std -DOPTIONS_ONLY 2>/dev/null | FileCheck %s --check-prefix=OPTIONS --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-long-critical-section' --config="{CheckOptions: {lockgraph-long-critical-section.StrictLoops: 'true'}}" -- %std 2>/dev/null | FileCheck %s --check-prefixes=CHECK-MESSAGES,STRICT --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-long-critical-section' --config="{CheckOptions: {lockgraph-long-critical-section.MaxStatements: '40'}}" -- %std 2>/dev/null | FileCheck %s --check-prefixes=CHECK-MESSAGES,SIZE --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-long-critical-section' --config="{CheckOptions: {lockgraph-long-critical-section.MaxStatements: 'lots', lockgraph-long-critical-section.Loops: 'maybe'}}" -- %std -DOPTIONS_ONLY 2>&1 | FileCheck %s --check-prefix=BAD-OPTION
// BAD-OPTION-DAG: warning: invalid value 'maybe' for option 'Loops': expected true or false; using true
// BAD-OPTION-DAG: warning: invalid value 'lots' for option 'MaxStatements': expected a non-negative number; using 0

#include <algorithm>
#include <array>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

std::mutex m;
std::condition_variable cv;
std::vector<int> items;
std::map<std::string, int> table;
int counter;
bool ready;
int expensive(int);

#ifndef OPTIONS_ONLY
// ---- Positive cases: expensive work while the lock is held. ----

// One cheap pass over the guarded data is what the check recommends (copy
// out, sum, prune): reported only with StrictLoops.
int sum_under_lock() {
  std::lock_guard g(m);
  int total = 0;
  for (int v : items)
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'; copy the data out under the lock, release it, compute, then reacquire to publish the result [lockgraph-long-critical-section]
  // STRICT: :[[@LINE-4]]:3: note: 'm' acquired here
    total += v;
  return total;
}

void drain_while_loop() {
  m.lock();
  while (!items.empty()) {
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and runs a nested loop; copy the data out
    items.pop_back();
    for (int i = 0; i < counter; ++i)
      ++table["x"];
  }
  m.unlock();
}

void index_loop(int n) {
  std::unique_lock l(m);
  for (int i = 0; i < n; ++i)
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'
    items.push_back(i);
}

// ---- Loops that do costly work in each iteration. ----
#include <cstdio>
#include <deque>
#include <functional>
void flush_one(int);
int lookup_remote(int key);
void write_each(std::FILE *f) {
  std::lock_guard g(m);
  for (int v : items)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and calls 'fwrite', which performs file or console I/O; copy the data out
    std::fwrite(&v, sizeof v, 1, f);
}
void call_unknown_each() {
  std::lock_guard g(m);
  for (int v : items)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and calls 'lookup_remote', whose code is not visible here; copy the data out
    counter += lookup_remote(v);
}
// An assertion's failure path is not an iteration's work; what the loop
// passes to the assertion is.
void report_failure(const char *what);
#define ASSERT(expr)                                                                                                   \
  do {                                                                                                                 \
    if (!(expr))                                                                                                       \
      report_failure(#expr);                                                                                           \
  } while (0)
int checked_sum() {
  std::lock_guard g(m);
  int sum = 0;
  for (int v : items) {
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'; copy the data out
    ASSERT(v >= 0);
    sum += v;
  }
  return sum;
}
void checked_lookups() {
  std::lock_guard g(m);
  for (int v : items)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and calls 'lookup_remote', whose code is not visible here; copy the data out
    ASSERT(lookup_remote(v) != 0);
}
// A bounds check whose failure calls a `[[noreturn]]` thrower defined
// elsewhere, or throws: that call runs at most once and leaves the loop, so
// it is no iteration's work, nor is building what it throws.
[[noreturn]] void throw_out_of_range(unsigned index, unsigned size);
struct CheckedInts {
  int at(unsigned i) const {
    if (i >= n)
      throw_out_of_range(i, n);
    return v[i];
  }
  int v[64];
  unsigned n = 0;
};
CheckedInts checked;
int checked_total(unsigned count) {
  std::lock_guard g(m);
  int sum = 0;
  for (unsigned i = 0; i < count; ++i)
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'; copy the data out
    sum += checked.at(i);
  return sum;
}
int first_negative() {
  std::lock_guard g(m);
  for (int v : items) {
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'; copy the data out
    if (v < 0)
      throw std::runtime_error("negative: " + std::to_string(lookup_remote(v)));
  }
  return 0;
}
// The rest of the iteration still counts.
int checked_lookup_total(unsigned count) {
  std::lock_guard g(m);
  int sum = 0;
  for (unsigned i = 0; i < count; ++i)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and calls 'lookup_remote', whose code is not visible here; copy the data out
    sum += lookup_remote(checked.at(i));
  return sum;
}
std::vector<std::function<void(int)>> listeners;
void notify_each() {
  std::lock_guard g(m);
  for (auto &l : listeners)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and calls the callable 'std::function'; copy the data out
    l(counter);
}
void search_each(const std::vector<int> &wanted) {
  std::lock_guard g(m);
  for (int w : wanted)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and calls 'std::find'; copy the data out
    counter += std::find(items.begin(), items.end(), w) != items.end();
}
int total_of(const std::vector<int> &v) {
  int t = 0;
  for (int x : v)
    t += x;
  return t;
}
void helper_loops_each(const std::vector<std::vector<int>> &rows) {
  std::lock_guard g(m);
  for (const auto &row : rows)
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm' and calls 'total_of', which runs a loop; copy the data out
    counter += total_of(row);
}

// ---- Cheap single passes: silent by default. ----
std::deque<long> stamps;
void prune_expired(long now) {
  std::lock_guard g(m);
  while (!stamps.empty() && stamps.front() < now - 1000)
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'
    stamps.pop_front();
}
std::vector<std::string> keys_copy() {
  std::vector<std::string> out;
  std::lock_guard g(m);
  for (auto &e : table)
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'
    out.push_back(e.first);
  return out;
}
struct Logger {
  int level = 0;
  void set_level(int l) { level = l; }
};
std::vector<Logger *> loggers;
void set_all_levels(int l) {
  std::lock_guard g(m);
  for (Logger *lg : loggers)
  // STRICT: :[[@LINE-1]]:3: warning: loop with a trip count that is not a small constant runs while holding lock 'm'
    lg->set_level(l);
}
// A lock of an object nobody else can see yet guards no critical section.
struct Table {
  std::mutex mu;
  std::vector<int> rows;
};
void build_table(int n) {
  auto t = std::make_unique<Table>();
  std::lock_guard g(t->mu);
  for (int i = 0; i < n; ++i)
    t->rows.push_back(lookup_remote(i));
}

void sort_under_lock() {
  std::lock_guard g(m);
  std::sort(items.begin(), items.end());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::sort' is costly to run while holding lock 'm'; copy the data out under the lock, release it, compute, then reacquire to publish the result
}

bool regex_under_lock(const std::string &pattern) {
  std::lock_guard g(m);
  std::regex re(pattern);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'std::basic_regex' is costly to run while holding lock 'm'
  return std::regex_search("text", re);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'std::regex_search' is costly to run while holding lock 'm'
}

struct Cache {
  std::mutex mu_;
  std::vector<int> values_;
  void publish_by_copy() {
    std::vector<int> fresh(100, 1);
    std::lock_guard g(mu_);
    values_ = fresh;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: copying container 'fresh' while holding lock 'mu_' allocates under the lock; move or swap it in instead
  }
};

// Forty-one assignments take nanoseconds: the size of a section is no cost,
// and it is reported only when MaxStatements is set.
void long_section() {
  std::lock_guard g(m);
  // SIZE: :[[@LINE-1]]:3: warning: critical section of lock 'm' spans 41 statements (more than 40); copy the data out under the lock, release it, compute, then reacquire to publish the result
  counter = 1; counter = 2; counter = 3; counter = 4; counter = 5;
  counter = 6; counter = 7; counter = 8; counter = 9; counter = 10;
  counter = 11; counter = 12; counter = 13; counter = 14; counter = 15;
  counter = 16; counter = 17; counter = 18; counter = 19; counter = 20;
  counter = 21; counter = 22; counter = 23; counter = 24; counter = 25;
  counter = 26; counter = 27; counter = 28; counter = 29; counter = 30;
  counter = 31; counter = 32; counter = 33; counter = 34; counter = 35;
  counter = 36; counter = 37; counter = 38; counter = 39; counter = 40;
  counter = 41;
}

// ---- Negative cases: short critical sections, copy-out, waits. ----

int map_lookup(const std::string &key) {
  std::lock_guard g(m);
  auto it = table.find(key);
  return it == table.end() ? 0 : it->second;
}

void bump_counter() {
  std::lock_guard g(m);
  ++counter;
}

void append(int v) {
  std::lock_guard g(m);
  items.push_back(v);
}

int copy_out_then_compute() {
  std::vector<int> snapshot;
  {
    std::lock_guard g(m);
    snapshot = items;
  }
  std::sort(snapshot.begin(), snapshot.end());
  int total = 0;
  for (int v : snapshot)
    total += v;
  return total;
}

void publish_by_move(std::vector<int> fresh) {
  std::lock_guard g(m);
  items = std::move(fresh);
}

void publish_by_swap(std::vector<int> &fresh) {
  std::lock_guard g(m);
  items.swap(fresh);
}

void wait_loop() {
  std::unique_lock l(m);
  while (!ready)
    cv.wait(l);
  ++counter;
}

void small_constant_loops() {
  std::lock_guard g(m);
  int a[4] = {1, 2, 3, 4};
  for (int v : a)
    counter += v;
  for (int i = 0; i < 8; ++i)
    counter += i;
  std::array<int, 3> b{};
  for (int v : b)
    counter += v;
  for (int v : {1, 2, 3})
    counter += v;
  do {
    ++counter;
  } while (false);
}

void lock_inside_the_loop() {
  for (int i = 0; i < expensive(0); ++i) {
    std::lock_guard g(m);
    ++counter;
  }
}

void loop_before_locking() {
  int total = 0;
  for (int v : items)
    total += v;
  std::lock_guard g(m);
  counter = total;
}

void unlock_in_loop() {
  std::unique_lock l(m);
  for (int i = 0; i < counter; ++i) {
    l.unlock();
    expensive(i);
    l.lock();
  }
}

void nolint_suppresses() {
  std::lock_guard g(m);
  std::sort(items.begin(), items.end()); // NOLINT(lockgraph-long-critical-section)
}
#else
// ---- Options (second RUN line): a 3-statement limit, loops off, only
// 'expensive' is costly. ----

void configured() {
  std::lock_guard g(m);
  // OPTIONS: :[[@LINE-1]]:3: warning: critical section of lock 'm' spans 5 statements (more than 3)
  for (int v : items)
    counter += v;
  expensive(counter);
  // OPTIONS: :[[@LINE-1]]:3: warning: 'expensive' is costly to run while holding lock 'm'
  std::sort(items.begin(), items.end());
  ++counter;
}
#endif
