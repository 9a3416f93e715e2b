#include "unit.h"

struct Table {};
void refresh() {
  std::lock_guard g(settings_mu);
  Lazy<Table>::get(); // silent: Lazy<Table>'s create_mu, not Lazy<Settings>'s
}
void reconfigure() {
  std::lock_guard g(settings_mu);
  load_settings(); // Lazy<Settings>'s create_mu under settings_mu, and settings_mu under it
}
