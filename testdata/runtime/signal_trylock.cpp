// A signal handler that uses pthread_mutex_trylock/unlock, as the runtime's
// docs allow, interrupting a thread at every point of the runtime: new
// locks being registered (the lock table's and the graph's internal locks
// held), new orders being validated, the fast paths half way. The program
// must neither hang nor get a single report.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace {

pthread_mutex_t handlerLock = PTHREAD_MUTEX_INITIALIZER;
// Fresh mutexes for the handler: each first trylock registers a new lock.
pthread_mutex_t handlerFresh[4096];
std::atomic<unsigned> handlerCalls{0};

void onSignal(int) {
  unsigned n = handlerCalls.fetch_add(1, std::memory_order_relaxed);
  if (pthread_mutex_trylock(&handlerLock) == 0)
    pthread_mutex_unlock(&handlerLock);
  pthread_mutex_t* fresh = &handlerFresh[n % 4096];
  if (pthread_mutex_trylock(fresh) == 0)
    pthread_mutex_unlock(fresh);
}

std::atomic<bool> done{false};

void work(pthread_t* self) {
  std::mutex outer;
  for (int round = 0; round < 400; ++round) {
    // New locks (registration) and new orders (validation) every round,
    // steady-state nesting in between.
    std::mutex* batch = new std::mutex[64];
    for (int i = 0; i < 64; ++i) {
      std::lock_guard<std::mutex> o(outer);
      std::lock_guard<std::mutex> b(batch[i]);
      for (int k = 0; k < 20; ++k) {
        std::lock_guard<std::mutex> again(batch[(i + 1) % 64]);
      }
    }
    delete[] batch;
  }
  (void)self;
}

} // namespace

int main() {
  for (auto& m : handlerFresh)
    pthread_mutex_init(&m, nullptr);
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, nullptr);
  pthread_t workerThread;
  std::thread worker([&] {
    work(&workerThread);
    done = true;
  });
  workerThread = worker.native_handle();
  // Signals as fast as the worker takes them, at arbitrary points.
  while (!done) {
    pthread_kill(workerThread, SIGUSR1);
    timespec pause{0, 2000};
    nanosleep(&pause, nullptr);
  }
  worker.join();
  std::printf("handler ran %u times\n", handlerCalls.load());
}
