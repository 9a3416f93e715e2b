// Built as liblibrary_locks.so and loaded with dlopen by library_main:
// its two global locks live wherever the library was loaded.
#include <mutex>

std::mutex inbox;
std::mutex outbox;

extern "C" void inboxThenOutbox() {
  std::lock_guard<std::mutex> first(inbox);
  std::lock_guard<std::mutex> second(outbox);
}

extern "C" void outboxThenInbox() {
  std::lock_guard<std::mutex> first(outbox);
  std::lock_guard<std::mutex> second(inbox);
}
