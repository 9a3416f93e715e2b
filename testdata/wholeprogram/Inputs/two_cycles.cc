// Two independent lock-order cycles: a/b and c/d.
#include <mutex>

std::mutex a, b, c, d;
void aThenB() { std::lock_guard x(a); std::lock_guard y(b); }
void bThenA() { std::lock_guard x(b); std::lock_guard y(a); }
void cThenD() { std::lock_guard x(c); std::lock_guard y(d); }
void dThenC() { std::lock_guard x(d); std::lock_guard y(c); }
