#include "unit.h"

MessageUnit &MessageUnit::Instance() {
  static MessageUnit unit;
  return unit;
}
void MessageUnit::publish() { buffer.push(); }
void Buffer::push() { std::lock_guard g(mu); }

Registry &Registry::Instance() {
  static Registry registry;
  return registry;
}
void Registry::add() { std::lock_guard g(mu); }
void add_entry() { Registry::Instance().add(); }
