//===- RuntimeLockIdentity.h - One lock across processes and runs ----------===//
//
// A runtime report names a pthread lock by its address, which means nothing
// in another process. To link the lock-order graphs of a test suite's
// processes (`lockgraph run --graph-dir`) and of earlier CI runs, each lock
// needs an identity that is the same wherever the lock lives:
// - a lockgraph:: class: its name (or declaration site);
// - a lock in static storage: module file name, variable and the lock's
//   offset inside it (the reader derives both, portableIdentity());
// - a heap or stack lock: the places the program acquires it, as lockdep
//   names a class by where it is used. Locks of any processes that share an
//   acquisition site (file and line of the program's frame) are
//   one lock, named by the first of their sites. A lock whose only known
//   site is inside the standard library's lock wrappers (an -O0 build's
//   held-lock site) has no program site and stays its process's own.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_RUNTIMELOCKIDENTITY_H
#define LOCKGRAPH_TOOL_RUNTIMELOCKIDENTITY_H

#include "RuntimeReport.h"

#include <vector>

namespace lockgraph {

/// Whether \p F is a standard-library or pthread lock wrapper, not the
/// program's code.
bool isLibraryLockFrame(const RuntimeFrame &F);

/// Gives every heap and stack lock of \p Reports that has a program
/// acquisition site its identity ("site FILE:LINE") and the sites
/// of every lock linked to it (RuntimeLock::Sites).
void linkRuntimeLockIdentities(std::vector<RuntimeReport> &Reports);

/// What `graph`, `merge` and `run --graph-dir` do with the reports they
/// read before drawing or linking them: names the members of static
/// objects that are locks (StaticLockMembers.h) and links the identities.
void prepareRuntimeReports(std::vector<RuntimeReport> &Reports);

} // namespace lockgraph

#endif
