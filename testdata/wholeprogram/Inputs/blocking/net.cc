#include "net.h"
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <sys/socket.h>
#include <thread>

int Socket::SendAll(const char *data, int size) {
  return int(::send(fd_, data, size, 0));
}

int Socket::Describe() const { return fd_; }

// Gives the caller's lock up while it sends.
void Socket::SendWithout(std::unique_lock<std::mutex> &held, const char *data, int size) {
  held.unlock();
  ::send(fd_, data, size, 0);
  held.lock();
}

void Backoff(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

static std::condition_variable ready;

// The wait releases the caller's lock.
void AwaitReady(std::unique_lock<std::mutex> &held) { ready.wait(held); }

void ReportFailure(const char *what) { std::fprintf(stderr, "assertion failed: %s\n", what); }

#include <cstdlib>
void CheckCall(int rc) {
  if (rc != 0) {
    std::fprintf(stderr, "call failed: %d\n", rc);
    std::abort();
  }
}

void CondVar::Wait() { pthread_cond_wait(&cv_, &mu_->mu_); }

void Worker::AwaitIdle() {
  std::unique_lock<std::mutex> l(m_);
  idle_.wait(l);
}
