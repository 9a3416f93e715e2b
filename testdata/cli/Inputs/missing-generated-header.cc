// A configure-only build: a header the build generates is not there yet, so
// a member's type is unknown and the classes around it are invalid. The CFG
// of ~Table would destroy Array<Conversion>, whose instantiation failed:
// clang's CFG builder crashed on it (Thunder's VirtualInput.h).
#include <mutex>
#include "generated/not_built_yet.h"
template <class T> struct Array {
  virtual ~Array() {}
  T *items = nullptr;
};
struct Conversion {
  virtual ~Conversion() = default;
  GeneratedCode In;
};
struct Table {
  ~Table() {}
  Array<Conversion> Conversions;
};
std::mutex mu;
void use() { std::lock_guard g(mu); Table t; }
