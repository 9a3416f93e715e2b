//===- ManualLockPaths.h - Locks taken by hand that leak on some paths -----===//
//
// The lockset analysis merges paths, so at a `return` it can only say "the
// lock may be held". To tell an early return that forgets to unlock from a
// lock taken and released under the same condition twice
// (`if (c) m.lock(); ...; if (c) m.unlock();`), this analysis walks the
// paths of the CFG one by one for each lock held by hand (no guard owns
// it), remembering which branch it took on conditions that cannot change
// in between, and records where each path leaves the function.
//
// A lock leaks on a path when the path leaves the function holding it
// while another path releases it before leaving: a function that returns
// holding it on every path (a lock helper), or holds it only where it was
// never taken, follows a protocol instead.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_MANUALLOCKPATHS_H
#define LOCKGRAPH_ANALYSIS_MANUALLOCKPATHS_H

#include "analysis/LockSummaries.h"

#include <vector>

namespace lockgraph {

struct LeakingPath {
  enum class Exit { Return, Throw, FallOffEnd };
  LockExpr Lock;
  Exit How = Exit::Return;
  /// Where the path leaves: the return, the throw, or the closing brace.
  clang::SourceLocation ExitAt;
  /// A break, continue or goto taken while holding the lock, if any: the
  /// place where the path went wrong.
  const clang::Stmt *Jump = nullptr;
  /// Where the lock was taken.
  clang::SourceLocation AcquiredAt;
  /// Where another path releases it.
  clang::SourceLocation ReleasedAt;
};

class ManualLockPaths {
public:
  ManualLockPaths(const LockEventExtractor &Events, LockSummaries &Locks, unsigned MaxStates = 20000)
      : Events(Events), Locks(Locks), MaxStates(MaxStates) {}

  /// Every path out of \p FD that leaks a lock taken by hand, one per exit
  /// (or jump) and lock.
  std::vector<LeakingPath> leaks(const clang::FunctionDecl *FD);

private:
  const LockEventExtractor &Events;
  LockSummaries &Locks;
  unsigned MaxStates;
};

} // namespace lockgraph

#endif
