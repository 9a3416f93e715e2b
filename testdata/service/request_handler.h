// Handles requests as coroutines on the thread pool: rate limit, cache
// lookup, backend call over a pooled connection, session bookkeeping.
#pragma once

#include "cache.h"
#include "connection_pool.h"
#include "executor.h"
#include "rate_limiter.h"

#include <atomic>
#include <map>
#include <mutex>
#include <string>

namespace svc {

struct Request {
  std::string client;
  std::string key;
};

class RequestHandler {
public:
  RequestHandler(ThreadPool &pool, Cache &cache, ConnectionPool &connections, RateLimiter &limiter)
      : pool_(pool), cache_(cache), connections_(connections), limiter_(limiter) {}

  /// The handler as shipped: keeps the session lock across a suspension.
  Task handle(Request request);
  /// The fixed handler: the session lock covers only the bookkeeping.
  Task handle_fixed(Request request);

  std::size_t sessions() const;
  int completed() const { return completed_.load(); }

private:
  std::string fetch_from_backend(const std::string &key);

  ThreadPool &pool_;
  Cache &cache_;
  ConnectionPool &connections_;
  RateLimiter &limiter_;
  mutable std::mutex sessions_mu_;
  std::map<std::string, int> requests_per_client_;
  std::atomic<int> completed_{0};
};

} // namespace svc
