// Token buckets per client behind a reader/writer lock: checks are reads,
// refills and new clients are writes.
#pragma once

#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace svc {

class RateLimiter {
public:
  explicit RateLimiter(int tokens_per_refill) : per_refill_(tokens_per_refill) {}
  /// True when \p client still has a token (takes it).
  bool allow(const std::string &client);
  void refill();
  int known_clients() const;

private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, int> tokens_;
  int per_refill_;
};

} // namespace svc
