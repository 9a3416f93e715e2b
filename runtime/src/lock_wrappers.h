// The standard library's lock wrappers (std::mutex::lock, lock_guard's
// constructor, __gthread_mutex_lock...) and lockgraph's own, when the
// program calls them out of line, as an unoptimized build does. Then the
// return address a lock call sees lies inside a wrapper, the same for every
// lock of the program, and says nothing about where the program took the
// lock; program_site.h walks past them to the program's frame.
//
// Which functions are wrappers is read once, when the runtime starts, from
// the symbol tables of the modules loaded then (the files on disk, mapped
// read-only; no malloc). Libraries loaded later are not looked at.
#pragma once

#include "visibility.h"

#include <atomic>

namespace lockgraph::rt {

// Reads the loaded modules' symbol tables. Called once by the runtime's
// initialization, before any lock is recorded.
void findLockWrappers();

// Whether some module calls a lock through an out-of-line wrapper: only
// then do acquisition sites need the walk, and the lock fast paths (which
// record the bare return address) are off.
extern LOCKGRAPH_INTERNAL std::atomic<bool> lockWrappersOutOfLine;

// Whether `pc` lies inside a wrapper function found by findLockWrappers.
// Lock-free; a binary search over the table.
bool insideLockWrapper(const void* pc);

// What a function is to the walk, by its symbol (mangled) name: nothing, a
// wrapper to walk past, or a wrapper that calls the lock itself (only a
// build that has these out of line needs the walk at all).
enum class Role { none, wrapper, locks };
Role roleOfSymbol(const char* symbol);

// Whether a symbolized (demangled) function name is a lock wrapper or the
// runtime's own entry point: reports start their stacks past such frames.
// The same families of names as the symbol-table scan above.
bool isLockWrapperName(const char* demangled);

} // namespace lockgraph::rt
