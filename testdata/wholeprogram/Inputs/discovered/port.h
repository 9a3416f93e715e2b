#pragma once
#include <pthread.h>

namespace port {

// Lock() and Unlock() are defined in port.cc: other files see only their
// declarations.
class Mutex {
public:
  Mutex();
  void Lock();
  void Unlock();

private:
  pthread_mutex_t mu_;
};

class MutexLock {
public:
  explicit MutexLock(Mutex *mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }

private:
  Mutex *mu_;
};

// Recursive: its constructor, in port.cc, says so.
class CriticalSection {
public:
  CriticalSection();
  void Lock() { pthread_mutex_lock(&m_); }
  void Unlock() { pthread_mutex_unlock(&m_); }

private:
  pthread_mutex_t m_;
};

} // namespace port
