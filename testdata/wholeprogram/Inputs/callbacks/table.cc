#include "cache.h"

std::mutex g_table_mu, g_stats_mu;

static void DeleteEntry(Entry *) { std::lock_guard g(g_table_mu); }

void Install(Cache &c, Entry *e) {
  e->deleter = &DeleteEntry;
  c.on_unrelated = [] { std::lock_guard g(g_stats_mu); };
}

void Evict(Cache &c, Entry *e) {
  std::lock_guard g(g_table_mu);
  c.Insert(e);
}

// g_stats_mu then Cache::mu_: a cycle only if a function stored into
// on_evict took g_stats_mu; the one that does is in on_unrelated.
void Stats(Cache &c, Entry *e) {
  std::lock_guard g(g_stats_mu);
  c.Erase(e);
}
