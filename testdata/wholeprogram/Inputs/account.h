#pragma once
#include <mutex>

class Account {
public:
  void deposit(int n);
  void audit();
  void lockedAudit();

private:
  std::mutex mu_;
  int balance_ = 0, audits_ = 0;
};
