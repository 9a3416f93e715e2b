#pragma once
#include <mutex>

// Defined in net.cc: other files see only declarations.
class Socket {
public:
  int SendAll(const char *data, int size);
  int Describe() const;
  void SendWithout(std::unique_lock<std::mutex> &held, const char *data, int size);

private:
  int fd_ = -1;
};

void Backoff(int ms);
void AwaitReady(std::unique_lock<std::mutex> &held);

// Reports a failed assertion (on stderr, in net.cc).
void ReportFailure(const char *what);
#define NET_ASSERT(x)                                                                                          \
  do {                                                                                                       \
    if (!(x))                                                                                                \
      ReportFailure(#x);                                                                                     \
  } while (0)
