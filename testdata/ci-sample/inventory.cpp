#include "inventory.h"

#include <chrono>
#include <thread>

void Inventory::restock(const std::string &item, int count) {
  std::lock_guard<std::mutex> hold(mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stock[item] += count;
}

void Inventory::adjust(const std::string &item, int delta) {
  std::lock_guard<std::mutex> hold(mu);
  stock[item] += delta;
}

// Inventory::mu, then (in Audit::note) Audit::mu.
void Inventory::snapshotTo(Audit &log) {
  std::lock_guard<std::mutex> hold(mu);
  log.note("snapshot of " + std::to_string(stock.size()) + " items");
}
