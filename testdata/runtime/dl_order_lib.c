// Built twice, as two libraries with the same layout: ORDER_FORWARD takes
// first then second, the other build second then first. Loaded one after
// the other at the same address, their locks share addresses but are
// different locks.
#include <pthread.h>

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;

const void* firstLockAddress(void) { return &first; }

void takeLocks(void) {
#ifdef ORDER_FORWARD
  pthread_mutex_lock(&first);
  pthread_mutex_lock(&second);
  pthread_mutex_unlock(&second);
  pthread_mutex_unlock(&first);
#else
  pthread_mutex_lock(&second);
  pthread_mutex_lock(&first);
  pthread_mutex_unlock(&first);
  pthread_mutex_unlock(&second);
#endif
}
