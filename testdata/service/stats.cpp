#include "stats.h"
#include "cache.h"

namespace svc {

void Stats::record_hit() {
  std::lock_guard lock(mu_);
  ++hits_;
}

void Stats::record_miss() {
  std::lock_guard lock(mu_);
  ++misses_;
}

std::uint64_t Stats::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

// BUG (lock order): Stats::mu_ is held while the cache takes Cache::mu_;
// Cache::get takes them in the other order. Two threads doing both can
// deadlock. Fix: copy what flush needs, release mu_, then call the cache.
void Stats::flush() {
  std::lock_guard lock(mu_);
  flushed_ = hits_ + misses_;
  if (cache_)
    cache_->evict_cold();
}

} // namespace svc
