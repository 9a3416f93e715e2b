// The libc functions the interceptors wrap, found with dlsym(RTLD_NEXT).
#pragma once

#include "visibility.h"

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
  int (*spin_init)(pthread_spinlock_t*, int);
  int (*spin_destroy)(pthread_spinlock_t*);
  int (*spin_lock)(pthread_spinlock_t*);
  int (*spin_trylock)(pthread_spinlock_t*);
  int (*spin_unlock)(pthread_spinlock_t*);
  int (*dlclose)(void*);
  void (*free)(void*);
};

// Each entry starts as a stub that resolves every entry (once, for all
// threads) and then calls the real function, so a call through real() is a
// single indirect jump, even before any constructor has run.
extern LOCKGRAPH_INTERNAL RealFunctions realFunctions;
inline const RealFunctions& real() { return realFunctions; }
// Resolves every entry unless done; waits when another thread is at it.
const RealFunctions& resolveRealFunctions();

// True while this thread runs dlsym for real(): dlsym may free memory, and
// that free must not wait for the resolution it is part of.
bool resolvingOnThisThread();

} // namespace lockgraph::preload
