#pragma once
#include <mutex>

extern std::mutex registry_mu;
extern std::mutex worker_mu;

struct Job {
  virtual ~Job() = default;
  virtual void run() = 0;
};

void run_all(Job &job);
void register_worker();
