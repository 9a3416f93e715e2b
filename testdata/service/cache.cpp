#include "cache.h"
#include "stats.h"

namespace svc {

// BUG (lock order): records statistics while holding Cache::mu_, so the
// order here is Cache::mu_ -> Stats::mu_ (see Stats::flush for the other).
std::optional<std::string> Cache::get(const std::string &key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    stats_.record_miss();
    return std::nullopt;
  }
  it->second.read = true;
  stats_.record_hit();
  return it->second.value;
}

// Correct: the statistics call happens after the cache lock is released.
void Cache::put(const std::string &key, std::string value) {
  {
    std::lock_guard lock(mu_);
    entries_[key] = Entry{std::move(value), false};
  }
  stats_.record_miss();
}

void Cache::evict_cold() {
  std::lock_guard lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.read)
      it = entries_.erase(it);
    else
      (it++)->second.read = false;
  }
}

std::size_t Cache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

} // namespace svc
