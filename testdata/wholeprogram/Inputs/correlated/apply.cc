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

// RocksDB's WriteOptionsFile shape: takes mu_ unless the caller holds it,
// always gives it up for the slow part, and takes it back for a caller
// that held it. (Its name says it relocks: unreleased-lock takes that as
// its protocol; without such a word it reports the relock, see
// docs/triage-real-projects.md, entry 29.)
void Table::PersistAndRelock(bool already_held) {
  if (!already_held)
    mu_.lock();
  work();
  mu_.unlock();
  work();
  if (already_held)
    mu_.lock();
}
