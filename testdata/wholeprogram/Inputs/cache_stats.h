// A cache and its statistics, each with its own mutex, calling each other.
// Neither file alone has a cycle; together they do.
#pragma once
#include <mutex>

struct Stats;

struct Cache {
  std::mutex mu;
  Stats *stats = nullptr;
  int entries = 0;
  int get(int key);
  void evict();
};

struct Stats {
  std::mutex mu;
  Cache *cache = nullptr;
  int hits = 0;
  void record();
  void flush();
};
