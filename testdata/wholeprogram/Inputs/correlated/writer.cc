#include "table.h"

void Table::Write() {
  std::lock_guard g(mu_);
  Apply(false);
}

void Table::Rewrite() {
  std::lock_guard g(mu_);
  Apply(true);
}

void Table::Merge() {
  std::lock_guard f(files_mu_);
  std::lock_guard g(mu_);
}

void Table::Save() {
  std::lock_guard g(mu_);
  PersistAndRelock(true);
}
