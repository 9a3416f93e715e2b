/* The same faulty unlock, a hundred times: one report that counts them. A
   faulty unlock elsewhere is a finding of its own. */
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  for (int i = 0; i < 100; ++i)
    pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&mu);
  return 0;
}
