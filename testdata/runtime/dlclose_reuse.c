// Loads a library, takes its two static locks in one order, unloads it;
// then loads a second library, which the loader maps at the same address,
// and takes its locks in the other order. Different locks: no inversion.
// Exits 3 when the loader picked another address (the test then proves
// nothing and must not pass).
#include <dlfcn.h>
#include <stdio.h>

static const void* runLibrary(const char* path) {
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
    return 0;
  }
  const void* (*address)(void) = (const void* (*)(void))dlsym(handle, "firstLockAddress");
  void (*take)(void) = (void (*)(void))dlsym(handle, "takeLocks");
  const void* where = address();
  take();
  dlclose(handle);
  return where;
}

int main(int argc, char** argv) {
  if (argc != 3)
    return 2;
  const void* a = runLibrary(argv[1]);
  const void* b = runLibrary(argv[2]);
  if (a == 0 || b == 0)
    return 2;
  fprintf(stderr, "first library's lock at %p, second's at %p\n", a, b);
  return a == b ? 0 : 3;
}
