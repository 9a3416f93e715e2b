#pragma once
#include "handler.h"

class Db {
public:
  Db() : handler_(this, &mu_), sink_(this, &mu_) {}
  void close();
  void resume(); // called with mu_ held
  void flush();

private:
  std::mutex mu_;
  Handler handler_;
  Sink sink_;
};
