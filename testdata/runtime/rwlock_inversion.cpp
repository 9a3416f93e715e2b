// Writer of `config` reads `cache`; writer of `cache` reads `config`:
// each side waits for the other's writer. Expect one inversion.
#include <mutex>
#include <shared_mutex>
#include <thread>

std::shared_mutex config;
std::shared_mutex cache;

int main() {
  std::thread([] {
    std::unique_lock<std::shared_mutex> w(config);
    std::shared_lock<std::shared_mutex> r(cache);
  }).join();
  std::thread([] {
    std::unique_lock<std::shared_mutex> w(cache);
    std::shared_lock<std::shared_mutex> r(config);
  }).join();
}
