#include "db.h"

void Db::Compact() {
  log_mu_.Lock();
  mu_.Lock();
  mu_.Unlock();
  log_mu_.Unlock();
}

void Db::Reenter() {
  cs_.Lock();
  cs_.Unlock();
}

void Db::FlushLocked() {
  port::MutexLock l(&mu_);
}

void Versions::Apply() {
  cs_.Lock();
  cs_.Unlock();
}
