#include "db.h"

void Db::Write() {
  port::MutexLock l(&mu_);
  log_mu_.Lock();
  log_mu_.Unlock();
}

void Db::Refresh() {
  cs_.Lock();
  Reenter();
  versions_->Apply();
  cs_.Unlock();
}

void Db::Flush() {
  mu_.Lock();
  FlushLocked();
  mu_.Unlock();
}
