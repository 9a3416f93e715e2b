// library_main DIR (plain|padded) (inbox-first|outbox-first): loads
// DIR/liblibrary_locks.so (after DIR/liblibrary_padding.so when padded),
// prints where `inbox` is, and takes the two locks in the order asked.
#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char **argv) {
  std::string dir = argv[1];
  bool padded = std::strcmp(argv[2], "padded") == 0;
  const char *order = argv[3];
  if (padded && !dlopen((dir + "/liblibrary_padding.so").c_str(), RTLD_NOW))
    return std::fprintf(stderr, "%s\n", dlerror()), 1;
  void *locks = dlopen((dir + "/liblibrary_locks.so").c_str(), RTLD_NOW);
  if (!locks)
    return std::fprintf(stderr, "%s\n", dlerror()), 1;
  std::printf("inbox at %p\n", dlsym(locks, "inbox"));
  auto take = reinterpret_cast<void (*)()>(
      dlsym(locks, std::strcmp(order, "inbox-first") == 0 ? "inboxThenOutbox" : "outboxThenInbox"));
  take();
}
