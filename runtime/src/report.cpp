#include "report.h"

#include "lock_wrappers.h"
#include "arena.h"
#include "detector.h"
#include "options.h"
#include "os.h"
#include "spin_lock.h"
#include "symbolizer.h"
#include "text_buffer.h"
#include "thread_state.h"

#include <atomic>
#include <new>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

namespace lockgraph::rt {

namespace {

// Trivially destructible on purpose: the reports must outlive the
// program's static destructors, which run before finalizeAtExit().
struct Reporter {
  SpinLock lock;
  std::atomic<std::uint32_t> count{0};
  TextBuffer* json = nullptr; // the "reports" array entries so far
  Report* first = nullptr;    // the emitted reports, linked by next
  Report* last = nullptr;
  ReportObserver observer = nullptr;
  std::atomic<bool> finalized{false};
  std::atomic<bool> writeFailed{false}; // the JSON report file could not be written
};
Reporter reporter;

constexpr std::uint32_t kMaxFrames = 512;

// Other threads may be counting repeats right now (countRepeat).
std::uint32_t repeatsOf(const Report& r) {
  return std::atomic_ref<std::uint32_t>(const_cast<std::uint32_t&>(r.repeats)).load(std::memory_order_relaxed);
}

const char* accessName(Access a) { return a == Access::shared ? "read" : "write"; }

const char* originName(LockOrigin o) {
  switch (o) {
  case LockOrigin::lockgraphClass:
    return "lockgraph mutex class";
  case LockOrigin::lockgraphInstance:
    return "lockgraph mutex instance";
  case LockOrigin::pthreadMutex:
    return "pthread_mutex";
  case LockOrigin::pthreadRwlock:
    return "pthread_rwlock";
  case LockOrigin::pthreadSpinlock:
    return "pthread_spinlock";
  }
  return "lock";
}

const char* originJsonName(LockOrigin o) {
  switch (o) {
  case LockOrigin::lockgraphClass:
    return "class";
  case LockOrigin::lockgraphInstance:
    return "instance";
  case LockOrigin::pthreadMutex:
    return "pthread_mutex";
  case LockOrigin::pthreadRwlock:
    return "pthread_rwlock";
  case LockOrigin::pthreadSpinlock:
    return "pthread_spinlock";
  }
  return "lock";
}

// Frames of the runtime and of the standard lock wrappers say nothing
// about the program; reports start at the first frame that does.
bool isWrapperFrame(const SourceFrame& f) { return f.function != nullptr && isLockWrapperName(f.function); }

struct Frames {
  SourceFrame* frames;
  std::uint32_t count;
};

// Thread start-up below the program's own frames: std::thread plumbing,
// libc and the C++ runtime.
bool isStartupFrame(const SourceFrame& f) {
  if (f.module && (std::strstr(f.module, "/libc.so") || std::strstr(f.module, "/libstdc++.so")))
    return true;
  if (f.function == nullptr)
    return false;
  static const char* const prefixes[] = {"std::", "void std::", "start_thread", "clone",
                                         "__libc_start", "_start"};
  for (const char* p : prefixes)
    if (std::strncmp(f.function, p, std::strlen(p)) == 0)
      return true;
  return false;
}

Frames symbolizeStack(StackId id) {
  StackView view = stackFrames(id);
  auto* frames = static_cast<SourceFrame*>(globalArena().allocate(sizeof(SourceFrame) * kMaxFrames));
  std::uint32_t n = symbolize(view.frames, view.size, frames, kMaxFrames);
  std::uint32_t first = 0;
  while (first + 1 < n && isWrapperFrame(frames[first]))
    ++first;
  while (n > first + 1 && isStartupFrame(frames[n - 1]))
    --n;
  return Frames{frames + first, n - first};
}

Frames symbolizeSite(const void* site) {
  if (site == nullptr)
    return Frames{nullptr, 0};
  auto* frames = static_cast<SourceFrame*>(globalArena().allocate(sizeof(SourceFrame) * 8));
  std::uint32_t n = symbolize(&site, 1, frames, 8);
  // Keep the first inlined frame that is not a wrapper: at -O1 and above
  // the lock call is inlined into the program's function.
  for (std::uint32_t i = 0; i < n; ++i)
    if (!isWrapperFrame(frames[i]))
      return Frames{frames + i, 1};
  return Frames{frames, n ? 1u : 0u};
}

// Unoptimized builds call the std wrappers out of line, so a one-frame
// acquisition site lands inside them; say so instead of leaving a puzzle.
void noteIfWrapperOnly(TextBuffer& t, const Frames& f, const char* indent) {
  if (f.count == 1 && isWrapperFrame(f.frames[0]))
    t.appendf("%s(a standard-library lock wrapper; the calling line is known at -O1 and above)\n",
              indent);
}

void textFrames(TextBuffer& t, const Frames& f, const char* indent) {
  if (f.count == 0) {
    t.appendf("%s<no stack>\n", indent);
    return;
  }
  for (std::uint32_t i = 0; i < f.count; ++i) {
    const SourceFrame& s = f.frames[i];
    t.appendf("%s#%u %p in %s", indent, i, s.pc, s.function ? s.function : "??");
    if (s.file)
      t.appendf(" %s:%d", s.file, s.line);
    else if (s.module)
      t.appendf(" (%s)", s.module);
    t.append("\n");
  }
}

void textSite(TextBuffer& t, const Frames& f, const char* indent) {
  textFrames(t, f, indent);
  noteIfWrapperOnly(t, f, indent);
}

void jsonFrames(TextBuffer& j, const Frames& f) {
  j.append("[");
  for (std::uint32_t i = 0; i < f.count; ++i) {
    const SourceFrame& s = f.frames[i];
    j.appendf("%s{\"pc\": \"%p\", \"function\": ", i ? ", " : "", s.pc);
    j.appendJsonString(s.function);
    j.append(", \"file\": ");
    j.appendJsonString(s.file);
    j.appendf(", \"line\": %d, \"module\": ", s.line);
    j.appendJsonString(s.module);
    j.append("}");
  }
  j.append("]");
}

void describeText(TextBuffer& t, const LockDescription& d) {
  t.append(originName(d.origin));
  if (d.name)
    t.appendf(" \"%s\"", d.name);
  else if (d.file)
    t.appendf(" declared at %s:%d", d.file, d.line);
  if (d.address) {
    DataLocation where = locateData(d.address);
    if (where.symbol && where.symbolOffset)
      t.appendf(" '%s'+%lu", where.symbol, static_cast<unsigned long>(where.symbolOffset));
    else if (where.symbol)
      t.appendf(" '%s'", where.symbol);
    t.appendf(" at %p", d.address);
  }
}

// A lock in static storage is the same lock in every process that runs
// its module, wherever the module is loaded: the variable, the offset of
// the lock inside it and the module are its identity across processes
// (docs/formats.md). Heap and stack locks have no "module".
void appendStaticStorageJson(TextBuffer& j, const DataLocation& where) {
  j.appendJsonString(where.symbol);
  if (where.module == nullptr)
    return;
  j.append(", \"module\": ");
  j.appendJsonString(where.module);
  j.appendf(", \"module_offset\": %lu", static_cast<unsigned long>(where.moduleOffset));
  if (where.symbol)
    j.appendf(", \"variable_offset\": %lu", static_cast<unsigned long>(where.symbolOffset));
}

// Locks of a report are "M1", "M2"…; locks of the graph dump "N1", "N2"….
void describeJson(TextBuffer& j, const LockDescription& d, std::uint32_t index, char idPrefix = 'M') {
  j.appendf("{\"id\": \"%c%u\", \"origin\": \"%s\", \"name\": ", idPrefix, index + 1,
            originJsonName(d.origin));
  j.appendJsonString(d.name);
  j.append(", \"declared_at\": ");
  if (d.file) {
    j.append("{\"file\": ");
    j.appendJsonString(d.file);
    j.appendf(", \"line\": %d}", d.line);
  } else {
    j.append("null");
  }
  if (d.retired) {
    // Its memory may hold another lock by now: no variable to look up.
    j.appendf(", \"address\": \"%p\", \"variable\": null, \"retired\": true}", d.address);
  } else if (d.address) {
    j.appendf(", \"address\": \"%p\", \"variable\": ", d.address);
    appendStaticStorageJson(j, locateData(d.address));
    j.append("}");
  } else {
    j.append(", \"address\": null, \"variable\": null}");
  }
}

// The first program frame of a stack, for the one-line summary.
void summaryLocation(TextBuffer& t, const Frames& f) {
  if (f.count == 0)
    return;
  const SourceFrame& s = f.frames[0];
  if (s.function)
    t.appendf(" in %s", s.function);
  if (s.file)
    t.appendf(" %s:%d", s.file, s.line);
}

void renderInversion(const Report& r, TextBuffer& t, TextBuffer& j) {
  t.append("Cycle in lock order: ");
  for (std::uint32_t i = 0; i < r.edgeCount; ++i)
    t.appendf("M%u -> ", r.edges[i].from + 1);
  t.appendf("M%u%s\n", r.edges[0].from + 1, r.edgesOmitted ? " (cycle shortened)" : "");
  for (std::uint32_t i = 0; i < r.lockCount; ++i) {
    t.appendf("  M%u: ", i + 1);
    describeText(t, r.locks[i]);
    t.append("\n");
  }
  j.append(", \"edges\": [");
  Frames closing{nullptr, 0};
  for (std::uint32_t i = 0; i < r.edgeCount; ++i) {
    const ReportEdge& e = r.edges[i];
    Frames stack = symbolizeStack(e.stack);
    Frames held = symbolizeSite(e.heldSite);
    if (i == 0)
      closing = stack;
    t.appendf("\n  M%u acquired (%s) while holding M%u (%s) in thread T%u (tid %d)%s:\n",
              e.to + 1, accessName(e.acquired), e.from + 1, accessName(e.held), e.threadSerial,
              e.tid, i == 0 ? ", closing the cycle" : "");
    textFrames(t, stack, "    ");
    t.appendf("  M%u had been acquired at:\n", e.from + 1);
    textSite(t, held, "    ");
    j.appendf("%s{\"from\": \"M%u\", \"to\": \"M%u\", \"held_access\": \"%s\", "
              "\"acquired_access\": \"%s\", \"thread\": %d, \"stack\": ",
              i ? ", " : "", e.from + 1, e.to + 1, accessName(e.held), accessName(e.acquired), e.tid);
    jsonFrames(j, stack);
    j.append(", \"held_site\": ");
    jsonFrames(j, held);
    j.append("}");
  }
  j.append("]");
  t.appendf("\nSUMMARY: lockgraph: lock-order-inversion (%u locks)", r.edgeCount + r.edgesOmitted);
  summaryLocation(t, closing);
  t.append("\n");
}

void renderDeadlock(const Report& r, TextBuffer& t, TextBuffer& j) {
  t.append("Threads blocked in a cycle of lock waits:\n");
  for (std::uint32_t i = 0; i < r.threadCount; ++i) {
    const ReportThread& th = r.threads[i];
    t.appendf("  T%u (tid %d) waits for M%u (%s)", th.serial, th.tid, th.waitingFor + 1,
              accessName(th.waitingAccess));
    t.appendf(" held by T%u\n", r.threads[(i + 1) % r.threadCount].serial);
  }
  for (std::uint32_t i = 0; i < r.lockCount; ++i) {
    t.appendf("  M%u: ", i + 1);
    describeText(t, r.locks[i]);
    t.append("\n");
  }
  j.append(", \"threads\": [");
  Frames first{nullptr, 0};
  for (std::uint32_t i = 0; i < r.threadCount; ++i) {
    const ReportThread& th = r.threads[i];
    Frames wait = symbolizeStack(th.waitStack);
    if (i == 0)
      first = wait;
    t.appendf("\n  T%u (tid %d) waits for M%u at:\n", th.serial, th.tid, th.waitingFor + 1);
    textFrames(t, wait, "    ");
    j.appendf("%s{\"thread\": %d, \"waits_for\": \"M%u\", \"access\": \"%s\", \"stack\": ",
              i ? ", " : "", th.tid, th.waitingFor + 1, accessName(th.waitingAccess));
    jsonFrames(j, wait);
    j.append(", \"holds\": [");
    for (std::uint32_t k = 0; k < th.heldCount; ++k) {
      Frames site = symbolizeSite(th.heldSites[k]);
      t.appendf("  T%u holds M%u, acquired at:\n", th.serial, th.held[k] + 1);
      textSite(t, site, "    ");
      j.appendf("%s{\"lock\": \"M%u\", \"acquired_at\": ", k ? ", " : "", th.held[k] + 1);
      jsonFrames(j, site);
      j.append("}");
    }
    j.append("]}");
  }
  j.append("]");
  t.appendf("\nSUMMARY: lockgraph: deadlock (%u thread%s)", r.threadCount, r.threadCount == 1 ? "" : "s");
  summaryLocation(t, first);
  t.append("\n");
}

// A coroutine body resumed after a suspension: GCC names it
// "f(...) (.actor)" or "[clone .actor]", Clang "f(...) (.resume)".
bool isCoroutineResumeFrame(const SourceFrame& f) {
  if (f.function == nullptr)
    return false;
  for (const char* marker : {"(.actor)", "(.resume)", "[clone .actor]", "[clone .resume]"})
    if (std::strstr(f.function, marker))
      return true;
  return false;
}

// A bad-unlock of a lock another thread holds, made by a coroutine body
// resumed on this thread: the coroutine locked it on the other thread,
// suspended with it held and resumed here. Its own kind, since the fix is
// the coroutine's (release before co_await, or an async mutex), not the
// unlocking thread's. No holder at all is the same story when the thread
// that started the coroutine has exited since (a thread per request).
bool releasedAfterResumingElsewhere(const Report& r) {
  if (r.kind != ReportKind::badUnlock || r.ownerTid == r.tid || r.asyncOwners)
    return false;
  Frames stack = symbolizeStack(r.stack);
  for (std::uint32_t i = 0; i < stack.count; ++i)
    if (!isWrapperFrame(stack.frames[i]))
      return isCoroutineResumeFrame(stack.frames[i]);
  return false;
}

void renderSingleLock(const Report& r, TextBuffer& t, TextBuffer& j) {
  Frames stack = symbolizeStack(r.stack);
  Frames site = symbolizeSite(r.site);
  t.append("  M1: ");
  describeText(t, r.locks[r.lock]);
  t.append("\n");
  switch (r.kind) {
  case ReportKind::recursiveLock:
    t.appendf("Thread T%u (tid %d) acquires M1, which it already holds; it would wait forever:\n",
              r.threadSerial, r.tid);
    break;
  case ReportKind::badUnlock:
    t.appendf("Thread T%u (tid %d) unlocks M1, which it does not hold", r.threadSerial, r.tid);
    if (r.ownerTid)
      t.appendf(" (tid %d holds it)", r.ownerTid);
    t.append(":\n");
    break;
  case ReportKind::destroyLocked:
    t.appendf("Thread T%u (tid %d) destroys or re-initializes M1 while it is locked", r.threadSerial, r.tid);
    if (r.ownerTid)
      t.appendf(" (by tid %d)", r.ownerTid);
    t.append(":\n");
    break;
  case ReportKind::longHold:
    t.appendf("Thread T%u (tid %d) held M1 for %.1f ms (threshold %.1f ms); released at:\n",
              r.threadSerial, r.tid, r.durationNs / 1e6, r.thresholdNs / 1e6);
    break;
  case ReportKind::lockAcrossAwait:
    t.appendf("Thread T%u (tid %d) unlocks M1 in a coroutine that resumed on it; ", r.threadSerial, r.tid);
    if (r.ownerTid)
      t.appendf("tid %d acquired M1 before the coroutine suspended", r.ownerTid);
    else
      t.append("the thread that acquired M1 before the coroutine suspended has exited since");
    t.append(", and M1 stayed locked across the suspension:\n");
    break;
  default:
    break;
  }
  textFrames(t, stack, "    ");
  if (r.site) {
    t.append("  M1 was acquired at:\n");
    textSite(t, site, "    ");
  }
  j.append(", \"stack\": ");
  jsonFrames(j, stack);
  j.append(", \"acquired_at\": ");
  jsonFrames(j, site);
  if (r.ownerTid)
    j.appendf(", \"owner_thread\": %d", r.ownerTid);
  if (r.kind == ReportKind::longHold)
    j.appendf(", \"held_ns\": %llu, \"threshold_ns\": %llu", (unsigned long long)r.durationNs,
              (unsigned long long)r.thresholdNs);
  t.appendf("\nSUMMARY: lockgraph: %s", reportKindName(r.kind));
  summaryLocation(t, stack);
  t.append("\n");
}

// The "graph" section: every lock-order edge the run made, with where it
// was first made, so `lockgraph merge` and `lockgraph graph` see the
// orders that closed no cycle too.
void appendGraphJson(TextBuffer& j) {
  GraphDump g = snapshotGraph();
  j.append(",\n  \"graph\": {\"locks\": [");
  for (std::uint32_t i = 0; i < g.lockCount; ++i) {
    j.append(i ? ",\n    " : "\n    ");
    describeJson(j, g.locks[i], i, 'N');
  }
  j.append("],\n  \"edges\": [");
  for (std::uint32_t i = 0; i < g.edgeCount; ++i) {
    const ReportEdge& e = g.edges[i].edge;
    j.appendf("%s{\"from\": \"N%u\", \"to\": \"N%u\", \"held_access\": \"%s\", "
              "\"acquired_access\": \"%s\", \"thread\": %d, \"stack\": ",
              i ? ",\n    " : "\n    ", e.from + 1, e.to + 1, accessName(e.held),
              accessName(e.acquired), e.tid);
    jsonFrames(j, symbolizeStack(e.stack));
    j.append(", \"held_site\": ");
    jsonFrames(j, symbolizeSite(e.heldSite));
    j.append(", \"gates\": [");
    for (std::uint32_t k = 0; k < g.edges[i].gateCount; ++k)
      j.appendf("%s\"N%u\"", k ? ", " : "", g.edges[i].gates[k] + 1);
    j.append("]}");
  }
  j.append("]}");
}

void expandReportPath(char* out, std::size_t size) {
  const char* in = options().reportPath;
  std::size_t o = 0;
  for (const char* p = in; *p && o + 1 < size; ++p) {
    if (p[0] == '%' && p[1] == 'p') {
      int n = std::snprintf(out + o, size - o, "%d", static_cast<int>(getpid()));
      o += n > 0 ? static_cast<std::size_t>(n) : 0;
      ++p;
    } else {
      out[o++] = *p;
    }
  }
  out[o < size ? o : size - 1] = '\0';
}

// "command" (the process's arguments, from /proc/self/cmdline) and "cwd":
// which test of a suite made the orders of a graph_dir file.
void appendProcessJson(TextBuffer& doc) {
  doc.append("\n  \"command\": [");
  int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    TextBuffer args;
    char chunk[4096];
    for (;;) {
      ssize_t n = read(fd, chunk, sizeof(chunk));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      args.append(chunk, static_cast<std::size_t>(n));
    }
    close(fd);
    std::size_t count = 0;
    for (std::size_t at = 0; at < args.size(); at += std::strlen(args.data() + at) + 1) {
      doc.append(count++ ? ", " : "");
      doc.appendJsonString(args.data() + at);
    }
  }
  doc.append("],\n  \"cwd\": ");
  char cwd[1024];
  doc.appendJsonString(getcwd(cwd, sizeof(cwd)) ? cwd : nullptr);
  doc.append(",");
}

// The JSON document: the reports so far, and at exit the statistics and
// (report_graph, graph_dir) the lock-order graph. A graph_dir file also
// says which process made it (command line, working directory).
void renderJsonDocument(TextBuffer& doc, bool atExit, bool withGraph, bool withProcess) {
  doc.appendf("{\n  \"tool\": \"lockgraph\",\n  \"schema_version\": 1,\n  \"pid\": %d,",
              static_cast<int>(getpid()));
  if (withProcess)
    appendProcessJson(doc);
  doc.append("\n  \"reports\": [");
  // Each entry as emitted, with its occurrence count, which may have grown.
  for (const Report* r = reporter.first; r; r = r->next) {
    doc.append(reporter.json->data() + r->jsonBegin, r->jsonEnd - r->jsonBegin - 1); // without '}'
    doc.appendf(", \"count\": %u}",
                repeatsOf(*r) + 1);
  }
  doc.append(reporter.first ? "\n  ],\n  \"statistics\": [" : "],\n  \"statistics\": [");
  if (atExit)
    appendStatistics(nullptr, &doc);
  doc.append("]");
  if (atExit && withGraph)
    appendGraphJson(doc);
  doc.append("\n}\n");
}

// Writes `doc` to `path`; on failure returns false with errno set.
bool writeDocument(const char* path, const TextBuffer& doc) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool written = fd >= 0 && writeFully(fd, doc.data(), doc.size());
  int error = errno;
  if (fd >= 0 && close(fd) != 0 && written) {
    written = false;
    error = errno;
  }
  errno = error;
  return written;
}

void reportWriteFailure(const char* what, const char* path, int error) {
  // Said once; the exit status says it again (imposedExitStatus).
  if (!reporter.writeFailed.exchange(true)) {
    char message[800];
    int n = std::snprintf(message, sizeof(message), "lockgraph: cannot write %s %s: %s\n", what, path,
                          std::strerror(error));
    writeAll(2, message, static_cast<std::size_t>(n));
  }
}

// Rewrites the whole JSON file so it is complete whenever the process stops.
void writeJsonFile(bool atExit) {
  if (options().reportPath[0] == '\0')
    return;
  char path[600];
  expandReportPath(path, sizeof(path));
  TextBuffer doc;
  renderJsonDocument(doc, atExit, options().reportGraph, false);
  if (!writeDocument(path, doc))
    reportWriteFailure("report file", path, errno);
}

// graph_dir: at exit, this process's graph as one more file of the
// directory `lockgraph run --graph-dir` links. Written under a hidden name
// and renamed, so the directory never holds half a file; named by pid and
// time, so processes never overwrite each other. A process that took no
// two locks together and reported nothing adds nothing.
void writeGraphDirFile() {
  const char* dir = options().graphDir;
  if (dir[0] == '\0')
    return;
  GraphDump graph = snapshotGraph();
  if (graph.edgeCount == 0 && reporter.first == nullptr)
    return;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  char name[96], path[sizeof(options().graphDir) + 128], hidden[sizeof(path)];
  std::snprintf(name, sizeof(name), "%d-%llx.json", static_cast<int>(getpid()),
                static_cast<unsigned long long>(now.tv_sec) * 1000000000ull +
                    static_cast<unsigned long long>(now.tv_nsec));
  std::snprintf(path, sizeof(path), "%s/%s", dir, name);
  std::snprintf(hidden, sizeof(hidden), "%s/.%s.tmp", dir, name);
  TextBuffer doc;
  renderJsonDocument(doc, true, true, true);
  if (!writeDocument(hidden, doc) || rename(hidden, path) != 0) {
    int error = errno;
    unlink(hidden);
    reportWriteFailure("lock-order graph file", path, error);
  }
}

} // namespace

void appendSiteJson(TextBuffer& json, const void* site) { jsonFrames(json, symbolizeSite(site)); }

const char* reportKindName(ReportKind kind) {
  switch (kind) {
  case ReportKind::lockOrderInversion:
    return "lock-order-inversion";
  case ReportKind::recursiveLock:
    return "recursive-lock";
  case ReportKind::badUnlock:
    return "bad-unlock";
  case ReportKind::destroyLocked:
    return "destroy-locked";
  case ReportKind::longHold:
    return "long-hold";
  case ReportKind::deadlock:
    return "deadlock";
  case ReportKind::lockAcrossAwait:
    return "lock-across-await";
  }
  return "unknown";
}

std::uint32_t Report::addLock(const LockDescription& d) {
  for (std::uint32_t i = 0; i < lockCount; ++i)
    if (locks[i].node == d.node && locks[i].address == d.address)
      return i;
  if (lockCount == kMaxLocks)
    return kMaxLocks - 1;
  locks[lockCount] = d;
  return lockCount++;
}

Report* newReport(ReportKind kind) {
  auto* r = static_cast<Report*>(globalArena().allocate(sizeof(Report)));
  std::memset(static_cast<void*>(r), 0, sizeof(Report));
  r->kind = kind;
  return r;
}

void emitReport(Report* r) {
  RuntimeScope scope(currentThreadIfAny()); // the reporter's lock is held throughout
  SpinGuard guard(reporter.lock);
  if (releasedAfterResumingElsewhere(*r))
    r->kind = ReportKind::lockAcrossAwait;
  TextBuffer text;
  TextBuffer json;
  text.appendf("==%d== lockgraph: %s", static_cast<int>(getpid()), reportKindName(r->kind));
  if (r->kind == ReportKind::lockOrderInversion)
    text.append(" (potential deadlock)");
  text.append("\n");
  json.append(reporter.count.load() ? ",\n    {" : "\n    {");
  json.appendf("\"kind\": \"%s\", \"thread\": %d, \"locks\": [", reportKindName(r->kind), r->tid);
  for (std::uint32_t i = 0; i < r->lockCount; ++i) {
    if (i)
      json.append(", ");
    describeJson(json, r->locks[i], i);
  }
  json.append("]");
  switch (r->kind) {
  case ReportKind::lockOrderInversion:
    renderInversion(*r, text, json);
    break;
  case ReportKind::deadlock:
    renderDeadlock(*r, text, json);
    break;
  default:
    renderSingleLock(*r, text, json);
    break;
  }
  json.append("}");
  text.append("\n");
  writeAll(2, text.data(), text.size());
  if (reporter.json == nullptr)
    reporter.json = new (globalArena().allocate(sizeof(TextBuffer))) TextBuffer();
  r->jsonBegin = reporter.json->size();
  reporter.json->append(json.data(), json.size());
  r->jsonEnd = reporter.json->size();
  if (const char* summary = std::strstr(text.data(), "\nSUMMARY: lockgraph: ")) {
    summary += std::strlen("\nSUMMARY: lockgraph: ");
    std::size_t n = std::strcspn(summary, "\n");
    n = n < sizeof(r->summary) - 1 ? n : sizeof(r->summary) - 1;
    std::memcpy(r->summary, summary, n);
    r->summary[n] = '\0';
  }
  (reporter.last ? reporter.last->next : reporter.first) = r;
  reporter.last = r;
  reporter.count.fetch_add(1);
  writeJsonFile(false);
  if (reporter.observer)
    reporter.observer(*r, text.data());
  if (options().haltOnError) {
    reporter.lock.unlock();
    finalizeAndExit();
  }
}

std::uint32_t reportCount() { return reporter.count.load(); }

void countRepeat(Report* r) {
  std::atomic_ref<std::uint32_t>(r->repeats).fetch_add(1, std::memory_order_relaxed);
}

void appendRepeatSummary(TextBuffer& text) {
  SpinGuard guard(reporter.lock);
  for (const Report* r = reporter.first; r; r = r->next) {
    std::uint32_t repeats = repeatsOf(*r);
    if (repeats > 0)
      text.appendf("==%d== lockgraph: %s happened %u times; reported once\n", static_cast<int>(getpid()),
                   r->summary, repeats + 1);
  }
}

void setReportObserver(ReportObserver observer) { reporter.observer = observer; }

void finalizeRuntime() {
  if (reporter.finalized.exchange(true))
    return;
  // A program that never took a lock never started the runtime; the report
  // file it was asked for (empty) must exist all the same.
  if (!runtimeInitialized())
    loadOptionsFromEnvironment();
  {
    TextBuffer repeats;
    appendRepeatSummary(repeats);
    if (repeats.size())
      writeAll(2, repeats.data(), repeats.size());
  }
  if (options().stats && runtimeInitialized()) {
    TextBuffer text;
    text.appendf("==%d== lockgraph: lock statistics (ms)\n  %-40s %10s %10s %12s %12s %12s %12s\n",
                 static_cast<int>(getpid()), "lock", "holds", "contended", "hold total", "hold max",
                 "wait total", "wait max");
    appendStatistics(&text, nullptr);
    writeAll(2, text.data(), text.size());
  }
  SpinGuard guard(reporter.lock);
  writeJsonFile(true);
  writeGraphDirFile();
}

// The exit status the runtime imposes, or -1 to keep the program's: the
// findings status when anything was reported, 2 when the report file the
// user asked for could not be written (a run whose results are lost must
// not pass).
int imposedExitStatus() {
  int code = options().exitCode;
  if (reportCount() > 0 && code != 0)
    return code;
  return reporter.writeFailed.load() ? 2 : -1;
}

void finalizeAndExit() {
  finalizeRuntime();
  std::fflush(nullptr);
  int code = imposedExitStatus();
  _exit(code >= 0 ? code : 0);
}

bool startReportFile() {
  if (options().reportPath[0] == '\0')
    return true;
  SpinGuard guard(reporter.lock);
  writeJsonFile(false);
  return !reporter.writeFailed.load();
}

void lockReporterForFork() { reporter.lock.lock(); }
void unlockReporterAfterFork() { reporter.lock.unlock(); }
void resetReporterAfterFork() { reporter.lock.resetAfterFork(); }

namespace {
// Runs when the program exits normally (after main returns or exit()).
// Turning the exit status into exitcode is how CI notices findings.
__attribute__((destructor)) void finalizeAtExit() {
  finalizeRuntime();
  int code = imposedExitStatus();
  if (code >= 0) {
    std::fflush(nullptr);
    _exit(code);
  }
}
} // namespace

} // namespace lockgraph::rt
