//===- RuntimeLockMapping.cpp ---------------------------------------------===//

#include "RuntimeLockMapping.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace lockgraph {

std::string StaticAcquisitionSites::canonical(const std::string &File) const {
  auto [It, New] = RealPaths.try_emplace(File);
  if (New) {
    llvm::SmallString<256> Path;
    if (llvm::sys::fs::real_path(File, Path)) {
      // Not on this machine: at least drop the "build/.." in it.
      Path = File;
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    }
    It->second = Path.str().str();
  }
  return It->second;
}

namespace {

/// How many trailing path components \p A and \p B share.
unsigned commonTail(llvm::StringRef A, llvm::StringRef B) {
  unsigned N = 0;
  for (auto I = llvm::sys::path::rbegin(A), J = llvm::sys::path::rbegin(B);
       I != llvm::sys::path::rend(A) && J != llvm::sys::path::rend(B) && *I == *J; ++I, ++J)
    ++N;
  return N;
}

} // namespace

const std::string &StaticAcquisitionSites::staticFileFor(const std::string &File) const {
  auto [It, New] = StaticFiles.try_emplace(File);
  if (!New)
    return It->second;
  std::string Canonical = canonical(File);
  if (ByFile.count(Canonical)) {
    It->second = Canonical;
    return It->second;
  }
  unsigned Best = 0;
  bool Unique = false;
  for (const auto &[Static, Lines] : ByFile) {
    unsigned Tail = commonTail(Canonical, Static);
    if (Tail > Best) {
      Best = Tail;
      It->second = Static;
      Unique = true;
    } else if (Tail == Best) {
      Unique = false;
    }
  }
  if (!Unique) // no file of that name, or several equally close
    It->second.clear();
  return It->second;
}

void StaticAcquisitionSites::add(const TUFacts &TU) {
  StaticFiles.clear();
  for (const FunctionFacts &F : TU.Functions)
    for (const AcquireFact &A : F.Acquires) {
      if (!A.Site.valid())
        continue;
      ByFile[canonical(A.Site.File)][A.Site.Line].insert(A.Lock.Class);
      Classes.insert(A.Lock.Class);
    }
}

std::set<std::string> StaticAcquisitionSites::classesAt(const std::string &File, unsigned Line) const {
  auto FileIt = ByFile.find(staticFileFor(File));
  if (FileIt == ByFile.end())
    return {};
  auto LineIt = FileIt->second.find(Line);
  return LineIt == FileIt->second.end() ? std::set<std::string>() : LineIt->second;
}

namespace {

struct Votes {
  std::map<std::string, unsigned> Count;     // class -> stacks naming it
  std::map<std::string, RuntimeFrame> First; // class -> first matching frame
};

void vote(const std::vector<RuntimeFrame> &Frames, const StaticAcquisitionSites &Sites, Votes &V) {
  if (auto Found = classAcquiredAt(Frames, Sites)) {
    ++V.Count[Found->first];
    V.First.try_emplace(Found->first, Found->second);
  }
}

} // namespace

std::optional<std::pair<std::string, RuntimeFrame>> classAcquiredAt(const std::vector<RuntimeFrame> &Frames,
                                                                    const StaticAcquisitionSites &Sites) {
  for (const RuntimeFrame &F : Frames) {
    if (F.File.empty() || F.Line == 0)
      continue;
    std::set<std::string> Classes = Sites.classesAt(F.File, F.Line);
    if (Classes.empty())
      continue;
    if (Classes.size() == 1)
      return std::pair{*Classes.begin(), F};
    return std::nullopt;
  }
  return std::nullopt;
}

std::map<std::string, LockMapping> mapRuntimeLocks(const RuntimeReport &Report,
                                                   const StaticAcquisitionSites &Sites) {
  std::map<std::string, Votes> ByLock;
  for (const RuntimeEdge &E : Report.Edges) {
    vote(E.Stack, Sites, ByLock[E.To]);
    vote(E.HeldSite, Sites, ByLock[E.From]);
  }
  std::map<std::string, LockMapping> Out;
  for (const auto &[Key, Lock] : Report.Locks) {
    const Votes &V = ByLock[Key];
    const std::string *Best = nullptr;
    unsigned BestCount = 0;
    for (const auto &[Class, Count] : V.Count) // ties: the first class by name
      if (Count > BestCount) {
        Best = &Class;
        BestCount = Count;
      }
    if (Best)
      Out[Key] = LockMapping{*Best, V.First.at(*Best)};
    else if (Lock.Origin == "class" && Sites.hasClass(Lock.Name))
      Out[Key] = LockMapping{Lock.Name, std::nullopt};
  }
  return Out;
}

} // namespace lockgraph
