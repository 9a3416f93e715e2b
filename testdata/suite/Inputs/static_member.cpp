// Two locks that are members of one static object: the runtime names them
// by the object and the offset inside it, in every process the same.
// "ab" locks a then b, "ba" the reverse, "a" only a.
#include <cstring>
#include <mutex>

struct Store {
  std::mutex a;
  std::mutex b;
};

Store &store() {
  static Store s;
  return s;
}

int main(int argc, char **argv) {
  const char *order = argc > 1 ? argv[1] : "ab";
  Store &s = store();
  std::mutex &first = order[0] == 'a' ? s.a : s.b;
  std::mutex &second = order[0] == 'a' ? s.b : s.a;
  std::lock_guard<std::mutex> one(first);
  if (std::strlen(order) > 1)
    std::lock_guard<std::mutex> two(second);
}
