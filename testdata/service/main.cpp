// Test traffic for the example service: a burst of requests from a few
// clients, a statistics flush and a configuration change. Every phase is
// joined before the next starts, so the run itself never deadlocks; the
// runtime still sees every lock order the phases used.
#include "cache.h"
#include "config_hub.h"
#include "connection_pool.h"
#include "executor.h"
#include "rate_limiter.h"
#include "request_handler.h"
#include "stats.h"

#include <cstdio>
#include <thread>

int main(int argc, char **argv) {
  int requests = argc > 1 ? std::atoi(argv[1]) : 200;
  svc::ThreadPool pool(4);
  svc::Stats stats;
  svc::Cache cache(stats);
  stats.attach(&cache);
  svc::ConnectionPool connections(2);
  svc::RateLimiter limiter(50);
  svc::ConfigHub config;
  svc::RequestHandler handler(pool, cache, connections, limiter);

  config.subscribe([&](const svc::Config &c) { limiter.refill(); });

  // Phase 1: requests (Cache::mu_ -> Stats::mu_ on every cache read). The
  // shipped handler runs for the first few, each started by a front-end
  // thread of its own, as a network loop would.
  for (int i = 0; i < requests; ++i) {
    svc::Request r{"client-" + std::to_string(i % 5), "key-" + std::to_string(i % 17)};
    if (i < 1)
      std::thread([&, r] { handler.handle(r); }).join();
    else
      handler.handle_fixed(std::move(r));
  }
  pool.drain();

  // Phase 2: a flush from another thread (Stats::mu_ -> Cache::mu_).
  std::thread flusher([&] { stats.flush(); });
  flusher.join();

  // Phase 3: a configuration change; listeners run under the hub's lock.
  config.publish({{"limit", "100"}});
  connections.ping_idle();

  std::printf("example service: %d requests, %zu sessions, %llu cache hits, %zu cached keys\n",
              handler.completed(), handler.sessions(), static_cast<unsigned long long>(stats.hits()),
              cache.size());
  return 0;
}
