#pragma once
#include <functional>
#include <mutex>

// Handed to a merge: its lock is the table's merge lock, set by
// Table::prepare in table.cc and taken by run_merge in merge.cc.
struct MergeInfo {
  std::mutex *merge_lock = nullptr;
};

// Same member name, unrelated class: never set to the table's lock (only
// to null, which points nowhere).
struct OtherInfo {
  std::mutex *merge_lock = nullptr;
};

// Set to the merge lock, and elsewhere to what pick_lock(shard) returns
// (the shard a caller chooses: not one global object).
struct Ticket {
  std::mutex *lock = nullptr;
  int shard = 0;
};

// Set to the merge lock, and elsewhere to a caller's mutex.
struct Pass {
  std::mutex *lock = nullptr;
  void rebind(std::mutex *m) { lock = m; }
};

class Table {
public:
  void prepare(MergeInfo *info);
  void issue(Ticket *t);
  void issue(Pass *p);
  // Each takes its own mutex, then merge_lock_; each bump_* takes that
  // mutex alone. A pointer taken for merge_lock_ and held over a bump_*
  // makes a cycle of its own.
  void record();
  void bump_stats();
  void audit();
  void bump_audit();
  void log();
  void bump_log();
  void name();
  void bump_names();
  void attach();     // self_ = &self_mu_
  void flush();      // self_mu_, then drain()
  void drain();      // *self_

private:
  std::mutex merge_lock_;
  std::mutex stats_mu_;
  std::mutex audit_mu_;
  std::mutex log_mu_;
  std::mutex names_mu_;
  std::mutex self_mu_;
  std::mutex *self_ = nullptr;
};

// Slot::lock is set to a Left's mutex in left.cc and to a Right's in
// right.cc: two classes, so it is neither.
struct Slot {
  std::mutex *lock = nullptr;
};

class Right;

class Left {
public:
  void fill(Slot *s);
  void touch(Right *r); // mu_, then r->poke()

private:
  std::mutex mu_;
};

class Right {
public:
  void fill(Slot *s);
  void poke(); // mu_

private:
  std::mutex mu_;
};

// page_ refers to its own journal's page_mu_: read() while turn() holds
// page_mu_ locks it again.
class Journal {
public:
  Journal() : page_(page_mu_) {}
  void turn(); // page_mu_, then read()
  void read(); // page_

private:
  std::mutex page_mu_;
  std::reference_wrapper<std::mutex> page_;
};

// lock_ is set to the reader's own mu_, but also to the mutex its
// constructor is given: which one is not known.
class Reader {
public:
  explicit Reader(std::mutex &m) : lock_(m) {}
  void own() { lock_ = mu_; }
  void scan(); // mu_, then peek()
  void peek(); // lock_

private:
  std::mutex mu_;
  std::reference_wrapper<std::mutex> lock_;
};
