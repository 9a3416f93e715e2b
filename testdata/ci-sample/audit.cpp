#include "inventory.h"

#include <chrono>
#include <thread>

void Audit::note(const std::string &line) {
  std::lock_guard<std::mutex> hold(mu);
  lines.push_back(line);
}

// Audit::mu, then (in Inventory::adjust) Inventory::mu: the opposite order
// of Inventory::snapshotTo.
void Audit::reconcile(Inventory &inventory) {
  std::lock_guard<std::mutex> hold(mu);
  inventory.adjust("total", 0);
}

void Audit::flushSlowly() {
  std::lock_guard<std::mutex> hold(mu);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  lines.clear();
}
