// Marks the runtime's globals that the fast paths read. Declared hidden, a
// global is addressed directly relative to the instruction pointer inside
// the preload library, instead of through the GOT: one load, not two, on
// every intercepted lock and unlock.
#pragma once

#define LOCKGRAPH_INTERNAL __attribute__((visibility("hidden")))
