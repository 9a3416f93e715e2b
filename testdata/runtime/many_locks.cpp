// Holds 1000 mutexes at once, twice, in one order; then takes the last
// and the first in reverse, which is one inversion.
#include <mutex>
#include <vector>

int main() {
  std::vector<std::mutex> locks(1000);
  for (int round = 0; round < 2; ++round) {
    for (auto& m : locks)
      m.lock();
    for (auto it = locks.rbegin(); it != locks.rend(); ++it)
      it->unlock();
  }
  std::lock_guard<std::mutex> last(locks.back());
  std::lock_guard<std::mutex> first(locks.front());
}
