#include "sync.h"
#include <time.h>

namespace core {

Event::Event() {
  pthread_mutex_init(&m_, nullptr);
  pthread_cond_init(&signalled_, nullptr);
}

void Event::Lock() {
  pthread_mutex_lock(&m_);
  while (!set_)
    pthread_cond_wait(&signalled_, &m_);
  pthread_mutex_unlock(&m_);
}

void Event::Unlock() {
  pthread_mutex_lock(&m_);
  set_ = true;
  pthread_cond_broadcast(&signalled_);
  pthread_mutex_unlock(&m_);
}

int Event::Lock(unsigned timeoutMs) {
  timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += timeoutMs / 1000;
  int result = 0;
  pthread_mutex_lock(&m_);
  while (!set_ && result == 0)
    result = pthread_cond_timedwait(&signalled_, &m_, &until);
  pthread_mutex_unlock(&m_);
  return result;
}

CriticalSection::CriticalSection() {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&m_, &attr);
}

Mutex::Mutex() { pthread_mutex_init(&m_, nullptr); }
void Mutex::Lock() { pthread_mutex_lock(&m_); }
void Mutex::Unlock() { pthread_mutex_unlock(&m_); }

} // namespace core
