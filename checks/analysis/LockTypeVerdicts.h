//===- LockTypeVerdicts.h - One verdict per discovered class, program-wide -===//
//
// Each translation unit decides on its own whether a project class is a
// mutex (docs/lock-model.md): by the bodies of its members when they are in
// the unit, else by its shape. Units disagree when the bodies are in one
// file only: `Event` with `void Lock()`/`void Unlock()` defined in
// `sync.cpp` is a mutex by its shape everywhere else, though its bodies
// wait for a signal. The whole-program link gathers every unit's lock types
// (TUFacts::LockTypes) and settles each class once:
//
//   - the bodies win: a class a unit with its bodies found to be no mutex is
//     none anywhere, and its acquisitions and held locks leave the facts;
//   - a class any unit found recursive (by the constructor only that unit
//     compiles) is recursive everywhere;
//   - a wrapper is what it wraps: a class whose bodies lock a member of a
//     recursive class, or that derives from one, is recursive, and one
//     wrapping no mutex is none.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOCKTYPEVERDICTS_H
#define LOCKGRAPH_ANALYSIS_LOCKTYPEVERDICTS_H

#include "analysis/LockOrderFacts.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lockgraph {

class LockTypeVerdicts {
public:
  /// Adds one unit's lock types.
  void add(const std::vector<LockTypeFact> &Types);

  /// Settles every class; call once, after every add().
  void settle();

  /// Rewrites \p F by the settled verdicts: locks of recursive classes
  /// become recursive; acquisitions, held locks and released locks of
  /// classes that are no mutex are dropped.
  void apply(FunctionFacts &F) const;

  /// Whether apply() can change anything.
  bool empty() const { return Recursive.empty() && NotLocks.empty(); }

private:
  struct Evidence {
    bool BodySaysLock = false, BodySaysNone = false, SomeUnitSaysRecursive = false;
    std::vector<std::string> Wraps;
  };
  bool isNotLock(const LockRef &L) const;

  std::map<std::string, Evidence> Seen;
  /// The settled verdicts: classes recursive, classes no mutex.
  std::set<std::string> Recursive, NotLocks;
};

} // namespace lockgraph

#endif
