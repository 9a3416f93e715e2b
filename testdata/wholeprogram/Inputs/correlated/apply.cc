#include "table.h"

void work();

// Locks only when asked to: callers holding mu_ pass false.
void Table::Apply(bool need_lock) {
  if (need_lock)
    mu_.lock();
  work();
  if (need_lock)
    mu_.unlock();
}

// The same with a local flag; balanced, so nothing stays held after it.
void Table::Compact() {
  const bool need = !in_batch_;
  if (need)
    mu_.lock();
  work();
  if (need)
    mu_.unlock();
  std::lock_guard g(files_mu_);
}
