#include "config_hub.h"

namespace svc {

void ConfigHub::subscribe(Listener listener) {
  std::lock_guard lock(mu_);
  listeners_.push_back(std::move(listener));
}

// BUG (callback under lock): listeners run with mu_ held. A listener that
// reads current(), or takes a lock some other thread holds while calling
// publish(), deadlocks.
void ConfigHub::publish(Config next) {
  std::lock_guard lock(mu_);
  config_ = std::move(next);
  for (const Listener &listener : listeners_)
    listener(config_);
}

// Correct: copy the listeners and the new state, release, then call out.
void ConfigHub::publish_safely(Config next) {
  std::vector<Listener> listeners;
  Config snapshot;
  {
    std::lock_guard lock(mu_);
    config_ = std::move(next);
    listeners = listeners_;
    snapshot = config_;
  }
  for (const Listener &listener : listeners)
    listener(snapshot);
}

Config ConfigHub::current() const {
  std::lock_guard lock(mu_);
  return config_;
}

} // namespace svc
