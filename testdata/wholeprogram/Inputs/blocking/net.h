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

// Prints why and ends the process when rc is an error.
void CheckCall(int rc);

// A condition variable on a mutex its owner passes by pointer.
#include <condition_variable>
#include <pthread.h>
struct Mutex {
  pthread_mutex_t mu_ = PTHREAD_MUTEX_INITIALIZER;
};
class CondVar {
public:
  explicit CondVar(Mutex *mu) : mu_(mu) {}
  void Wait();

private:
  Mutex *mu_;
  pthread_cond_t cv_ = PTHREAD_COND_INITIALIZER;
};

// Waits on a condition of its own.
class Worker {
public:
  void AwaitIdle();

private:
  std::mutex m_;
  std::condition_variable idle_;
};
