// The shop's state, shared by libshop.so and the orders executable: each
// links lockgraph::runtime, and the process still has one lock-order graph.
#pragma once

#include <lockgraph/mutex.h>

#include <cstddef>

struct Inventory {
  lockgraph::mutex mu LOCKGRAPH_MUTEX_NAME("Inventory::mu");
  std::size_t items = 10;
};

struct Orders {
  lockgraph::mutex mu LOCKGRAPH_MUTEX_NAME("Orders::mu");
  std::size_t open = 0;
};

extern Inventory inventory;
extern Orders orders;

// Takes the inventory lock, then the order lock.
void placeOrder();
