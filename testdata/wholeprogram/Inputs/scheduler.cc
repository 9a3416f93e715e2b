#include "job.h"

std::mutex registry_mu;

void run_all(Job &job) {
  std::lock_guard g(registry_mu);
  job.run();
}
