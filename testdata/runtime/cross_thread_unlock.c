// A mutex locked on one thread and unlocked on another (a coroutine resumed
// elsewhere does this): one bad-unlock. The locking thread no longer holds
// the mutex afterwards, so what it locks next is not ordered after it, and
// the opposite order taken later is no inversion.
#include <pthread.h>

pthread_mutex_t session = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cache = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t step;

void* owner(void* unused) {
  (void)unused;
  pthread_mutex_lock(&session);
  pthread_barrier_wait(&step); // locked
  pthread_barrier_wait(&step); // main has unlocked it
  pthread_mutex_lock(&cache);  // session is not held any more
  pthread_mutex_unlock(&cache);
  return 0;
}

int main(void) {
  pthread_t t;
  pthread_barrier_init(&step, 0, 2);
  pthread_create(&t, 0, owner, 0);
  pthread_barrier_wait(&step);
  pthread_mutex_unlock(&session); // bad-unlock: the other thread locked it
  pthread_barrier_wait(&step);
  pthread_join(t, 0);
  pthread_mutex_lock(&cache);
  pthread_mutex_lock(&session);
  pthread_mutex_unlock(&session);
  pthread_mutex_unlock(&cache);
  return 0;
}
