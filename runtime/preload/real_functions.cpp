#include "real_functions.h"

#include "os.h"

#include <atomic>
#include <dlfcn.h>

namespace lockgraph::preload {

namespace {


template <class F> void resolve(F*& slot, const char* name, const char* version = nullptr) {
  void* p = version ? dlvsym(RTLD_NEXT, name, version) : nullptr;
  if (p == nullptr)
    p = dlsym(RTLD_NEXT, name);
  if (p == nullptr)
    rt::fatal("a pthread function the preload library wraps is missing from libc");
  // Other threads may be calling through the slot right now.
  __atomic_store_n(&slot, reinterpret_cast<F*>(p), __ATOMIC_RELEASE);
}

void resolveAll() {
  RealFunctions& f = realFunctions;
  resolve(f.free, "free");
  resolve(f.mutex_init, "pthread_mutex_init");
  resolve(f.mutex_destroy, "pthread_mutex_destroy");
  resolve(f.mutex_lock, "pthread_mutex_lock");
  resolve(f.mutex_trylock, "pthread_mutex_trylock");
  resolve(f.mutex_timedlock, "pthread_mutex_timedlock");
  resolve(f.mutex_clocklock, "pthread_mutex_clocklock");
  resolve(f.mutex_unlock, "pthread_mutex_unlock");
  resolve(f.rwlock_init, "pthread_rwlock_init");
  resolve(f.rwlock_destroy, "pthread_rwlock_destroy");
  resolve(f.rwlock_rdlock, "pthread_rwlock_rdlock");
  resolve(f.rwlock_tryrdlock, "pthread_rwlock_tryrdlock");
  resolve(f.rwlock_timedrdlock, "pthread_rwlock_timedrdlock");
  resolve(f.rwlock_clockrdlock, "pthread_rwlock_clockrdlock");
  resolve(f.rwlock_wrlock, "pthread_rwlock_wrlock");
  resolve(f.rwlock_trywrlock, "pthread_rwlock_trywrlock");
  resolve(f.rwlock_timedwrlock, "pthread_rwlock_timedwrlock");
  resolve(f.rwlock_clockwrlock, "pthread_rwlock_clockwrlock");
  resolve(f.rwlock_unlock, "pthread_rwlock_unlock");
  // The condition variable ABI changed in glibc 2.3.2; programs use the new one.
  resolve(f.cond_wait, "pthread_cond_wait", "GLIBC_2.3.2");
  resolve(f.cond_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2");
  resolve(f.cond_clockwait, "pthread_cond_clockwait");
  resolve(f.spin_init, "pthread_spin_init");
  resolve(f.spin_destroy, "pthread_spin_destroy");
  resolve(f.spin_lock, "pthread_spin_lock");
  resolve(f.spin_trylock, "pthread_spin_trylock");
  resolve(f.spin_unlock, "pthread_spin_unlock");
  resolve(f.dlclose, "dlclose");
}

__attribute__((tls_model("initial-exec"))) thread_local bool resolvingHere = false;

std::atomic<int> state{0}; // 0 unresolved, 1 resolving, 2 resolved

// The initial value of a RealFunctions entry: resolve, then call through it.
template <class F> struct ResolvingStub;
template <class R, class... A> struct ResolvingStub<R (*)(A...)> {
  using Function = R (*)(A...);
  template <Function RealFunctions::*Slot> static R call(A... args) {
    return (resolveRealFunctions().*Slot)(args...);
  }
};
#define LOCKGRAPH_STUB(name) ResolvingStub<decltype(RealFunctions::name)>::call<&RealFunctions::name>

} // namespace

RealFunctions realFunctions = {
    LOCKGRAPH_STUB(mutex_init),         LOCKGRAPH_STUB(mutex_destroy),
    LOCKGRAPH_STUB(mutex_lock),         LOCKGRAPH_STUB(mutex_trylock),
    LOCKGRAPH_STUB(mutex_timedlock),    LOCKGRAPH_STUB(mutex_clocklock),
    LOCKGRAPH_STUB(mutex_unlock),       LOCKGRAPH_STUB(rwlock_init),
    LOCKGRAPH_STUB(rwlock_destroy),     LOCKGRAPH_STUB(rwlock_rdlock),
    LOCKGRAPH_STUB(rwlock_tryrdlock),   LOCKGRAPH_STUB(rwlock_timedrdlock),
    LOCKGRAPH_STUB(rwlock_clockrdlock), LOCKGRAPH_STUB(rwlock_wrlock),
    LOCKGRAPH_STUB(rwlock_trywrlock),   LOCKGRAPH_STUB(rwlock_timedwrlock),
    LOCKGRAPH_STUB(rwlock_clockwrlock), LOCKGRAPH_STUB(rwlock_unlock),
    LOCKGRAPH_STUB(cond_wait),          LOCKGRAPH_STUB(cond_timedwait),
    LOCKGRAPH_STUB(cond_clockwait),     LOCKGRAPH_STUB(spin_init),
    LOCKGRAPH_STUB(spin_destroy),       LOCKGRAPH_STUB(spin_lock),
    LOCKGRAPH_STUB(spin_trylock),       LOCKGRAPH_STUB(spin_unlock),
    LOCKGRAPH_STUB(dlclose),            LOCKGRAPH_STUB(free),
};
#undef LOCKGRAPH_STUB

bool resolvingOnThisThread() { return resolvingHere; }

const RealFunctions& resolveRealFunctions() {
  int expected = 0;
  if (state.compare_exchange_strong(expected, 1)) {
    resolvingHere = true;
    resolveAll();
    resolvingHere = false;
    state.store(2, std::memory_order_release);
    return realFunctions;
  }
  while (state.load(std::memory_order_acquire) != 2)
    sched_yield();
  return realFunctions;
}

// Resolve before main so the first lock does not pay for it.
__attribute__((constructor)) static void resolveEarly() { resolveRealFunctions(); }

} // namespace lockgraph::preload
