// Three global locks and the functions of split_locks.cc / split_main.cc:
// static analysis sees A -> B; only a run sees B -> C and C -> A, because
// those orders go through callbacks (function pointers), which the static
// half does not follow.
#include <mutex>

extern std::mutex A, B, C;

void takeAThenB();
void takeA();
void takeC();
void underB(void (*callback)());
void underC(void (*callback)());
