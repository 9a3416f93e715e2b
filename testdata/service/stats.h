// Hit/miss counters that are flushed periodically. Flushing asks the cache
// to drop entries nobody read since the last flush.
#pragma once

#include <cstdint>
#include <mutex>

namespace svc {

class Cache;

class Stats {
public:
  void attach(Cache *cache) { cache_ = cache; }
  void record_hit();
  void record_miss();
  /// Publishes the counters and trims the cache.
  void flush();
  std::uint64_t hits() const;

private:
  mutable std::mutex mu_;
  std::uint64_t hits_ = 0, misses_ = 0, flushed_ = 0;
  Cache *cache_ = nullptr;
};

} // namespace svc
