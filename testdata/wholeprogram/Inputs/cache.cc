#include "cache_stats.h"

int Cache::get(int key) {
  std::lock_guard g(mu);
  stats->record();
  return key + entries;
}

void Cache::evict() {
  std::lock_guard g(mu);
  entries = 0;
}
