// Creates and destroys many mutexes, half at addresses the heap hands out
// again, half at fresh addresses (a window sliding through a large mapping),
// each locked under a long-lived outer lock so that it gets a graph node and
// an edge. Then makes an inversion, which must still be reported: checking
// stays on however many locks came and went. Prints the resident set size
// after each quarter, for docs/runtime-benchmarks.md.
//   usage: lock_churn [creations, default 4000000]
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t left = PTHREAD_MUTEX_INITIALIZER, right = PTHREAD_MUTEX_INITIALIZER;

static long residentKiB(void) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0)
      kib = atol(line + 6);
  if (f)
    fclose(f);
  return kib;
}

static void useOnce(pthread_mutex_t* m) {
  pthread_mutex_init(m, 0);
  pthread_mutex_lock(&outer);
  pthread_mutex_lock(m);
  pthread_mutex_unlock(m);
  pthread_mutex_unlock(&outer);
  pthread_mutex_destroy(m);
}

int main(int argc, char** argv) {
  long creations = argc > 1 ? atol(argv[1]) : 4000000;
  // Fresh addresses: 48-byte steps through 1 GiB. 48 bytes is three lock
  // table slots, so the locks' home slots go round the whole table.
  const size_t window = (size_t)48 << 24;
  char* fresh = mmap(0, window, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (fresh == MAP_FAILED)
    return 2;
  size_t offset = 0;
  for (long i = 0; i < creations; ++i) {
    if (i % 2) {
      pthread_mutex_t* m = malloc(sizeof *m);
      useOnce(m);
      free(m);
    } else {
      useOnce((pthread_mutex_t*)(fresh + offset));
      offset += 48;
      if (offset % (48 << 14) == 0) // give the used pages back
        madvise(fresh + offset - (48 << 14), 48 << 14, MADV_DONTNEED);
      if (offset == window)
        offset = 0;
    }
    if ((i + 1) % (creations / 4) == 0)
      fprintf(stderr, "after %ld creations: RSS %ld KiB\n", i + 1, residentKiB());
  }
  pthread_mutex_lock(&left);
  pthread_mutex_lock(&right);
  pthread_mutex_unlock(&right);
  pthread_mutex_unlock(&left);
  pthread_mutex_lock(&right);
  pthread_mutex_lock(&left);
  pthread_mutex_unlock(&left);
  pthread_mutex_unlock(&right);
  return 0;
}
