#pragma once
#include <mutex>

extern std::mutex queue_mu, journal_mu, io_mu, registry_mu;

void write_out();
void flush_unlocked(std::unique_lock<std::mutex> &held);
void keep_locked(std::unique_lock<std::mutex> &held);

struct Session {
  std::mutex mu;
  int uses = 0;
  void touch();
};
