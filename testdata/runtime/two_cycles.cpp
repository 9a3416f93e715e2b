// Two independent inversions; with --halt-on-error only the first is
// reported.
#include <mutex>
#include <thread>

std::mutex a, b, c, d;

template <class M> void pair(M& x, M& y) {
  std::lock_guard<M> lx(x);
  std::lock_guard<M> ly(y);
}

int main() {
  std::thread([] { pair(a, b); }).join();
  std::thread([] { pair(b, a); }).join();
  std::thread([] { pair(c, d); }).join();
  std::thread([] { pair(d, c); }).join();
}
