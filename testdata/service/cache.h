// A string cache in front of a slower lookup, with usage statistics.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace svc {

class Stats;

class Cache {
public:
  explicit Cache(Stats &stats) : stats_(stats) {}
  std::optional<std::string> get(const std::string &key);
  void put(const std::string &key, std::string value);
  /// Drops entries that were not read since the previous call.
  void evict_cold();
  std::size_t size() const;

private:
  struct Entry {
    std::string value;
    bool read = false;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  Stats &stats_;
};

} // namespace svc
