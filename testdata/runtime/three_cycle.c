/* A C program on raw pthread mutexes: A -> B, B -> C, C -> A over three
   threads run one after another. Expect one inversion with three locks. */
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;

struct pair { pthread_mutex_t *first, *second; };

static void *lock_pair(void *arg) {
  struct pair *p = arg;
  pthread_mutex_lock(p->first);
  pthread_mutex_lock(p->second);
  pthread_mutex_unlock(p->second);
  pthread_mutex_unlock(p->first);
  return 0;
}

int main(void) {
  struct pair pairs[] = {{&a, &b}, {&b, &c}, {&c, &a}};
  for (int i = 0; i < 3; ++i) {
    pthread_t t;
    pthread_create(&t, 0, lock_pair, &pairs[i]);
    pthread_join(t, 0);
  }
  return 0;
}
