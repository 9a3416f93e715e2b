//===- RuntimeLockIdentity.cpp --------------------------------------------===//

#include "RuntimeLockIdentity.h"

#include "StaticLockMembers.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <optional>
#include <set>

namespace lockgraph {

bool isLibraryLockFrame(const RuntimeFrame &F) {
  llvm::StringRef Function = F.Function, File = F.File;
  return File.starts_with("/usr/include/") || Function.starts_with("std::") ||
         Function.starts_with("__gthread") || Function.starts_with("pthread_") ||
         Function.starts_with("lockgraph::");
}

namespace {

/// A site is a source line: the function's name says no more, and differs
/// between instantiations of one template.
std::string siteOf(const RuntimeFrame &F) { return F.File + ":" + std::to_string(F.Line); }

bool isProgramFrame(const RuntimeFrame &F) { return !F.File.empty() && F.Line != 0 && !isLibraryLockFrame(F); }

/// Where a report's stacks acquire which locks: every program frame of
/// every acquisition stack, with the locks acquired below it.
using SiteLocks = std::map<std::string, std::set<std::string>>;

SiteLocks siteLocksOf(const RuntimeReport &Report) {
  SiteLocks Out;
  for (const RuntimeEdge &E : Report.Edges) {
    for (const RuntimeFrame &F : E.Stack)
      if (isProgramFrame(F))
        Out[siteOf(F)].insert(E.To);
    for (const RuntimeFrame &F : E.HeldSite)
      if (isProgramFrame(F))
        Out[siteOf(F)].insert(E.From);
  }
  return Out;
}

/// The site that names the lock acquired by \p Frames: its first program
/// frame where the process acquires no other lock. A frame that takes
/// several locks (the program's own lock wrapper, a helper taking the lock
/// it is given) tells them apart no better than the wrapper would; its
/// caller does.
std::optional<std::string> namingSite(const std::vector<RuntimeFrame> &Frames, const SiteLocks &Sites) {
  for (const RuntimeFrame &F : Frames) {
    if (!isProgramFrame(F))
      continue;
    std::string Site = siteOf(F);
    if (Sites.at(Site).size() == 1)
      return Site;
  }
  return std::nullopt;
}

class UnionFind {
public:
  size_t add() {
    Parent.push_back(Parent.size());
    return Parent.size() - 1;
  }
  size_t find(size_t X) {
    while (Parent[X] != X)
      X = Parent[X] = Parent[Parent[X]];
    return X;
  }
  void join(size_t A, size_t B) { Parent[find(A)] = find(B); }

private:
  std::vector<size_t> Parent;
};

} // namespace

void linkRuntimeLockIdentities(std::vector<RuntimeReport> &Reports) {
  UnionFind Sets;
  std::map<std::string, size_t> SiteSet;                  // site -> its set
  std::map<std::pair<size_t, std::string>, size_t> LockSet; // (report, key) -> its set
  std::map<std::pair<size_t, std::string>, std::set<std::string>> LockSites;
  auto siteSet = [&](const std::string &Site) {
    auto [It, New] = SiteSet.try_emplace(Site, 0);
    if (New)
      It->second = Sets.add();
    return It->second;
  };
  auto addSite = [&](size_t R, const std::string &Key, const std::string &Site) {
    const RuntimeLock &Lock = Reports[R].Locks.at(Key);
    if (!Lock.Identity.empty() && Lock.Sites.empty())
      return; // a class or static storage: identified already
    if (Lock.Origin == "instance")
      return; // one instance of a class, ordered within its process only
    auto [It, New] = LockSet.try_emplace({R, Key}, 0);
    if (New)
      It->second = Sets.add();
    Sets.join(It->second, siteSet(Site));
    LockSites[{R, Key}].insert(Site);
  };
  for (size_t R = 0; R < Reports.size(); ++R) {
    SiteLocks Sites = siteLocksOf(Reports[R]);
    for (const RuntimeEdge &E : Reports[R].Edges) {
      if (auto Site = namingSite(E.Stack, Sites))
        addSite(R, E.To, *Site);
      if (auto Site = namingSite(E.HeldSite, Sites))
        addSite(R, E.From, *Site);
    }
    for (const auto &[Key, Lock] : Reports[R].Locks)
      for (const std::string &Site : Lock.Sites)
        addSite(R, Key, Site);
  }
  // Each set is named by its first site, and knows all of them.
  std::map<size_t, std::set<std::string>> SitesOfSet;
  for (const auto &[Site, Set] : SiteSet)
    SitesOfSet[Sets.find(Set)].insert(Site);
  for (const auto &[Lock, Set] : LockSet) {
    const std::set<std::string> &Sites = SitesOfSet[Sets.find(Set)];
    RuntimeLock &L = Reports[Lock.first].Locks.at(Lock.second);
    L.Identity = "site " + *Sites.begin();
    L.Sites.assign(Sites.begin(), Sites.end());
  }
}

void prepareRuntimeReports(std::vector<RuntimeReport> &Reports) {
  nameStaticLockMembers(Reports);
  linkRuntimeLockIdentities(Reports);
}

} // namespace lockgraph
