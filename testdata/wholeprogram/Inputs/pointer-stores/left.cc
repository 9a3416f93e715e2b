#include "table.h"

void Left::fill(Slot *s) { s->lock = &mu_; }

void Left::touch(Right *r) {
  std::lock_guard<std::mutex> g(mu_);
  r->poke();
}
