//===- RuntimeEvidence.cpp ------------------------------------------------===//

#include "RuntimeEvidence.h"
#include "CheckCatalog.h"
#include "RuntimeLockMapping.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace lockgraph {
namespace {

/// The runtime lock a statistics entry names (see appendStatistics in the
/// runtime): a class by name, a class by declaration site, or an address.
const RuntimeLock *lockOf(const RuntimeReport &Run, const RuntimeLockStats &S) {
  for (const auto &[Key, Lock] : Run.Locks) {
    if (Lock.Origin == "class" && !Lock.Name.empty() && Lock.Name == S.Lock)
      return &Lock;
    if (!Lock.Declared.File.empty() && Lock.Declared.File + ":" + std::to_string(Lock.Declared.Line) == S.Lock)
      return &Lock;
    if (!Lock.Address.empty() && llvm::StringRef(S.Lock).contains(Lock.Address))
      return &Lock;
  }
  return nullptr;
}

/// Statistics by static lock class.
std::map<std::string, RuntimeLockStats> statisticsByClass(const RuntimeReport &Run,
                                                          const StaticAcquisitionSites &Sites) {
  std::map<std::string, LockMapping> Mapped = mapRuntimeLocks(Run, Sites);
  std::map<std::string, RuntimeLockStats> Out;
  for (const RuntimeLockStats &S : Run.Statistics) {
    std::string Class;
    if (const RuntimeLock *Lock = lockOf(Run, S))
      if (auto It = Mapped.find(Lock->Key); It != Mapped.end())
        Class = It->second.Class;
    if (Class.empty() && Sites.hasClass(S.Lock))
      Class = S.Lock;
    // A lock in no lock-order edge: by where the run first saw it held.
    if (Class.empty())
      if (auto Found = classAcquiredAt(S.AcquiredAt, Sites))
        Class = Found->first;
    if (Class.empty())
      continue;
    // Instances of one class add up.
    RuntimeLockStats &Sum = Out[Class];
    Sum.Lock = Class;
    Sum.Holds += S.Holds;
    Sum.Contended += S.Contended;
    Sum.HoldNsTotal += S.HoldNsTotal;
    Sum.WaitNsTotal += S.WaitNsTotal;
    Sum.HoldNsMax = std::max(Sum.HoldNsMax, S.HoldNsMax);
    Sum.WaitNsMax = std::max(Sum.WaitNsMax, S.WaitNsMax);
  }
  return Out;
}

std::string milliseconds(uint64_t Ns) {
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "%.3f ms", double(Ns) / 1e6);
  return Buf;
}

std::string describe(const RuntimeLockStats &S, const std::string &ReportPath) {
  std::string Out = "at run time ('" + ReportPath + "'): '" + S.Lock + "' ";
  if (S.Contended == 0)
    Out += "was never contended in " + std::to_string(S.Holds) + " acquisitions";
  else
    Out += "was contended " + std::to_string(S.Contended) + " times in " + std::to_string(S.Holds) +
           " acquisitions, threads waited " + milliseconds(S.WaitNsTotal) + " in total (longest " +
           milliseconds(S.WaitNsMax) + ")";
  return Out + "; longest hold " + milliseconds(S.HoldNsMax);
}

} // namespace

RuntimeEvidenceResult rankAdviceByRuntime(CheckReport &Report, const RuntimeReport &Run,
                                          const std::vector<TUFacts> &Facts, uint64_t MinContention) {
  StaticAcquisitionSites Sites;
  for (const TUFacts &TU : Facts)
    Sites.add(TU);
  std::map<std::string, RuntimeLockStats> ByClass = statisticsByClass(Run, Sites);

  RuntimeEvidenceResult Result;
  std::vector<size_t> AdviceSlots;
  std::vector<std::pair<const RuntimeLockStats *, Finding>> Advice;
  std::vector<Finding> Kept;
  for (Finding &F : Report.Findings) {
    if (!isPerformanceAdvice(F.Check)) {
      Kept.push_back(std::move(F));
      continue;
    }
    const RuntimeLockStats *Stats = nullptr;
    std::optional<SourcePoint> At;
    for (const FindingNote &N : F.Notes) {
      if (Stats || !N.Where || !llvm::StringRef(N.Message).contains("acquired here"))
        continue;
      for (const std::string &Class : Sites.classesAt(N.Where->File, N.Where->Line))
        if (auto It = ByClass.find(Class); It != ByClass.end()) {
          Stats = &It->second;
          At = N.Where;
          break;
        }
    }
    uint64_t Contended = Stats ? Stats->Contended : 0;
    if (MinContention > 0 && Contended < MinContention) {
      ++Result.BelowThreshold;
      continue;
    }
    if (Stats) {
      F.Notes.push_back(FindingNote{describe(*Stats, Run.Path), At});
      ++Result.Annotated;
    }
    AdviceSlots.push_back(Kept.size());
    Kept.push_back(Finding());
    Advice.emplace_back(Stats, std::move(F));
  }
  // Most contended first; advice the run did not see goes last, in source
  // order as before.
  std::stable_sort(Advice.begin(), Advice.end(), [](const auto &A, const auto &B) {
    if (bool(A.first) != bool(B.first))
      return bool(A.first);
    if (!A.first)
      return false;
    if (A.first->Contended != B.first->Contended)
      return A.first->Contended > B.first->Contended;
    return A.first->WaitNsTotal > B.first->WaitNsTotal;
  });
  for (size_t I = 0; I < AdviceSlots.size(); ++I)
    Kept[AdviceSlots[I]] = std::move(Advice[I].second);
  Report.Findings = std::move(Kept);
  return Result;
}

} // namespace lockgraph
