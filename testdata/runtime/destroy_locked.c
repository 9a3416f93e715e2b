/* Destroys a mutex that is still locked. */
#include <pthread.h>

int main(void) {
  pthread_mutex_t mu;
  pthread_mutex_init(&mu, 0);
  pthread_mutex_lock(&mu);
  pthread_mutex_destroy(&mu);
  return 0;
}
