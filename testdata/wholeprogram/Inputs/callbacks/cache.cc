#include "cache.h"

void Cache::Erase(Entry *e) {
  std::lock_guard g(mu_);
  (*e->deleter)(e);
}

void Cache::Insert(Entry *e) { std::lock_guard g(mu_); }

void Cache::Notify() {
  std::lock_guard g(mu_);
  on_evict();
}
