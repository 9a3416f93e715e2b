#include "cache_stats.h"

void Stats::record() {
  std::lock_guard g(mu);
  ++hits;
}

void Stats::flush() {
  std::lock_guard g(mu);
  if (hits > 100)
    cache->evict();
  hits = 0;
}
