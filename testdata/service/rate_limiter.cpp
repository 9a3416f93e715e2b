#include "rate_limiter.h"

#include <mutex>

namespace svc {

// Correct: look up under the shared lock, and only if the client is new,
// drop it and take the exclusive lock (never upgrade while holding).
bool RateLimiter::allow(const std::string &client) {
  {
    std::shared_lock read(mu_);
    auto it = tokens_.find(client);
    if (it == tokens_.end()) {
      read.unlock();
      std::unique_lock write(mu_);
      tokens_.emplace(client, per_refill_ - 1);
      return true;
    }
  }
  std::unique_lock write(mu_);
  int &left = tokens_[client];
  if (left <= 0)
    return false;
  --left;
  return true;
}

void RateLimiter::refill() {
  std::unique_lock write(mu_);
  for (auto &[client, left] : tokens_)
    left = per_refill_;
}

int RateLimiter::known_clients() const {
  std::shared_lock read(mu_);
  return static_cast<int>(tokens_.size());
}

} // namespace svc
