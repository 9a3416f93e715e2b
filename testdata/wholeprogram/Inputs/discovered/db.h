#pragma once
#include "port.h"

class Versions {
public:
  void Apply();

private:
  port::CriticalSection cs_;
};

class Db {
public:
  void Write();
  void Compact();
  void Refresh();
  void Reenter();
  void Flush();
  void FlushLocked();

private:
  port::Mutex mu_;
  port::Mutex log_mu_;
  port::CriticalSection cs_;
  Versions *versions_;
};
