// lockgraph::mutex linked in, plus std::mutex in the same process as the
// baseline the ratios are computed against.
#include "lock_loops.h"

#include <lockgraph/mutex.h>

static const int registered = lockgraph::bench::registerLockLoops<std::mutex>("std_mutex") +
                                lockgraph::bench::registerLockLoops<lockgraph::mutex>("lockgraph_mutex");

BENCHMARK_MAIN();
