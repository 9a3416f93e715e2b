// --stats counts locks that are gone by exit: a heap mutex locked 25
// times, then destroyed and freed; and one locked 7 times, freed without
// pthread_mutex_destroy (as a std::mutex in a deleted object is).
#include <pthread.h>
#include <stdlib.h>

int main(void) {
  // Both allocated first: different addresses, so different rows.
  pthread_mutex_t* destroyed = malloc(sizeof *destroyed);
  pthread_mutex_t* freed = malloc(sizeof *freed);
  pthread_mutex_init(destroyed, 0);
  for (int i = 0; i < 25; ++i) {
    pthread_mutex_lock(destroyed);
    pthread_mutex_unlock(destroyed);
  }
  pthread_mutex_destroy(destroyed);
  free(destroyed);

  pthread_mutex_init(freed, 0);
  for (int i = 0; i < 7; ++i) {
    pthread_mutex_lock(freed);
    pthread_mutex_unlock(freed);
  }
  free(freed);
  return 0;
}
