#pragma once
#include <mutex>

class Db;

// Built only by Db, which passes itself and its own mutex: db_mu_ is
// always &db_->mu_.
class Handler {
public:
  Handler(Db *db, std::mutex *db_mu) : db_(db), db_mu_(db_mu) {}
  void cancel();       // called with the db mutex held
  void recover();
  void recover_badly();

private:
  Db *db_;
  std::mutex *db_mu_;
};

// Built by Db with its own mutex, but also elsewhere with another one: its
// mu_ is not always db_->mu_.
class Sink {
public:
  Sink(Db *db, std::mutex *mu) : db_(db), mu_(mu) {}
  void drain();

private:
  Db *db_;
  std::mutex *mu_;
};
