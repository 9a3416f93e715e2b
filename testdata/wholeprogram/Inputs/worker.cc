#include "job.h"

std::mutex worker_mu;

struct WorkerJob : Job {
  void run() override { std::lock_guard g(worker_mu); }
};

void register_worker() {
  std::lock_guard w(worker_mu);
  std::lock_guard r(registry_mu);
}
