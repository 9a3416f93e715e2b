// The libc functions the interceptors wrap, found with dlsym(RTLD_NEXT).
#pragma once

#include <atomic>
#include <pthread.h>
#include <time.h>

namespace lockgraph::preload {

struct RealFunctions {
  int (*mutex_init)(pthread_mutex_t*, const pthread_mutexattr_t*);
  int (*mutex_destroy)(pthread_mutex_t*);
  int (*mutex_lock)(pthread_mutex_t*);
  int (*mutex_trylock)(pthread_mutex_t*);
  int (*mutex_timedlock)(pthread_mutex_t*, const struct timespec*);
  int (*mutex_clocklock)(pthread_mutex_t*, clockid_t, const struct timespec*);
  int (*mutex_unlock)(pthread_mutex_t*);
  int (*rwlock_init)(pthread_rwlock_t*, const pthread_rwlockattr_t*);
  int (*rwlock_destroy)(pthread_rwlock_t*);
  int (*rwlock_rdlock)(pthread_rwlock_t*);
  int (*rwlock_tryrdlock)(pthread_rwlock_t*);
  int (*rwlock_timedrdlock)(pthread_rwlock_t*, const struct timespec*);
  int (*rwlock_clockrdlock)(pthread_rwlock_t*, clockid_t, const struct timespec*);
  int (*rwlock_wrlock)(pthread_rwlock_t*);
  int (*rwlock_trywrlock)(pthread_rwlock_t*);
  int (*rwlock_timedwrlock)(pthread_rwlock_t*, const struct timespec*);
  int (*rwlock_clockwrlock)(pthread_rwlock_t*, clockid_t, const struct timespec*);
  int (*rwlock_unlock)(pthread_rwlock_t*);
  int (*cond_wait)(pthread_cond_t*, pthread_mutex_t*);
  int (*cond_timedwait)(pthread_cond_t*, pthread_mutex_t*, const struct timespec*);
  int (*cond_clockwait)(pthread_cond_t*, pthread_mutex_t*, clockid_t, const struct timespec*);
  void (*free)(void*);
};

extern RealFunctions realFunctions;
extern std::atomic<int> realFunctionsState; // 0 unresolved, 1 resolving, 2 resolved
const RealFunctions& resolveRealFunctions();

// Resolved on first use; an interceptor may run before any constructor.
inline const RealFunctions& real() {
  return realFunctionsState.load(std::memory_order_acquire) == 2 ? realFunctions
                                                                 : resolveRealFunctions();
}

// True while this thread runs dlsym for real(): dlsym may free memory, and
// that free must not wait for the resolution it is part of.
bool resolvingOnThisThread();

} // namespace lockgraph::preload
