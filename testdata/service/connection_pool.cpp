#include "connection_pool.h"

#include <chrono>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace svc {

ConnectionPool::ConnectionPool(unsigned size) {
  for (unsigned i = 0; i < size; ++i)
    idle_.push_back(open_connection());
}

ConnectionPool::~ConnectionPool() {
  for (int c : idle_)
    ::close(c);
}

int ConnectionPool::open_connection() { return ::open("/dev/null", O_WRONLY | O_CLOEXEC); }

void ConnectionPool::send(int connection, const std::string &line) {
  ssize_t written = ::write(connection, line.data(), line.size());
  (void)written;
}

// BUG (blocking under lock): opening a connection and backing off both
// happen with mu_ held, so every other acquire() and release() waits.
int ConnectionPool::acquire() {
  std::lock_guard lock(mu_);
  if (idle_.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return open_connection();
  }
  int c = idle_.back();
  idle_.pop_back();
  return c;
}

// Correct: a short critical section, a push_back and nothing else.
void ConnectionPool::release(int connection) {
  std::lock_guard lock(mu_);
  idle_.push_back(connection);
}

// Correct: copy the list out under the lock, do the I/O after releasing it.
void ConnectionPool::ping_idle() {
  std::vector<int> snapshot;
  {
    std::lock_guard lock(mu_);
    snapshot = idle_;
  }
  for (int c : snapshot)
    send(c, "PING\n");
}

} // namespace svc
