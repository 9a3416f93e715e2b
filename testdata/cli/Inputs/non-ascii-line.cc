// A finding after non-ASCII characters on its line: clang's column counts
// bytes, SARIF's counts UTF-16 code units.
#include "task.h"
#include <mutex>

std::mutex m;

Task accents() {
  std::lock_guard<std::mutex> hold(m);
  /*é😀*/ co_await std::suspend_always{};
}
