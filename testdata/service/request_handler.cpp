#include "request_handler.h"

namespace svc {

std::string RequestHandler::fetch_from_backend(const std::string &key) {
  int connection = connections_.acquire();
  ConnectionPool::send(connection, "GET " + key + "\n");
  connections_.release(connection);
  return "value-of-" + key;
}

// BUG (lock across co_await): sessions_mu_ is still held when the coroutine
// suspends; it resumes on another pool thread, which then unlocks a mutex it
// does not own, and every other handler blocks on sessions_mu_ meanwhile.
Task RequestHandler::handle(Request request) {
  std::unique_lock session(sessions_mu_);
  ++requests_per_client_[request.client];
  co_await pool_.schedule();
  session.unlock();
  if (!limiter_.allow(request.client)) {
    ++completed_;
    co_return;
  }
  if (!cache_.get(request.key))
    cache_.put(request.key, fetch_from_backend(request.key));
  ++completed_;
}

// Correct: the bookkeeping finishes, and the lock is released, before the
// coroutine suspends.
Task RequestHandler::handle_fixed(Request request) {
  {
    std::lock_guard session(sessions_mu_);
    ++requests_per_client_[request.client];
  }
  co_await pool_.schedule();
  if (!limiter_.allow(request.client)) {
    ++completed_;
    co_return;
  }
  if (!cache_.get(request.key))
    cache_.put(request.key, fetch_from_backend(request.key));
  ++completed_;
}

std::size_t RequestHandler::sessions() const {
  std::lock_guard lock(sessions_mu_);
  return requests_per_client_.size();
}

} // namespace svc
