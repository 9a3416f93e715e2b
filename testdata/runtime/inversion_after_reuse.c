// Three rounds, each with five fresh heap mutexes: an inversion of two,
// then a cycle of three, then an inversion of two again, each round's locks
// destroyed (last first, as delete[] does) and freed. Later rounds' locks
// get earlier rounds' addresses and graph node ids, but they are other
// locks: each round's cycle is a finding of its own, not a repeat.
#include <pthread.h>
#include <stdlib.h>

static void lockPair(pthread_mutex_t* first, pthread_mutex_t* second) {
  pthread_mutex_lock(first);
  pthread_mutex_lock(second);
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
}

static void round(int cycleLength) {
  pthread_mutex_t* m = malloc(5 * sizeof *m);
  for (int i = 0; i < 5; ++i)
    pthread_mutex_init(&m[i], 0);
  for (int i = 0; i < cycleLength; ++i)
    lockPair(&m[i], &m[(i + 1) % cycleLength]);
  for (int i = 5; i-- > 0;)
    pthread_mutex_destroy(&m[i]);
  free(m);
}

int main(void) {
  round(2);
  round(3);
  round(2);
  return 0;
}
