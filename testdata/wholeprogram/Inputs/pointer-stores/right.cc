#include "table.h"

void Right::fill(Slot *s) { s->lock = &mu_; }

void Right::poke() { std::lock_guard<std::mutex> g(mu_); }
