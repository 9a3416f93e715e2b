// Connections to a backend, handed out to request handlers and returned
// after use. A connection here is a file descriptor on /dev/null so the
// example runs anywhere; the locking is what real pools do.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace svc {

class ConnectionPool {
public:
  explicit ConnectionPool(unsigned size);
  ~ConnectionPool();

  /// Takes an idle connection, opening a new one when none is idle.
  int acquire();
  void release(int connection);
  /// Sends a health-check line on every idle connection.
  void ping_idle();
  /// Writes one request on a connection the caller owns.
  static void send(int connection, const std::string &line);

private:
  static int open_connection();

  std::mutex mu_;
  std::vector<int> idle_;
};

} // namespace svc
