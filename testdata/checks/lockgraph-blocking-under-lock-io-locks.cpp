// RUN: not %lockgraph check %s --checks='-*,lockgraph-blocking-under-lock' -- %std 2>/dev/null | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not="{{warning|error}}:"
// RUN: not %lockgraph check %s --checks='-*,lockgraph-blocking-under-lock' --config="{CheckOptions: {lockgraph-blocking-under-lock.IoLocks: 'true'}}" -- %std 2>/dev/null | FileCheck %s --check-prefixes=CHECK-MESSAGES,IOLOCKS --implicit-check-not="{{warning|error}}:"
//
// A mutex that serialises one stream's I/O (a console or file sink) is an
// I/O lock: the writes it makes wait are what it exists for. Reported only
// with IoLocks; I/O under any other lock still is.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <chrono>

// ---- I/O locks: silent by default. ----
class ConsoleSink {
public:
  void log(const std::string &line) {
    std::lock_guard g(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    // IOLOCKS: :[[@LINE-1]]:5: warning: 'fwrite' performs file or console I/O while holding lock 'mutex_'
    std::fflush(file_);
    // IOLOCKS: :[[@LINE-1]]:5: warning: 'fflush' performs file or console I/O while holding lock 'mutex_'
  }

private:
  std::mutex mutex_;
  std::FILE *file_ = stdout;
};

class FileLog {
public:
  void append(const std::string &line) {
    std::lock_guard g(mu_);
    out_ << line << '\n';
    // IOLOCKS: :[[@LINE-1]]:5: warning: 'std::ofstream <<' performs file or console I/O while holding lock 'mu_'
  }

private:
  std::mutex mu_;
  std::ofstream out_;
};

// A colour sink writes through helpers of the same object: the stream is
// still the sibling of the mutex, whoever calls fwrite.
class ColourSink {
public:
  void log(const std::string &line) {
    std::lock_guard g(mutex_);
    write_range(line, 0, line.size());
    // IOLOCKS: :[[@LINE-1]]:5: warning: call to 'ColourSink::write_range' may block while holding lock 'mutex_': it reaches 'fwrite', which performs file or console I/O
    write_code("\033[0m");
    // IOLOCKS: :[[@LINE-1]]:5: warning: call to 'ColourSink::write_code' may block while holding lock 'mutex_': it reaches 'fputs', which performs file or console I/O
    put_to(file_, "\n");
    // IOLOCKS: :[[@LINE-1]]:5: warning: call to 'ColourSink::put_to' may block while holding lock 'mutex_': it reaches 'fputs', which performs file or console I/O
    std::fflush(file_);
    // IOLOCKS: :[[@LINE-1]]:5: warning: 'fflush' performs file or console I/O while holding lock 'mutex_'
  }
  // A helper writing a stream it is given: whose stream depends on the caller.
  void copy_to(std::FILE *other, const std::string &line) {
    std::lock_guard g(mutex_);
    put_to(other, line.c_str());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'ColourSink::put_to' may block while holding lock 'mutex_': it reaches 'fputs', which performs file or console I/O
  }
  // One helper writing the sink's stream and the process's stderr: stderr
  // is not what mutex_ serialises.
  void log_twice(const std::string &line) {
    std::lock_guard g(mutex_);
    write_both(line);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'ColourSink::write_both' may block while holding lock 'mutex_': it reaches 'fputs', which performs file or console I/O
  }

private:
  void write_range(const std::string &s, std::size_t from, std::size_t to) {
    std::fwrite(s.data() + from, 1, to - from, file_);
  }
  void write_code(const char *code) { std::fputs(code, file_); }
  static void put_to(std::FILE *f, const char *s) { std::fputs(s, f); }
  void write_both(const std::string &s) {
    std::fwrite(s.data(), 1, s.size(), file_);
    std::fputs(s.c_str(), stderr);
  }

  std::mutex mutex_;
  std::FILE *file_ = stdout;
};

// A helper of another object writing that object's stream under this
// object's lock: not this lock's stream.
class Tee {
public:
  void log(const std::string &line) {
    std::lock_guard g(mu_);
    sink_.write(line);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'Tee::Sink::write' may block while holding lock 'mu_': it reaches 'fwrite', which performs file or console I/O
  }

private:
  struct Sink {
    void write(const std::string &s) { std::fwrite(s.data(), 1, s.size(), file); }
    std::FILE *file = stdout;
  };
  std::mutex mu_;
  Sink sink_;
};

// A mutex static in the function that locks it is taken by nothing else:
// it serialises that function's own error report.
void report_error(const char *what) {
  static std::mutex mutex;
  static int reports = 0;
  std::lock_guard g(mutex);
  if (++reports > 10)
    return;
  std::fprintf(stderr, "error #%d: %s\n", reports, what);
  // IOLOCKS: :[[@LINE-1]]:3: warning: 'fprintf' performs file or console I/O while holding lock 'mutex'
  std::puts(what);
  // IOLOCKS: :[[@LINE-1]]:3: warning: 'puts' performs file or console I/O while holding lock 'mutex'
}

// ---- I/O under a lock that guards something else: reported. ----

// Not I/O: a static mutex excuses only the output made under it.
void report_slowly(const char *what) {
  static std::mutex mutex;
  std::lock_guard g(mutex);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' sleeps while holding lock 'mutex'
}

// A global mutex may guard more than the stream: still reported.
std::mutex cout_mu;
void say(const std::string &line) {
  std::lock_guard g(cout_mu);
  std::cout << line << '\n';
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'std::cout <<' performs file or console I/O while holding lock 'cout_mu'
}
class Registry {
public:
  void dump(std::FILE *out) {
    std::lock_guard g(mu_);
    std::fwrite(&count_, sizeof count_, 1, out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fwrite' performs file or console I/O while holding lock 'mu_'
  }

private:
  std::mutex mu_;
  int count_ = 0;
};

std::mutex table_mu;
void print_table(ConsoleSink &sink, std::FILE *f) {
  std::lock_guard g(table_mu);
  std::fputs("table\n", f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fputs' performs file or console I/O while holding lock 'table_mu'
}
