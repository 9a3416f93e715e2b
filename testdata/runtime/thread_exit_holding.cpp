// A worker exits while holding a mutex; later threads reuse its slot in
// the runtime and must not inherit that hold (no phantom ordering).
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex abandoned, a, b;

int main() {
  std::thread([] { abandoned.lock(); }).join();
  for (int i = 0; i < 8; ++i)
    std::thread([] {
      std::lock_guard<std::mutex> la(a);
      std::lock_guard<std::mutex> lb(b);
    }).join();
  // b -> abandoned would close a cycle only with a phantom abandoned -> b.
  std::lock_guard<std::mutex> lb(b);
  bool got = abandoned.try_lock();
  std::printf("abandoned try_lock=%d\n", got);
}
