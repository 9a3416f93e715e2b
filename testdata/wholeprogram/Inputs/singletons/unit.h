#include <mutex>

struct Buffer {
  std::mutex mu;
  void push();
  void pop();
};
struct MessageUnit {
  Buffer buffer;
  static MessageUnit &Instance(); // defined in unit.cc
  void publish();
};

struct Registry {
  std::mutex mu;
  static Registry &Instance(); // defined in unit.cc
  void add();
};
void add_entry();

template <class T> struct Lazy {
  static T &get() {
    static std::mutex create_mu; // one per Lazy<T>
    std::lock_guard g(create_mu);
    static T value;
    return value;
  }
};
extern std::mutex settings_mu;
void load_settings();
