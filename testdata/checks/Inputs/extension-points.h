#pragma once
// Interfaces declared in a header: other files may implement them.
#include <string>
struct Layout {
  virtual ~Layout() = default;
  virtual void render(const std::string &in, std::string &out) = 0;
};
struct Listener {
  virtual ~Listener() = default;
  virtual void changed(int value) = 0;
};
