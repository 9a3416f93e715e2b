#pragma once
#include <functional>
#include <mutex>

struct Entry {
  void (*deleter)(Entry *);
};

class Cache {
public:
  void Erase(Entry *e);
  void Insert(Entry *e);
  void Notify();
  std::function<void()> on_evict;
  std::function<void()> on_unrelated;

private:
  std::mutex mu_;
};

extern std::mutex g_table_mu;
extern std::mutex g_stats_mu;
void Evict(Cache &c, Entry *e);
void Install(Cache &c, Entry *e);
