#pragma once
#include <mutex>

class Table {
public:
  void Apply(bool need_lock);
  void Write();
  void Rewrite();
  void Compact();
  void Merge();
  void PersistAndRelock(bool already_held);
  void Save();

private:
  std::mutex mu_;
  std::mutex files_mu_;
  bool in_batch_ = false;
};
