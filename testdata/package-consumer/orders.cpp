// Built against the installed lockgraph package. placeOrder() (in libshop.so)
// takes the inventory lock, then the order lock; restock() takes them in the
// opposite order. The threads run one after the other, so the run never
// deadlocks; the order still can. Instrumented builds report one
// lock-order-inversion between Inventory::mu and Orders::mu.
#include "shop.h"

#include <mutex>
#include <thread>

void restock() {
  std::lock_guard<lockgraph::mutex> book(orders.mu);
  std::lock_guard<lockgraph::mutex> stock(inventory.mu);
  inventory.items += orders.open;
  orders.open = 0;
}

int main() {
  std::thread(placeOrder).join();
  std::thread(restock).join();
}
