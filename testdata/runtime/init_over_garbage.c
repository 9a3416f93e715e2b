// A lock's memory is reused without pthread_mutex_destroy or free (as a
// returned function's stack frame is): first a mutex used and unlocked,
// then bytes that happen to look locked, then pthread_mutex_init there.
// Initializing memory is no destroy-locked finding, whatever it held
// (found running Helgrind's tc09_bad_unlock under lockgraph run).
#include <pthread.h>
#include <string.h>

static union {
  pthread_mutex_t mutex;
  unsigned char bytes[sizeof(pthread_mutex_t)];
} slot;

int main(void) {
  pthread_mutex_init(&slot.mutex, 0);
  pthread_mutex_lock(&slot.mutex);
  pthread_mutex_unlock(&slot.mutex);
  memset(slot.bytes, 0xff, sizeof slot.bytes); // another use of the memory
  pthread_mutex_init(&slot.mutex, 0);
  pthread_mutex_lock(&slot.mutex);
  pthread_mutex_unlock(&slot.mutex);
  return 0;
}
