// pthread spin locks are checked like mutexes. With no argument: one thread
// takes a then b, later b then a (an inversion; no deadlock happens), and
// c then d twice in the same order (silent). With "deadlock": two threads
// take a and b in opposite orders at the same time and spin forever.
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static pthread_spinlock_t a, b, c, d;
static atomic_int ready;

static void lockPair(pthread_spinlock_t* first, pthread_spinlock_t* second) {
  pthread_spin_lock(first);
  pthread_spin_lock(second);
  pthread_spin_unlock(second);
  pthread_spin_unlock(first);
}

static void* takeAThenB(void* arg) {
  (void)arg;
  pthread_spin_lock(&a);
  atomic_fetch_add(&ready, 1);
  while (atomic_load(&ready) < 2) {
  }
  pthread_spin_lock(&b);
  return 0;
}

static void* takeBThenA(void* arg) {
  (void)arg;
  pthread_spin_lock(&b);
  atomic_fetch_add(&ready, 1);
  while (atomic_load(&ready) < 2) {
  }
  pthread_spin_lock(&a);
  return 0;
}

int main(int argc, char** argv) {
  pthread_spin_init(&a, PTHREAD_PROCESS_PRIVATE);
  pthread_spin_init(&b, PTHREAD_PROCESS_PRIVATE);
  pthread_spin_init(&c, PTHREAD_PROCESS_PRIVATE);
  pthread_spin_init(&d, PTHREAD_PROCESS_PRIVATE);
  if (argc > 1 && strcmp(argv[1], "deadlock") == 0) {
    pthread_t t1, t2;
    pthread_create(&t1, 0, takeAThenB, 0);
    pthread_create(&t2, 0, takeBThenA, 0);
    pthread_join(t1, 0);
    pthread_join(t2, 0);
    return 0;
  }
  lockPair(&c, &d);
  lockPair(&c, &d);
  lockPair(&a, &b);
  lockPair(&b, &a);
  if (pthread_spin_trylock(&a) == 0)
    pthread_spin_unlock(&a);
  pthread_spin_destroy(&a);
  return 0;
}
