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

// ---- I/O under a lock that guards something else: reported. ----

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
