#include "queue.h"
#include <memory>

void drain() {
  std::unique_lock lk(queue_mu);
  flush_unlocked(lk);
}

void journal() {
  std::unique_lock lk(journal_mu);
  keep_locked(lk);
}

void open_new() {
  std::lock_guard r(registry_mu);
  auto s = std::make_unique<Session>();
  s->touch();
}
