#include "table.h"

void Table::prepare(MergeInfo *info) { info->merge_lock = &merge_lock_; }

void Table::issue(Ticket *t) { t->lock = &merge_lock_; }

void Table::issue(Pass *p) { p->lock = &merge_lock_; }

void Table::record() {
  std::lock_guard<std::mutex> stats(stats_mu_);
  std::lock_guard<std::mutex> merge(merge_lock_);
}

void Table::bump_stats() { std::lock_guard<std::mutex> stats(stats_mu_); }

void Table::audit() {
  std::lock_guard<std::mutex> audit(audit_mu_);
  std::lock_guard<std::mutex> merge(merge_lock_);
}

void Table::bump_audit() { std::lock_guard<std::mutex> audit(audit_mu_); }

void Table::log() {
  std::lock_guard<std::mutex> log(log_mu_);
  std::lock_guard<std::mutex> merge(merge_lock_);
}

void Table::bump_log() { std::lock_guard<std::mutex> log(log_mu_); }

void Table::name() {
  std::lock_guard<std::mutex> names(names_mu_);
  std::lock_guard<std::mutex> merge(merge_lock_);
}

void Table::bump_names() { std::lock_guard<std::mutex> names(names_mu_); }

void Table::attach() { this->self_ = &this->self_mu_; }

void Table::drain() { std::lock_guard<std::mutex> g(*self_); }

void Journal::read() { std::lock_guard<std::mutex> g(page_); }

void Reader::peek() { std::lock_guard<std::mutex> g(lock_.get()); }
