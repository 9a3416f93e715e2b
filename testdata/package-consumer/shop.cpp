#include "shop.h"

#include <mutex>

Inventory inventory;
Orders orders;

void placeOrder() {
  std::lock_guard<lockgraph::mutex> stock(inventory.mu);
  --inventory.items;
  std::lock_guard<lockgraph::mutex> book(orders.mu);
  ++orders.open;
}
