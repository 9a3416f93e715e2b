//===- RuntimeLockMapping.h - Which static lock is this runtime lock? ------===//
//
// The runtime names locks by class name (lockgraph:: mutexes) or by address
// (every pthread lock is its own node), the static analysis by class
// ("Cache::mu_"). What they share is *where* locks are taken: the runtime
// symbolizes the stack of every first acquisition to file:line, and the
// static facts record every acquisition site. A runtime lock is the static
// class acquired at the first frame of its stacks that is a static
// acquisition site (the frames above it are the lock's own wrappers or
// code the static half did not see); when its stacks disagree, the class
// most of them name wins. A lockgraph:: class whose name is a static class
// maps to it without a site.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_RUNTIMELOCKMAPPING_H
#define LOCKGRAPH_TOOL_RUNTIMELOCKMAPPING_H

#include "RuntimeReport.h"
#include "analysis/LockOrderFacts.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lockgraph {

/// Every place the static facts acquire a lock, by real file path and line.
class StaticAcquisitionSites {
public:
  void add(const TUFacts &TU);
  /// Classes acquired on \p Line of \p File: the same file by real path,
  /// or else the one static file whose path has the longest common tail
  /// with it (a binary built in another checkout, container or build
  /// directory names its sources by paths that do not exist here).
  std::set<std::string> classesAt(const std::string &File, unsigned Line) const;
  bool hasClass(const std::string &Class) const { return Classes.count(Class) != 0; }

private:
  std::string canonical(const std::string &File) const;
  /// The static file \p File stands for, or "".
  const std::string &staticFileFor(const std::string &File) const;
  std::map<std::string, std::map<unsigned, std::set<std::string>>> ByFile;
  std::set<std::string> Classes;
  mutable std::map<std::string, std::string> RealPaths;
  mutable std::map<std::string, std::string> StaticFiles;
};

struct LockMapping {
  std::string Class;
  /// The frame that matched a static acquisition site; none when mapped by
  /// class name.
  std::optional<RuntimeFrame> MatchedAt;
};

/// The static class acquired at the first frame of \p Frames that is a
/// static acquisition site, with that frame; nothing when there is none, or
/// when that line acquires several classes (it cannot tell which).
std::optional<std::pair<std::string, RuntimeFrame>> classAcquiredAt(const std::vector<RuntimeFrame> &Frames,
                                                                    const StaticAcquisitionSites &Sites);

/// The static class of each runtime lock of \p Report that has one, by
/// runtime lock key.
std::map<std::string, LockMapping> mapRuntimeLocks(const RuntimeReport &Report,
                                                   const StaticAcquisitionSites &Sites);

} // namespace lockgraph

#endif
