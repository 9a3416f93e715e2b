//===- RunGraphLink.cpp ---------------------------------------------------===//

#include "RunGraphLink.h"

#include "CheckCommand.h"
#include "CombinedGraph.h"
#include "FindingsOutput.h"
#include "MergedCycles.h"
#include "RuntimeLockIdentity.h"
#include "SourceFiles.h"
#include "WholeProgram.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <set>

namespace json = llvm::json;

namespace lockgraph {
namespace {

int inputError(const std::string &Message) {
  llvm::errs() << "lockgraph run: error: " << Message << '\n';
  return ExitUsageOrInputError;
}

std::pair<std::string, std::string> identities(const RuntimeReport &R, const RuntimeEdge &E) {
  return {R.Locks.at(E.From).Identity, R.Locks.at(E.To).Identity};
}

/// Orders this run made again are this run's: the kept copy goes, so that
/// only orders not seen now keep (and grow) their age; orders older than
/// \p MaxAge runs (when not 0) are forgotten.
void dropKeptOrdersSeenNow(const std::vector<RuntimeReport> &ThisRun, RuntimeReport &Kept, unsigned MaxAge) {
  std::set<std::pair<std::string, std::string>> Now;
  for (const RuntimeReport &R : ThisRun)
    if (&R != &Kept)
      for (const RuntimeEdge &E : R.Edges)
        Now.insert(identities(R, E));
  std::vector<RuntimeEdge> Older;
  for (RuntimeEdge &E : Kept.Edges)
    if (!Now.count(identities(Kept, E)) && (MaxAge == 0 || E.Age + 1 <= MaxAge)) {
      ++E.Age;
      Older.push_back(std::move(E));
    }
  Kept.Edges = std::move(Older);
}

json::Array framesJson(const std::vector<RuntimeFrame> &Frames) {
  json::Array Out;
  for (const RuntimeFrame &F : Frames)
    Out.push_back(json::Object{{"function", F.Function},
                               {"file", F.File.empty() ? json::Value(nullptr) : json::Value(F.File)},
                               {"line", int64_t(F.Line)}});
  return Out;
}

json::Value orNull(const std::string &S) { return S.empty() ? json::Value(nullptr) : json::Value(S); }

json::Object lockJson(const RuntimeLock &L, const std::string &Id) {
  json::Object O{{"id", Id},
                 {"identity", L.Identity},
                 {"origin", L.Origin},
                 {"name", orNull(L.Name)},
                 {"variable", orNull(L.Variable)},
                 {"address", nullptr},
                 {"declared_at", L.Declared.File.empty() ? json::Value(nullptr)
                                                         : json::Object{{"file", L.Declared.File},
                                                                        {"line", int64_t(L.Declared.Line)}}}};
  if (!L.Module.empty()) {
    O["module"] = L.Module;
    if (L.ModuleOffset)
      O["module_offset"] = int64_t(*L.ModuleOffset);
    if (L.VariableOffset)
      O["variable_offset"] = int64_t(*L.VariableOffset);
  }
  if (!L.Member.empty())
    O["member"] = L.Member;
  if (!L.Sites.empty())
    O["sites"] = json::Array(L.Sites);
  return O;
}

} // namespace

void writeLinkedGraph(llvm::raw_ostream &OS, const std::vector<RuntimeReport> &Reports, unsigned Runs) {
  std::map<std::string, std::string> Ids; // identity -> "N1"...
  json::Array Locks, Edges;
  auto IdOf = [&](const RuntimeLock &L) {
    auto [It, New] = Ids.try_emplace(L.Identity, "N" + std::to_string(Ids.size() + 1));
    if (New)
      Locks.push_back(lockJson(L, It->second));
    return It->second;
  };
  std::set<std::pair<std::string, std::string>> Written;
  for (const RuntimeReport &R : Reports)
    for (const RuntimeEdge &E : R.Edges) {
      const RuntimeLock &From = R.Locks.at(E.From), &To = R.Locks.at(E.To);
      if (From.Identity.empty() || To.Identity.empty() || From.Identity == To.Identity ||
          !Written.insert({From.Identity, To.Identity}).second)
        continue;
      json::Array Gates;
      for (const std::string &G : E.Gates)
        if (!R.Locks.at(G).Identity.empty())
          Gates.push_back(IdOf(R.Locks.at(G)));
      Edges.push_back(json::Object{{"from", IdOf(From)},
                                   {"to", IdOf(To)},
                                   {"held_access", E.HeldAccess},
                                   {"acquired_access", E.AcquiredAccess},
                                   {"thread", int64_t(E.Thread)},
                                   {"stack", framesJson(E.Stack)},
                                   {"held_site", framesJson(E.HeldSite)},
                                   {"gates", std::move(Gates)},
                                   {"command", json::Array(E.Command)},
                                   {"age", int64_t(E.Age)}});
    }
  json::Object Doc{{"tool", "lockgraph"},
                   {"schema_version", 1},
                   {"linked_runs", int64_t(Runs)},
                   {"reports", json::Array()},
                   {"statistics", json::Array()},
                   {"graph", json::Object{{"locks", std::move(Locks)}, {"edges", std::move(Edges)}}}};
  OS << llvm::formatv("{0:2}", json::Value(std::move(Doc))) << '\n';
}

int linkRunGraphs(const std::string &Directory, const std::string &BaselineGraph, const std::string &WriteGraph,
                  unsigned MaxAge) {
  auto Reports = readRuntimeReports({Directory});
  if (!Reports)
    return inputError(llvm::toString(Reports.takeError()));
  size_t Processes = Reports->size();
  unsigned Runs = 1;
  bool Kept = false;
  if (!BaselineGraph.empty() && llvm::sys::fs::exists(BaselineGraph)) {
    auto Read = readRuntimeReport(BaselineGraph);
    if (!Read)
      return inputError(llvm::toString(Read.takeError()));
    if (Read->KeptRuns == 0)
      return inputError("baseline graph '" + BaselineGraph +
                        "' is a report of one process, not a linked graph ('lockgraph run --write-graph')");
    Runs += Read->KeptRuns;
    Kept = true;
    Reports->push_back(std::move(*Read));
  }
  prepareRuntimeReports(*Reports);
  if (Kept)
    dropKeptOrdersSeenNow(*Reports, Reports->back(), MaxAge);

  CombinedGraph Graph;
  for (const RuntimeReport &R : *Reports)
    Graph.addRuntime(R, {});
  Graph.finish();
  CheckReport Report;
  Report.SourceRoot = absolutePath(".");
  Report.EnabledChecks = {LockOrderCheckName};
  Report.Findings = findingsOf(mergedCycleReports(Graph));
  Report.finalize();
  writeFindings(llvm::errs(), Report, OutputFormat::Text,
                TextStyle{useColor("auto", llvm::errs().is_displayed()), absolutePath(".")});
  llvm::errs() << llvm::formatv("lockgraph run: linked the lock-order graphs of {0}{1}: {2}, {3}, {4}\n",
                                (std::to_string(Processes) + (Processes == 1 ? " process" : " processes")),
                                Kept ? " and " + counted(Runs - 1, "earlier run") : std::string(),
                                counted(Graph.nodes().size(), "lock"), counted(Graph.edges().size(), "order"),
                                counted(Report.Findings.size(), "cycle") + " spanning processes");

  if (!WriteGraph.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(WriteGraph, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return inputError("cannot write the linked graph '" + WriteGraph + "': " + EC.message());
    writeLinkedGraph(OS, *Reports, Runs);
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      return inputError("error writing the linked graph '" + WriteGraph + "'");
    }
  }
  return Report.Findings.empty() ? ExitClean : ExitFindings;
}

} // namespace lockgraph
