#include "unit.h"

std::mutex settings_mu;
struct Settings {
  Settings() { std::lock_guard g(settings_mu); } // built under Lazy<Settings>'s create_mu
};
void load_settings() { Lazy<Settings>::get(); }
