#include "account.h"

void Account::deposit(int n) {
  std::lock_guard g(mu_);
  balance_ += n;
  audit();
}

void Account::lockedAudit() {
  std::lock_guard g(mu_);
  ++audits_;
}
