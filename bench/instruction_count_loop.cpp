// A fixed number of lock/unlock pairs, for counting instructions under
// valgrind --tool=callgrind: unlike wall-clock time, the count does not
// depend on what else the machine is running. With LOCKGRAPH_LOOP_MUTEX
// unset the loop uses std::mutex (run it plain and preloaded).
#include <cstdlib>
#include <mutex>

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
  for (long i = 0; i < n; ++i) {
    std::lock_guard<Mutex> a(outer);
    if (nested) {
      std::lock_guard<Mutex> b(inner);
    }
  }
}
