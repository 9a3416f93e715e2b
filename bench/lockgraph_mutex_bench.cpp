// lockgraph::mutex linked in, plus std::mutex in the same process as the
// baseline the ratios are computed against.
#include "lock_loops.h"

#include <lockgraph/mutex.h>

static const int registered =
    lockgraph::bench::registerSingleThreadLoops<std::mutex>("std_mutex") +
    lockgraph::bench::registerSingleThreadLoops<lockgraph::mutex>("lockgraph_mutex") +
    lockgraph::bench::registerThreadedLoops<std::mutex>("std_mutex") +
    lockgraph::bench::registerThreadedLoops<lockgraph::mutex>("lockgraph_mutex");

BENCHMARK_MAIN();
