#include "db.h"

void purge_files();

void Db::close() {
  mu_.lock();
  handler_.cancel();
  mu_.unlock();
}

void Db::resume() {
  mu_.unlock();
  purge_files();
  mu_.lock();
}

void Db::flush() {
  std::lock_guard<std::mutex> g(mu_);
}
