// An inventory and its audit log, each guarded by its own mutex, calling
// into each other.
#pragma once
#include <map>
#include <mutex>
#include <string>
#include <vector>

class Audit;

class Inventory {
public:
  void restock(const std::string &item, int count);
  void adjust(const std::string &item, int delta);
  void snapshotTo(Audit &log);

private:
  std::mutex mu;
  std::map<std::string, int> stock;
};

class Audit {
public:
  void note(const std::string &line);
  void reconcile(Inventory &inventory);
  void flushSlowly();

private:
  std::mutex mu;
  std::vector<std::string> lines;
};
