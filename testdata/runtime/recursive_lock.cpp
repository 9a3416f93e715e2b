// Locks a std::mutex it already holds: without lockgraph this hangs.
#include <mutex>

std::mutex registry;

void registerItem() { std::lock_guard<std::mutex> hold(registry); }

int main() {
  std::lock_guard<std::mutex> hold(registry);
  registerItem();
}
