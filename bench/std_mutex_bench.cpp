// std::mutex only. Built three ways by run-runtime-bench.sh: plain, run
// with liblockgraph-preload.so, and with clang -fsanitize=thread (run with
// TSAN_OPTIONS=detect_deadlocks=1).
#include "lock_loops.h"

static const int registered =
    lockgraph::bench::registerSingleThreadLoops<std::mutex>("std_mutex") +
    lockgraph::bench::registerThreadedLoops<std::mutex>("std_mutex");

BENCHMARK_MAIN();
