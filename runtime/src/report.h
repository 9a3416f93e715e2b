// Findings, as data first: the detector fills a Report while it holds its
// graph lock (copying what it needs, since locks and edges may vanish), then
// hands it to emitReport(), which symbolizes, prints the text on stderr,
// rewrites the JSON report file, and applies halt_on_error.
#pragma once

#include "lock_graph.h"
#include "stack_depot.h"

#include <cstdint>

namespace lockgraph::rt {

enum class ReportKind : std::uint8_t {
  lockOrderInversion,
  recursiveLock,
  badUnlock,
  destroyLocked,
  longHold,
  deadlock,
  // A bad-unlock in a coroutine that resumed on another thread than the
  // one that acquired the lock before suspending (decided by emitReport,
  // from the symbolized frames).
  lockAcrossAwait,
};
const char* reportKindName(ReportKind kind);

// Where a lock's identity comes from; decides how it is named.
enum class LockOrigin : std::uint8_t {
  lockgraphClass,    // a lockgraph:: mutex class (declaration site or name)
  lockgraphInstance, // one instance of a class, for same-class nesting
  pthreadMutex,
  pthreadRwlock,
  pthreadSpinlock,
};

struct LockDescription {
  NodeId node = kNoNode;
  LockOrigin origin = LockOrigin::pthreadMutex;
  const char* name = nullptr;  // explicit class name
  const char* file = nullptr;  // class declaration site
  int line = 0;
  const void* address = nullptr;   // instance address, when known
  const void* firstSite = nullptr; // first acquisition seen, when known
  // A lock destroyed or freed before the graph was written, kept for its
  // orders (graph_dir): its address may belong to another lock by now.
  bool retired = false;
};

struct ReportEdge {
  std::uint32_t from, to; // indices into Report::locks
  Access held, acquired;
  int tid;
  std::uint32_t threadSerial;
  StackId stack;          // where `to` was acquired
  const void* heldSite;   // where `from` had been acquired
};

struct ReportThread {
  static constexpr std::uint32_t kMaxHeld = 16;
  int tid;
  std::uint32_t serial;
  std::uint32_t waitingFor; // index into Report::locks
  Access waitingAccess;
  StackId waitStack;
  std::uint32_t held[kMaxHeld];
  const void* heldSites[kMaxHeld];
  std::uint32_t heldCount;
  std::uint32_t heldOmitted;
};

struct Report {
  static constexpr std::uint32_t kMaxLocks = 40;
  static constexpr std::uint32_t kMaxEdges = 32;
  static constexpr std::uint32_t kMaxThreads = 16;

  ReportKind kind;
  int tid;                    // reporting thread
  std::uint32_t threadSerial;
  StackId stack;              // where the finding happened
  const void* site;           // acquisition site of the lock involved
  std::uint32_t lock;         // index into locks, for single-lock kinds
  int ownerTid;               // bad-unlock: a thread that does hold it, or 0
  bool asyncOwners;           // bad-unlock between async lock owners (async_owners.h)
  std::uint64_t durationNs;   // long-hold
  std::uint64_t thresholdNs;

  LockDescription locks[kMaxLocks];
  std::uint32_t lockCount;
  ReportEdge edges[kMaxEdges];
  std::uint32_t edgeCount;
  std::uint32_t edgesOmitted;
  ReportThread threads[kMaxThreads];
  std::uint32_t threadCount;

  // Filled in by the reporter.
  std::uint32_t repeats;      // later occurrences folded in (countRepeat)
  Report* next;               // emitted reports, in order
  std::size_t jsonBegin, jsonEnd; // this report's entry in the JSON array
  char summary[512];          // the SUMMARY line, without its prefix

  // Adds (or finds) a lock; returns its index.
  std::uint32_t addLock(const LockDescription& d);
};

// A zeroed Report from the runtime's arena (reports are few and kept).
Report* newReport(ReportKind kind);

void emitReport(Report* report);

// Counts one more occurrence of an emitted report's finding instead of
// printing it again; the count is shown at exit and in the JSON ("count").
void countRepeat(Report* report);
// One line per report that was repeated: "<summary> happened N times; reported once".
class TextBuffer;
void appendRepeatSummary(TextBuffer& text);

std::uint32_t reportCount();

// Writes the JSON file and statistics and, when anything was reported and
// exitcode is not 0, ends the process with that code. Called at exit and
// from the halting paths.
void finalizeRuntime();
[[noreturn]] void finalizeAndExit();
// Writes the (still empty) JSON report file when report_path is set, so a
// path that cannot be written is known before the program runs; false (and
// a message with the OS's reason on stderr) when it cannot.
bool startReportFile();

// An acquisition site as a JSON array of frames (one: the program's line;
// empty when unknown), as reports write "acquired_at".
void appendSiteJson(TextBuffer& json, const void* site);

// Test hook: called with each report after it was printed.
using ReportObserver = void (*)(const Report& report, const char* text);
void setReportObserver(ReportObserver observer);

void lockReporterForFork();
void unlockReporterAfterFork();
void resetReporterAfterFork();

} // namespace lockgraph::rt
