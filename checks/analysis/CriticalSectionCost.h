//===- CriticalSectionCost.h - Expensive work done while a lock is held ----===//
//
// What lockgraph-long-critical-section reports: loops whose trip count is
// not a small constant, calls known to be costly (sorting, regular
// expressions, formatting), publishing a container by copy instead of by
// move, and critical sections longer than a number of statements — each
// only when a lock is held on every path to it and stays held throughout.
//
// Short critical sections (a lookup, a counter, a push_back, copying the
// shared data out) never qualify: that is the pattern the check asks for.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_CRITICALSECTIONCOST_H
#define LOCKGRAPH_ANALYSIS_CRITICALSECTIONCOST_H

#include "analysis/LockSummaries.h"

#include <string>
#include <vector>

namespace lockgraph {

struct CostOptions {
  /// A loop runs at most this many times to count as short.
  unsigned SmallTripCount = 16;
  /// A critical section with more statements than this is long; 0 = off,
  /// the default: a count of statements is not cost (forty assignments take
  /// nanoseconds), and the costly statements in a section are reported by
  /// what they are.
  unsigned MaxStatements = 0;
  /// Report every loop whose trip count is not a small constant, not only
  /// those doing costly work (LoopCost.h).
  bool StrictLoops = false;
  std::vector<std::string> CostlyFunctions = defaultCostlyFunctions();
  static std::vector<std::string> defaultCostlyFunctions();
};

struct CostlyWork {
  enum class Kind { Loop, CostlyCall, ContainerCopy, LongSection };
  Kind What;
  clang::SourceLocation Loc;
  /// The locks held throughout it.
  std::vector<HeldLock> Locks;
  /// Kind-specific: the costly function's name, the copied container's
  /// spelling, the number of statements, or what makes a loop costly
  /// (empty for a cheap loop reported under StrictLoops).
  std::string Detail;
};

class CriticalSectionCost {
public:
  CriticalSectionCost(const LockEventExtractor &Events, LockSummaries &Locks, CostOptions Options)
      : Events(Events), Locks(Locks), Options(std::move(Options)) {}

  /// The expensive work in \p FD's critical sections, in source order.
  std::vector<CostlyWork> find(const clang::FunctionDecl *FD);

  /// How many times \p Loop runs, when that is a constant that can be
  /// read off its header (a `for` over a constant range, a constant-size
  /// array, `do { } while (false)`).
  static std::optional<uint64_t> constantTripCount(const clang::Stmt *Loop, clang::ASTContext &Ctx);

private:
  const LockEventExtractor &Events;
  LockSummaries &Locks;
  CostOptions Options;
};

} // namespace lockgraph

#endif
