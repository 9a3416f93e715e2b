// RUN: not %lockgraph check %s --checks='-*,lockgraph-blocking-under-lock' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: %lockgraph check %s --checks='-*,lockgraph-blocking-under-lock' --config="{CheckOptions: {lockgraph-blocking-under-lock.BlockingDefaults: 'false'}}" -- %std 2>/dev/null | FileCheck %s --check-prefix=NO-DEFAULTS --allow-empty --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-blocking-under-lock' --config="{CheckOptions: {lockgraph-blocking-under-lock.BlockingFunctions: 'slow_rpc;Client::call', lockgraph-blocking-under-lock.IgnoredBlockingFunctions: 'std::this_thread::sleep_for', lockgraph-blocking-under-lock.Interprocedural: 'false'}}" -- %std -DOPTIONS_ONLY 2>/dev/null | FileCheck %s --check-prefix=OPTIONS --implicit-check-not="{{warning|error}}:"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

std::mutex m, other;
std::shared_mutex sm;
std::condition_variable cv;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t pc = PTHREAD_COND_INITIALIZER;
bool ready;
int counter;
void work();
int slow_rpc(int);
struct Client {
  int call(int);
};

#ifndef OPTIONS_ONLY
// ---- Positive cases: the thread blocks while a lock stays held. ----

void sleep_under_guard() {
  std::lock_guard g(m);
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' sleeps while holding lock 'm' [lockgraph-blocking-under-lock]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'm' acquired here; release it before blocking, or copy what you need and block outside
}

void posix_sleep_under_manual_lock() {
  m.lock();
  usleep(100);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'usleep' sleeps while holding lock 'm'
  m.unlock();
}

void read_under_pthread_lock(int fd, char *buf) {
  pthread_mutex_lock(&pm);
  read(fd, buf, 16);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'read' performs file or console I/O while holding lock 'pm'
  pthread_mutex_unlock(&pm);
}

void stdio_under_shared_lock(FILE *f) {
  std::shared_lock l(sm);
  fprintf(f, "%d\n", counter);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fprintf' performs file or console I/O while holding lock 'sm'
}

void console_stream_under_lock() {
  std::unique_lock l(m);
  std::cout << "value " << counter << '\n';
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::cout <<' performs file or console I/O while holding lock 'm'
}

void file_stream_under_lock(const std::string &path) {
  std::lock_guard g(m);
  std::ofstream out(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'std::ofstream' performs file or console I/O while holding lock 'm'
  out << counter;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::ofstream <<' performs file or console I/O while holding lock 'm'
}

void join_under_lock(std::thread &t) {
  std::lock_guard g(m);
  t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::thread::join' waits for a thread to finish while holding lock 'm'
}

int future_under_lock(std::future<int> &f) {
  std::lock_guard g(m);
  return f.get();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'std::future::get' waits for an asynchronous result while holding lock 'm'
}

void wait_on_other_lock() {
  std::lock_guard outer(other);
  std::unique_lock l(m);
  cv.wait(l, [] { return ready; });
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::condition_variable::wait' waits on a condition variable while holding lock 'other', which the wait does not release
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'other' acquired here
}

void pthread_wait_on_other_lock() {
  std::lock_guard outer(other);
  pthread_mutex_lock(&pm);
  while (!ready)
    pthread_cond_wait(&pc, &pm);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pthread_cond_wait' waits on a condition variable while holding lock 'other', which the wait does not release
  pthread_mutex_unlock(&pm);
}

void two_locks_held(int fd) {
  std::scoped_lock g(m, other);
  fsync(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fsync' performs file or console I/O while holding locks 'm' and 'other'
}

int run_shell() {
  std::lock_guard g(m);
  return system("true");
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'system' runs or waits for another process while holding lock 'm'
}

// Interprocedural: the helpers block, the caller holds the lock.
void flush_log(FILE *f) { fflush(f); }
void save(FILE *f) {
  fprintf(f, "%d", counter);
  flush_log(f);
}
void save_under_lock(FILE *f) {
  std::lock_guard g(m);
  save(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'save' may block while holding lock 'm': it reaches 'fprintf', which performs file or console I/O
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'm' acquired here
  // CHECK-MESSAGES: :[[@LINE-8]]:3: note: 'fprintf' performs file or console I/O here
}

void wait_for_ready(std::unique_lock<std::mutex> &l) { cv.wait(l, [] { return ready; }); }
void helper_waits_with_other_lock_held() {
  std::lock_guard outer(other);
  std::unique_lock l(m);
  wait_for_ready(l);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'wait_for_ready' may block while holding lock 'other': it reaches 'std::condition_variable::wait', which waits on a condition variable
}

struct Worker {
  std::mutex mu_;
  std::thread thread_;
  void stop() { thread_.join(); }
  void shutdown() {
    std::lock_guard g(mu_);
    stop();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'Worker::stop' may block while holding lock 'mu_': it reaches 'std::thread::join', which waits for a thread to finish
    // CHECK-MESSAGES: :[[@LINE-5]]:17: note: 'std::thread::join' waits for a thread to finish here
  }
};

// ---- Negative cases: nothing blocks while a lock is held. ----

void wait_on_the_held_lock() {
  std::unique_lock l(m);
  cv.wait(l, [] { return ready; });
  cv.wait_for(l, 10ms);
  ++counter;
}

void pthread_wait_on_the_held_lock() {
  pthread_mutex_lock(&pm);
  while (!ready)
    pthread_cond_wait(&pc, &pm);
  pthread_mutex_unlock(&pm);
}

void unlocked_before_sleep() {
  std::unique_lock l(m);
  ++counter;
  l.unlock();
  std::this_thread::sleep_for(10ms);
}

void manual_unlock_before_io(FILE *f) {
  m.lock();
  int copy = counter;
  m.unlock();
  fprintf(f, "%d", copy);
}

void copy_out_then_write(std::ostream &os) {
  std::vector<int> snapshot;
  {
    std::lock_guard g(m);
    snapshot.push_back(counter);
  }
  for (int v : snapshot)
    std::cout << v;
}

std::string format_under_lock() {
  std::lock_guard g(m);
  std::ostringstream text;
  text << counter;
  char buf[32];
  snprintf(buf, sizeof buf, "%d", counter);
  return text.str() + buf;
}

bool poll_future_under_lock(std::future<int> &f) {
  std::lock_guard g(m);
  return f.wait_for(0s) == std::future_status::ready;
}

void notify_under_lock() {
  std::lock_guard g(m);
  ready = true;
  cv.notify_one();
}

void lock_in_a_lambda_that_runs_later() {
  std::lock_guard g(m);
  std::thread t([] { std::this_thread::sleep_for(1ms); });
  t.detach();
}

void try_lock_failed() {
  if (!m.try_lock()) {
    std::this_thread::sleep_for(1ms);
    return;
  }
  ++counter;
  m.unlock();
}

// The helper gives the caller's lock up while it does its I/O.
struct Db {
  std::mutex mu_;
  int pending_ = 0;
  void write_unlocked(int fd) {
    mu_.unlock();
    fsync(fd);
    mu_.lock();
  }
  void commit(int fd) {
    std::unique_lock l(mu_);
    ++pending_;
    write_unlocked(fd);
    --pending_;
  }
};

// A member read or write named like a C function is not the C function.
struct Buffer {
  int read(char *, int);
};
void member_named_read(Buffer &b, char *p) {
  std::lock_guard g(m);
  b.read(p, 4);
}

void sleep_without_lock() { std::this_thread::sleep_for(1ms); }

void nolint_suppresses() {
  std::lock_guard g(m);
  usleep(1); // NOLINT(lockgraph-blocking-under-lock)
}


// ---- A block that ends the process: its I/O is the program's last words. ----
#include <cstdlib>
[[noreturn]] void fatal(const char *what);
void check_call(const char *label, int result) {
  if (result != 0) {
    std::fprintf(stderr, "%s: %d\n", label, result);
    std::abort();
  }
}
void lock_checked(int rc) {
  std::lock_guard g(m);
  check_call("lock", rc); // silent: the only I/O is before abort()
  if (rc < 0) {
    std::fputs("giving up\n", stderr);
    fatal("rc"); // silent: a [[noreturn]] function of the project ends it too
  }
}
// I/O that the process survives is still reported, even next to an abort.
void warn_then_maybe_abort(int rc) {
  std::lock_guard g(m);
  std::fprintf(stderr, "rc %d\n", rc);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fprintf' performs file or console I/O while holding lock 'm'
  if (rc < 0)
    std::abort();
}
#else
// ---- Options (third RUN line): extra names, a trimmed default, no
// interprocedural findings. ----

void configured_blocking() {
  std::lock_guard g(m);
  slow_rpc(1);
  // OPTIONS: :[[@LINE-1]]:3: warning: 'slow_rpc' is configured as blocking while holding lock 'm'
  Client c;
  c.call(2);
  // OPTIONS: :[[@LINE-1]]:3: warning: 'Client::call' is configured as blocking while holding lock 'm'
  std::this_thread::sleep_for(1ms);
  usleep(1);
  // OPTIONS: :[[@LINE-1]]:3: warning: 'usleep' sleeps while holding lock 'm'
}

void helper() { usleep(1); }
void not_followed_into_helper() {
  std::lock_guard g(m);
  helper();
}
#endif

// NO-DEFAULTS-NOT: warning
