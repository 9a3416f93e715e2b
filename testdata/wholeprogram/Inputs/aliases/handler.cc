#include "db.h"

void wait_for_recovery();

// Gives the caller's db mutex up while it waits, and takes it back.
void Handler::cancel() {
  db_mu_->unlock();
  wait_for_recovery();
  db_mu_->lock();
}

void Handler::recover() {
  std::lock_guard<std::mutex> g(*db_mu_);
  db_->resume();
}

void Sink::drain() {
  std::lock_guard<std::mutex> g(*mu_);
  db_->flush();
}

std::mutex spare_mu;
void drain_into(Db *db) {
  Sink spare(db, &spare_mu);
  spare.drain();
}

void Handler::recover_badly() {
  std::lock_guard<std::mutex> g(*db_mu_);
  db_->flush();
}
