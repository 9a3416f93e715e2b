//===- RuntimeReport.h - Read the runtime's JSON report ---------------------===//
//
// The runtime (runtime/, `lockgraph run`) writes its findings as JSON
// (schema in docs/runtime.md). With report_graph=1 the file also holds every
// lock-order edge of the run ("graph"); without it, only the edges of the
// reported inversions are known. This reader turns either into one list of
// locks and edges, so `lockgraph graph` and `lockgraph merge` can draw and
// merge them. Anything that does not follow the schema is an error naming
// the file and the field, never a partial graph.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_RUNTIMEREPORT_H
#define LOCKGRAPH_TOOL_RUNTIMEREPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

/// A symbolized return address; `File` is empty and `Line` 0 when unknown.
struct RuntimeFrame {
  std::string Function;
  std::string File;
  unsigned Line = 0;
};

struct RuntimeLock {
  /// Identity within the report: the class name, the declaration site, or
  /// the kind and address of a pthread lock. Locks named in several
  /// inversion reports and in the graph section are one lock.
  std::string Key;
  std::string Origin;   // class, instance, pthread_mutex, pthread_rwlock
  std::string Name;     // class name, or empty
  std::string Variable; // global variable holding the lock, or empty
  std::string Address;  // hex, or empty
  RuntimeFrame Declared; // declaration site of a class declared by site
  /// A lock in static storage: the module (path) and the offset from its
  /// load address; with VariableOffset, the offset inside Variable.
  std::string Module;
  std::optional<uint64_t> ModuleOffset, VariableOffset;
  /// The member of Variable that is the lock, from debug information
  /// ("Store::b"; StaticLockMembers.h), or empty.
  std::string Member;
  /// The same lock in every process and run (RuntimeLockIdentity.h): set
  /// by the reader for classes and static storage, by
  /// linkRuntimeLockIdentities() for the others; empty for a lock only
  /// its own process knows.
  std::string Identity;
  /// A linked graph file's heap and stack locks: the acquisition sites
  /// ("function file:line") that identified them.
  std::vector<std::string> Sites;
  /// How a person recognises it: "Account::mu", "pthread_mutex 'registry'".
  std::string displayName() const;
};

/// `To` was acquired while `From` was held: where that first happened.
struct RuntimeEdge {
  std::string From, To; // RuntimeLock keys
  std::string HeldAccess, AcquiredAccess; // read or write
  long Thread = 0;
  std::vector<RuntimeFrame> Stack;    // where `To` was acquired, innermost first
  std::vector<RuntimeFrame> HeldSite; // where `From` had been acquired (one frame)
  std::vector<std::string> Gates;     // keys of locks held every time
  /// The process that made it: its command line, and for an order kept
  /// from earlier runs (a linked graph file), how many runs ago it was
  /// last seen (0: this run).
  std::vector<std::string> Command;
  unsigned Age = 0;
};

/// What one lock did in the run (`stats=1`): the `statistics[]` entries.
struct RuntimeLockStats {
  /// As the runtime names it: a class name, the declaration site
  /// "file:line", "variable (0xaddr)", or "0xaddr".
  std::string Lock;
  uint64_t Holds = 0, Contended = 0;
  uint64_t HoldNsTotal = 0, HoldNsMax = 0, WaitNsTotal = 0, WaitNsMax = 0;
  /// Where the run first saw the lock held (one frame; empty in reports of
  /// older runtimes): names a lock that is in no lock-order edge.
  std::vector<RuntimeFrame> AcquiredAt;
};

struct RuntimeReport {
  std::string Path;
  /// Per-lock hold and wait statistics; empty unless the run had stats=1.
  std::vector<RuntimeLockStats> Statistics;
  std::map<std::string, RuntimeLock> Locks; // by key
  /// The graph section's edges, plus those of inversion reports (an edge
  /// is listed once, with its first observation).
  std::vector<RuntimeEdge> Edges;
  /// Cycles the runtime reported, as lock keys in order.
  std::vector<std::vector<std::string>> Inversions;
  /// Whether the report has the whole graph (report_graph=1).
  bool HasGraph = false;
  /// The process (graph_dir files): command line and working directory.
  std::vector<std::string> Command;
  std::string Cwd;
  long Pid = 0;
  /// A linked graph kept from earlier runs (--baseline-graph): how many
  /// runs it holds; 0 for a process's own report.
  unsigned KeptRuns = 0;
};

/// The identity a lock has in every process: "class NAME" for a lockgraph
/// class, "static MODULE:VARIABLE+OFFSET" (module file name, offset of the
/// lock inside the variable) for static storage; "" for heap and stack
/// locks, which only their acquisition sites can link.
std::string portableIdentity(const RuntimeLock &Lock);

/// Reads and validates a report file.
llvm::Expected<RuntimeReport> readRuntimeReport(const std::string &Path);
/// Reads report files, and every report of the directories among \p Paths
/// (a `lockgraph run --graph-dir` directory: every file not starting with
/// '.' must be a report, in name order).
llvm::Expected<std::vector<RuntimeReport>> readRuntimeReports(const std::vector<std::string> &Paths);
/// Parses report text; `Path` only names it in errors.
llvm::Expected<RuntimeReport> parseRuntimeReport(llvm::StringRef Text, const std::string &Path);

} // namespace lockgraph

#endif
