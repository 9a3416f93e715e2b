#include "queue.h"

std::mutex queue_mu, journal_mu, io_mu, registry_mu;

void write_out() { std::lock_guard g(io_mu); }

// Gives the caller's lock up around the write.
void flush_unlocked(std::unique_lock<std::mutex> &held) {
  held.unlock();
  write_out();
  held.lock();
}

void keep_locked(std::unique_lock<std::mutex> &held) { write_out(); }

void Session::touch() {
  std::lock_guard g(mu);
  ++uses;
}

void session_then_registry(Session &s) {
  std::lock_guard g(s.mu);
  std::lock_guard r(registry_mu);
}

void io_then_queues() {
  std::lock_guard g(io_mu);
  { std::lock_guard q(queue_mu); }
  { std::lock_guard j(journal_mu); }
}
