// Makes 50,086 lock-order edges, all consistent (every pair of 317 mutexes
// in index order), for --report-graph: the report must list every one, and
// be written in seconds (docs/runtime-benchmarks.md has the time).
#include <mutex>

std::mutex locks[317];

int main() {
  for (int i = 0; i < 317; ++i)
    for (int j = i + 1; j < 317; ++j) {
      std::lock_guard<std::mutex> outer(locks[i]);
      std::lock_guard<std::mutex> inner(locks[j]);
    }
}
