#include "table.h"

std::mutex *pick_lock(int shard);

// merge_lock_ (through info->merge_lock), then stats_mu_: Table::record
// takes them the other way round.
void run_merge(MergeInfo *info, Table *t) {
  std::lock_guard<std::mutex> merge(*info->merge_lock);
  t->bump_stats();
}

// self_ is &self_mu_ of the same table: drain locks it again.
void Table::flush() {
  std::lock_guard<std::mutex> g(self_mu_);
  drain();
}

void run_other(OtherInfo *o, Table *t) {
  std::lock_guard<std::mutex> merge(*o->merge_lock);
  t->bump_names();
}

void clear_other(OtherInfo *o) { o->merge_lock = nullptr; }

void reissue(Ticket *t) { t->lock = pick_lock(t->shard); }

void run_ticket(Ticket *tk, Table *t) {
  std::lock_guard<std::mutex> g(*tk->lock);
  t->bump_audit();
}

void run_pass(Pass *p, Table *t) {
  std::lock_guard<std::mutex> g(*p->lock);
  t->bump_log();
}

void run_slot(Slot *s, Left *l, Right *r) {
  std::lock_guard<std::mutex> g(*s->lock);
  l->touch(r);
}

void Journal::turn() {
  std::lock_guard<std::mutex> g(page_mu_);
  read();
}

void Reader::scan() {
  std::lock_guard<std::mutex> g(mu_);
  peek();
}
