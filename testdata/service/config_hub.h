// Live configuration: components subscribe and are told about every change.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace svc {

using Config = std::map<std::string, std::string>;

class ConfigHub {
public:
  using Listener = std::function<void(const Config &)>;
  void subscribe(Listener listener);
  /// Replaces the configuration and tells every subscriber.
  void publish(Config next);
  /// Like publish, but tells subscribers after releasing the lock.
  void publish_safely(Config next);
  Config current() const;

private:
  mutable std::mutex mu_;
  Config config_;
  std::vector<Listener> listeners_;
};

} // namespace svc
