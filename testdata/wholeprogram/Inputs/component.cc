// Three locks with two cycles through b (a <-> b, b <-> c): one strongly
// connected component, one finding. d <-> e is another component; f -> g
// is no cycle.
#include <mutex>

std::mutex a, b, c, d, e, f, g;
void aThenB() { std::lock_guard x(a); std::lock_guard y(b); }
void bThenA() { std::lock_guard x(b); std::lock_guard y(a); }
void bThenC() { std::lock_guard x(b); std::lock_guard y(c); }
void cThenB() { std::lock_guard x(c); std::lock_guard y(b); }
void dThenE() { std::lock_guard x(d); std::lock_guard y(e); }
void eThenD() { std::lock_guard x(e); std::lock_guard y(d); }
void fThenG() { std::lock_guard x(f); std::lock_guard y(g); }
