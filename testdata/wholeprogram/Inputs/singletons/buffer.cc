#include "unit.h"

void Buffer::pop() {
  std::lock_guard g(mu);
  MessageUnit::Instance().publish(); // silent: this buffer may be the unit's own
}

void reload() {
  std::lock_guard g(Registry::Instance().mu);
  add_entry(); // the same registry's mutex, through unit.cc
}
