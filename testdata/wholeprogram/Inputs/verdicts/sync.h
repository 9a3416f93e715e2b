#pragma once
#include <pthread.h>

namespace core {

// A waitable event shaped like a mutex: Lock() waits until the event is
// set, Unlock() sets it. Its bodies are in sync.cc only.
class Event {
public:
  Event();
  void Lock();
  void Unlock();
  int Lock(unsigned timeoutMs); // waits at most timeoutMs

private:
  pthread_mutex_t m_;
  pthread_cond_t signalled_;
  bool set_ = false;
};

// Recursive: its constructor, in sync.cc, says so.
class CriticalSection {
public:
  CriticalSection();
  void Lock() { pthread_mutex_lock(&m_); }
  void Unlock() { pthread_mutex_unlock(&m_); }

private:
  pthread_mutex_t m_;
};

// A plain mutex whose bodies are in sync.cc.
class Mutex {
public:
  Mutex();
  void Lock();
  void Unlock();

private:
  pthread_mutex_t m_;
};

} // namespace core
