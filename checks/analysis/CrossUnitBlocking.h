//===- CrossUnitBlocking.h - Blocking calls reached through other files -----===//
//
// lockgraph-blocking-under-lock looks into the callees whose bodies are in
// the translation unit it analyses. A lock held across a call into a
// function defined in another file (`Session::Flush` in session.cpp calling
// `Socket::SendAll` in socket.cpp, which calls `send`) is invisible to it.
// The facts of every unit list each function's blocking calls
// (FunctionFacts::Blocks); this follows the program's calls, as the link
// does for lock effects, and reports a call made with a lock held that
// reaches a blocking call only through a function of another unit. What a
// unit could see on its own is left to its own check, so nothing is
// reported twice.
//
// Like the per-unit check it follows direct calls only (not virtual calls
// or calls through callable members), and a lock the callee releases before
// it blocks (its caller's, unlocked and relocked around the wait, or the
// lock a condition wait releases) is not held while it blocks.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_CROSSUNITBLOCKING_H
#define LOCKGRAPH_ANALYSIS_CROSSUNITBLOCKING_H

#include "analysis/LockOrderLinker.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace lockgraph {

constexpr const char *BlockingUnderLockCheckName = "lockgraph-blocking-under-lock";

/// Findings of lockgraph-blocking-under-lock that need another unit's
/// function. \p DefinedIn lists, per function id, the units (in the order
/// they were added) whose facts define it.
/// A callee's lock as its caller at a call names it (through the pointer
/// members the link learnt; null when the caller cannot name it).
using CallerLock = llvm::function_ref<std::optional<LockRef>(const LockRef &, const CallFact &)>;

/// Findings of lockgraph-blocking-under-lock that need another unit's
/// function. \p DefinedIn lists, per function id, the units (in the order
/// they were added) whose facts define it; \p InCaller translates the locks
/// a callee releases before it blocks.
std::vector<LockReport> crossUnitBlockingReports(const std::map<std::string, FunctionFacts> &Functions,
                                                 const std::unordered_map<std::string, std::vector<unsigned>> &DefinedIn,
                                                 CallerLock InCaller);

} // namespace lockgraph

#endif
