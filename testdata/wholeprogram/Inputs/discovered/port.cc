#include "port.h"

namespace port {

Mutex::Mutex() { pthread_mutex_init(&mu_, nullptr); }
void Mutex::Lock() { pthread_mutex_lock(&mu_); }
void Mutex::Unlock() { pthread_mutex_unlock(&mu_); }

CriticalSection::CriticalSection() {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&m_, &attr);
}

} // namespace port
