// A fixed number of lock/unlock pairs, for counting instructions under
// valgrind --tool=callgrind: unlike wall-clock time, the count does not
// depend on what else the machine is running. Without
// LOCKGRAPH_LOOP_USES_LOCKGRAPH the loop uses std::mutex (run it plain and
// preloaded).
//   instruction_count_loop N single|nested [threaded]
// `threaded` first starts and joins one thread: glibc's mutex then uses
// atomic instructions, as in any multi-threaded program; without it the
// process stays single-threaded and std::mutex is at its cheapest.
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#ifdef LOCKGRAPH_LOOP_USES_LOCKGRAPH
#include <lockgraph/mutex.h>
using Mutex = lockgraph::mutex;
#else
using Mutex = std::mutex;
#endif

Mutex outer, inner;

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  bool nested = argc > 2 && argv[2][0] == 'n';
  if (argc > 3 && std::strcmp(argv[3], "threaded") == 0)
    std::thread([] {}).join();
  for (long i = 0; i < n; ++i) {
    std::lock_guard<Mutex> a(outer);
    if (nested) {
      std::lock_guard<Mutex> b(inner);
    }
  }
}
