#include "detector.h"

#include "arena.h"
#include "async_owners.h"
#include "flat_map.h"
#include "lock_wrappers.h"
#include "options.h"
#include "os.h"
#include "spin_lock.h"
#include "symbolizer.h"
#include "text_buffer.h"
#include "thread_state.h"
#include "watchdog.h"

#include <cstring>
#include <new>
#include <pthread.h>
#include <unistd.h>

namespace lockgraph::rt {

namespace {

constexpr std::uint32_t kNodeCapacity = 1u << 21;
constexpr std::uint32_t kEdgeCapacity = 1u << 23;

struct NodeInfo {
  LockOrigin origin;
  LockKind kind;
  const char* name;
  const char* file;
  int line;
  const void* address;
  const void* firstSite;
  NodeId classNode; // for instance nodes of a lockgraph class
};

// First observation of an edge: what a report shows for it.
struct EdgeEvidence {
  StackId stack;
  const void* heldSite;
  int tid;
  std::uint32_t serial;
  Access held, acquired;
};

struct NodeStats {
  std::atomic<std::uint64_t> holds, contended, holdTotal, holdMax, waitTotal, waitMax;
};

// The statistics of a lock that is gone (stats=1), kept for the table at
// exit. Locks destroyed at one address share a row: the table stays as
// long as the number of places locks lived, not the number of locks.
struct RetiredStats {
  LockDescription lock;
  std::uint64_t holds, contended, holdTotal, holdMax, waitTotal, waitMax;
  RetiredStats* next;
};

// graph_dir: an order one of whose locks is gone. A test suite's fixtures
// are destroyed before the process ends, and their orders are what other
// processes' orders must be linked with; the graph drops them with the
// node, so they are kept here. Kept once per code path (the stacks of the
// order), so a lock created and destroyed a million times keeps one.
struct RetiredOrder {
  LockDescription from, to;
  ReportEdge edge; // from/to unused
  LockDescription gates[GateSet::kMax];
  std::uint32_t gateCount;
  RetiredOrder* next;
};
constexpr std::uint32_t kMaxRetiredOrders = 1u << 14;

struct Detector {
  SpinLock graphLock;
  LockGraph* graph = nullptr;
  NodeInfo* nodes = nullptr;
  EdgeEvidence* evidence = nullptr;
  NodeStats* stats = nullptr;
  FlatMap classes;        // class key -> node
  FlatMap reportedCycles; // cycle signature -> 1
  // Bumped each time a node id is handed out, so that a cycle among new
  // locks that got the ids of reported ones is not taken for the old one.
  std::uint32_t* nodeGeneration = nullptr;
  FlatMap reportedSites;  // long-hold site -> 1
  FlatMap reportedStacks; // (kind, stack) -> the Report, for findings counted per stack
  FlatMap retiredByIdentity; // retiredIdentity -> RetiredStats*
  RetiredStats* retired = nullptr;
  FlatMap retiredOrderPaths; // code path of a kept order -> 1
  RetiredOrder* retiredOrders = nullptr;
  std::uint32_t retiredOrderCount = 0;
};

Detector det;

void atforkPrepare() { prepareForkLocks(); }
void atforkParent() { releaseForkLocksInParent(); }
void atforkChild() { resetDetectorAfterFork(); }

void updateMax(std::atomic<std::uint64_t>& slot, std::uint64_t value) {
  std::uint64_t seen = slot.load(std::memory_order_relaxed);
  while (value > seen && !slot.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

LockDescription describeNode(NodeId node) {
  LockDescription d;
  d.node = node;
  if (node == kNoNode)
    return d;
  const NodeInfo& n = det.nodes[node];
  d.origin = n.origin;
  d.address = n.address;
  d.firstSite = n.firstSite;
  const NodeInfo& named = n.origin == LockOrigin::lockgraphInstance ? det.nodes[n.classNode] : n;
  d.name = named.name;
  d.file = named.file;
  d.line = named.line;
  return d;
}

NodeId addNodeLocked(const NodeInfo& info) {
  NodeId node = det.graph->addNode();
  if (node != kNoNode) {
    det.nodes[node] = info;
    ++det.nodeGeneration[node];
    NodeStats& s = det.stats[node];
    s.holds = s.contended = s.holdTotal = s.holdMax = s.waitTotal = s.waitMax = 0;
  }
  return node;
}

NodeId instanceNodeLocked(LockState& lock) {
  NodeId node = lock.instance_node.load(std::memory_order_acquire);
  if (node != kNoNode)
    return node;
  NodeInfo info{};
  info.origin = LockOrigin::lockgraphInstance;
  info.kind = lock.kind;
  info.address = &lock;
  info.classNode = lock.class_node;
  node = addNodeLocked(info);
  lock.instance_node.store(node, std::memory_order_release);
  return node;
}

std::uint64_t cycleSignature(const CyclePath& path) {
  std::uint64_t sum = path.length;
  for (std::uint32_t i = 0; i < path.length; ++i) {
    NodeId from = det.graph->edge(path.edges[i]).from;
    sum += mixHash(mixHash(0x5167ull, from), det.nodeGeneration[from]);
  }
  return sum | 1;
}

Report* inversionReportLocked(const CyclePath& path, ThreadState* t, StackId stack) {
  Report* r = newReport(ReportKind::lockOrderInversion);
  r->tid = t->osTid;
  r->threadSerial = t->serial;
  r->stack = stack;
  for (std::uint32_t i = 0; i < path.length; ++i) {
    if (r->edgeCount == Report::kMaxEdges) {
      r->edgesOmitted = path.length - i;
      break;
    }
    const Edge& e = det.graph->edge(path.edges[i]);
    const EdgeEvidence& ev = det.evidence[path.edges[i]];
    ReportEdge& out = r->edges[r->edgeCount++];
    out.from = r->addLock(describeNode(e.from));
    out.to = r->addLock(describeNode(e.to));
    out.held = ev.held;
    out.acquired = ev.acquired;
    out.tid = ev.tid;
    out.threadSerial = ev.serial;
    out.stack = ev.stack;
    out.heldSite = ev.heldSite;
  }
  return r;
}

} // namespace

// Adds the edges from every held lock to `lock`; returns whether all of
// them are in the graph (only then may the chain be cached).
bool validateChain(ThreadState* t, LockState& lock, Access access, const void* pc) {
  if (!runtimeInitialized())
    return false;
  restartWatchdogAfterFork();
  if (access == Access::exclusive && chainSettled(t, lock))
    return true;
  RuntimeScope scope(t);
  // Captured when first needed: most chains a thread has not cached yet
  // consist of edges the graph has (another thread made them).
  StackId stack = kNoStack;
  auto stackHere = [&] {
    if (stack == kNoStack)
      stack = captureStack(pc, options().stackDepth);
    return stack;
  };
  Report* report = nullptr;
  bool complete = true;
  {
    SpinGuard guard(det.graphLock);
    std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
    HeldLock* held = t->held;
    for (std::uint32_t i = 0; i < depth; ++i) {
      HeldLock& h = held[i];
      if (h.lock == &lock)
        continue;
      NodeId from = h.classNode, to = lock.class_node;
      if (from == to) {
        // Two instances of one class nested: order them as instances, or
        // every transfer(a, b) would look like a cycle on the class.
        from = instanceNodeLocked(*h.lock);
        to = instanceNodeLocked(lock);
      }
      // The outermost other held locks are the likely gates.
      GateSet gates;
      for (std::uint32_t j = 0; j < depth && gates.count < GateSet::kMax; ++j)
        if (j != i && held[j].lock != &lock)
          gates.add(held[j].classNode);
      LockGraph::InsertResult r = det.graph->insertEdge(from, to, h.access, access, gates);
      if (r.edge == kNoEdge) {
        complete = false;
        continue;
      }
      if (r.created)
        det.evidence[r.edge] = EdgeEvidence{stackHere(), h.site, t->osTid, t->serial, h.access, access};
      if (!r.mayCloseCycle || report != nullptr)
        continue;
      CyclePath path;
      if (!det.graph->findCycle(r.edge, h.access, access, &path))
        continue;
      GateSet common = det.graph->edge(path.edges[0]).gates;
      for (std::uint32_t k = 1; k < path.length; ++k)
        common.intersectWith(det.graph->edge(path.edges[k]).gates);
      if (common.count > 0)
        continue; // every edge was made under one gate lock
      bool fresh = false;
      det.reportedCycles.insert(cycleSignature(path), 1, &fresh);
      if (fresh)
        report = inversionReportLocked(path, t, stackHere());
    }
  }
  if (report)
    emitReport(report);
  return complete;
}

namespace {

Report* singleLockReportAt(ReportKind kind, ThreadState* t, LockState& lock, StackId stack) {
  Report* r = newReport(kind);
  r->tid = t->osTid;
  r->threadSerial = t->serial;
  r->stack = stack;
  r->lock = r->addLock(describeLock(lock));
  return r;
}

Report* singleLockReport(ReportKind kind, ThreadState* t, LockState& lock, const void* pc) {
  return singleLockReportAt(kind, t, lock, captureStack(pc, options().stackDepth));
}

// A new report of `kind` at `stack`, or nullptr when one was made before:
// that one's occurrence count grows instead. A faulty call in a loop is
// then one report, not thousands.
Report* singleLockReportOncePerStack(ReportKind kind, ThreadState* t, LockState& lock, StackId stack) {
  SpinGuard guard(det.graphLock);
  std::uint64_t key = mixHash(static_cast<std::uint64_t>(kind) + 1, stack) | 1;
  if (key == ~std::uint64_t{0})
    key = 1; // FlatMap's erased marker
  bool fresh = false;
  std::uint64_t* slot = det.reportedStacks.insert(key, 0, &fresh);
  if (!fresh) {
    countRepeat(reinterpret_cast<Report*>(*slot));
    return nullptr;
  }
  Report* r = singleLockReportAt(kind, t, lock, stack);
  *slot = reinterpret_cast<std::uintptr_t>(r);
  return r;
}

int findHeld(ThreadState* t, const LockState& lock) {
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  for (std::uint32_t i = depth; i-- > 0;)
    if (t->held[i].lock == &lock)
      return static_cast<int>(i);
  return -1;
}

// A thread other than `except` holding `lock`, or nullptr.
ThreadState* holderOf(const LockState& lock, const ThreadState* except) {
  for (ThreadState* t = firstThread(); t; t = t->next) {
    if (t == except || !t->inUse.load(std::memory_order_acquire) || releasedByOther(t, &lock))
      continue;
    std::uint32_t depth = t->depth.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < depth && i < t->capacity; ++i)
      if (t->held[i].lock == &lock)
        return t;
  }
  return nullptr;
}

// Where `t` acquired `lock`, which it holds (nullptr when it no longer
// does). Reads another thread's held stack, as holderOf does.
const void* heldSiteIn(const ThreadState* t, const LockState& lock) {
  std::uint32_t depth = t->depth.load(std::memory_order_acquire);
  for (std::uint32_t i = 0; i < depth && i < t->capacity; ++i)
    if (t->held[i].lock == &lock)
      return t->held[i].site;
  return nullptr;
}

int ownerOf(const LockState& lock, const ThreadState* except) {
  ThreadState* t = holderOf(lock, except);
  return t ? t->osTid : 0;
}

std::uint64_t retiredIdentity(const LockDescription& d) {
  std::uint64_t key = mixHash(static_cast<std::uint64_t>(d.origin) + 7,
                              reinterpret_cast<std::uintptr_t>(d.address));
  key = mixHash(key, reinterpret_cast<std::uintptr_t>(d.name));
  key = mixHash(key, reinterpret_cast<std::uintptr_t>(d.file));
  key = mixHash(key, static_cast<std::uint64_t>(d.line)) | 1;
  return key == ~std::uint64_t{0} ? 1 : key; // FlatMap's erased marker
}

// Keeps the statistics of a node about to be dropped (stats=1).
void retireStatsLocked(NodeId node) {
  NodeStats& s = det.stats[node];
  std::uint64_t holds = s.holds.load(std::memory_order_relaxed);
  std::uint64_t contended = s.contended.load(std::memory_order_relaxed);
  if (holds == 0 && contended == 0)
    return;
  LockDescription d = describeNode(node);
  bool fresh = false;
  std::uint64_t* slot = det.retiredByIdentity.insert(retiredIdentity(d), 0, &fresh);
  if (fresh) {
    auto* r = static_cast<RetiredStats*>(globalArena().allocate(sizeof(RetiredStats)));
    *r = RetiredStats{d, 0, 0, 0, 0, 0, 0, det.retired};
    det.retired = r;
    *slot = reinterpret_cast<std::uintptr_t>(r);
  }
  auto* r = reinterpret_cast<RetiredStats*>(*slot);
  r->holds += holds;
  r->contended += contended;
  r->holdTotal += s.holdTotal.load(std::memory_order_relaxed);
  r->waitTotal += s.waitTotal.load(std::memory_order_relaxed);
  std::uint64_t holdMax = s.holdMax.load(std::memory_order_relaxed);
  std::uint64_t waitMax = s.waitMax.load(std::memory_order_relaxed);
  r->holdMax = holdMax > r->holdMax ? holdMax : r->holdMax;
  r->waitMax = waitMax > r->waitMax ? waitMax : r->waitMax;
}

void keepRetiredOrderLocked(EdgeId id, NodeId gone) {
  const Edge& e = det.graph->edge(id);
  const EdgeEvidence& ev = det.evidence[id];
  std::uint64_t path = mixHash(mixHash(ev.stack + 1, reinterpret_cast<std::uintptr_t>(ev.heldSite)),
                               static_cast<std::uint64_t>(ev.held) * 2 + static_cast<std::uint64_t>(ev.acquired));
  path = path == ~std::uint64_t{0} || path == 0 ? 1 : path; // FlatMap's markers
  bool fresh = false;
  if (det.retiredOrderCount >= kMaxRetiredOrders || det.retiredOrderPaths.find(path))
    return;
  det.retiredOrderPaths.insert(path, 1, &fresh);
  auto* r = static_cast<RetiredOrder*>(globalArena().allocate(sizeof(RetiredOrder)));
  r->from = describeNode(e.from);
  r->to = describeNode(e.to);
  (e.from == gone ? r->from : r->to).retired = true;
  r->edge = ReportEdge{0, 0, ev.held, ev.acquired, ev.tid, ev.serial, ev.stack, ev.heldSite};
  r->gateCount = 0;
  for (std::uint32_t g = 0; g < e.gates.count; ++g)
    if (det.graph->isLive(e.gates.nodes[g]))
      r->gates[r->gateCount++] = describeNode(e.gates.nodes[g]);
  r->next = det.retiredOrders;
  det.retiredOrders = r;
  ++det.retiredOrderCount;
}

// Keeps the orders of a node about to be dropped (graph_dir).
void keepRetiredOrdersLocked(NodeId node) {
  for (EdgeId id = det.graph->firstOutEdge(node); id != kNoEdge; id = det.graph->edge(id).nextOut)
    keepRetiredOrderLocked(id, node);
  for (EdgeId id = det.graph->firstInEdge(node); id != kNoEdge; id = det.graph->edge(id).nextIn)
    keepRetiredOrderLocked(id, node);
}

bool removeNodeLocked(NodeId node) {
  if (options().stats)
    retireStatsLocked(node);
  if (options().graphDir[0] != '\0')
    keepRetiredOrdersLocked(node);
  return det.graph->removeNode(node);
}

void dropNodesLocked(LockState& lock) {
  // Node ids are reused, so chains that mention a dropped node must leave
  // every thread's cache; a node that never had an edge is in no validated
  // chain, and most locks (taken alone) leave the caches alone.
  bool inSomeChain = false;
  if (NodeId inst = lock.instance_node.exchange(kNoNode))
    inSomeChain |= det.graph->removeNode(inst);
  if ((lock.flags & kNodePerInstance) && lock.class_node != kNoNode) {
    inSomeChain |= removeNodeLocked(lock.class_node);
    lock.class_node = kNoNode;
    updateFastEligibility(lock);
  }
  if (inSomeChain)
    chainCacheEpoch.fetch_add(1, std::memory_order_release);
}

} // namespace

std::atomic<std::uint64_t> chainCacheEpoch{0};
const LockGraph* orderGraph = nullptr;

void removeHeldBelowTop(ThreadState* t, std::uint32_t index) {
  std::uint32_t depth = t->depth.load(std::memory_order_relaxed);
  HeldLock* held = t->held;
  for (std::uint32_t j = index; j + 1 < depth; ++j) {
    held[j] = held[j + 1];
    // The chain above the released lock no longer contains it.
    held[j].chainKey = j ? chainStep(held[j - 1].chainKey, partOf(held[j])) : partOf(held[j]);
  }
  t->depth.store(depth - 1, std::memory_order_release);
}

bool dropHoldsReleasedByOthers(ThreadState* t) {
  bool dropped = false;
  for (auto& slot : t->releasedByOthers) {
    LockState* lock = slot.exchange(nullptr, std::memory_order_acq_rel);
    if (lock == nullptr)
      continue;
    t->releasedByOthersCount.fetch_sub(1, std::memory_order_relaxed);
    int i = findHeld(t, *lock);
    if (i < 0)
      continue; // released here as well meanwhile
    dropped = true;
    if (t->held[i].recursion > 0)
      --t->held[i].recursion; // one release of a recursive hold
    else
      removeHeldBelowTop(t, static_cast<std::uint32_t>(i));
  }
  return dropped;
}

std::atomic<int> runtimeState{0};

void optionsChanged() {
  Options& o = options();
  // Sites past out-of-line lock wrappers need the walk of SiteScope, which
  // only the general paths make.
  o.fastPathOff = o.timing() || lockWrappersOutOfLine.load(std::memory_order_relaxed);
  for (ThreadState* t = firstThread(); t; t = t->next)
    t->fastPathOff = o.fastPathOff;
}

namespace {
void initialize() {
  loadOptionsFromEnvironment();
  findLockWrappers();
  optionsChanged();
  // Like a malformed option: better stopped now than a run whose report is lost.
  if (!startReportFile())
    _exit(2);
  void* graphMemory = mapPages(sizeof(LockGraph));
  det.graph = new (graphMemory) LockGraph(kNodeCapacity, kEdgeCapacity);
  orderGraph = det.graph;
  det.nodes = static_cast<NodeInfo*>(mapPages(sizeof(NodeInfo) * (kNodeCapacity + 1)));
  det.stats = static_cast<NodeStats*>(mapPages(sizeof(NodeStats) * (kNodeCapacity + 1)));
  det.nodeGeneration = static_cast<std::uint32_t*>(mapPages(sizeof(std::uint32_t) * (kNodeCapacity + 1)));
  det.evidence = static_cast<EdgeEvidence*>(mapPages(sizeof(EdgeEvidence) * (kEdgeCapacity + 1)));
  pthread_atfork(atforkPrepare, atforkParent, atforkChild);
  runtimeState.store(2, std::memory_order_release);
  if (options().deadlockTimeoutMs > 0)
    startWatchdog();
}
} // namespace

void ensureRuntimeInitialized() {
  if (runtimeInitialized())
    return;
  initializeSlow();
}

namespace {
__thread bool initializingHere __attribute__((tls_model("initial-exec"))) = false;
} // namespace

bool initializeSlow() {
  if (runtimeInitialized())
    return true;
  if (initializingHere)
    return false; // a pthread call made by the initialization itself
  int expected = 0;
  if (runtimeState.compare_exchange_strong(expected, 1)) {
    initializingHere = true;
    initialize();
    initializingHere = false;
    return true;
  }
  // Another thread is initializing: its locks and this thread's must both
  // be seen, or a lock taken now would be missing from the held stacks.
  while (!runtimeInitialized())
    sched_yield();
  return true;
}

void registerClass(LockState& lock, LockKind kind, const char* name, const char* file, int line,
                   int column) {
  ensureRuntimeInitialized();
  RuntimeScope scope(currentThread());
  lock.kind = kind;
  lock.flags = 0;
  lock.instance_node.store(kNoNode, std::memory_order_relaxed);
  std::uint64_t key = 0x636c617373ull;
  const char* text = name ? name : file;
  for (const char* p = text ? text : ""; *p; ++p)
    key = mixHash(key, static_cast<unsigned char>(*p));
  if (name == nullptr)
    key = mixHash(mixHash(key, static_cast<std::uint64_t>(line)), static_cast<std::uint64_t>(column));
  key |= 1;
  SpinGuard guard(det.graphLock);
  if (std::uint64_t* node = det.classes.find(key)) {
    lock.class_node = static_cast<NodeId>(*node);
    updateFastEligibility(lock);
    return;
  }
  NodeInfo info{};
  info.origin = LockOrigin::lockgraphClass;
  info.kind = kind;
  info.name = globalArena().copyString(name);
  info.file = globalArena().copyString(file);
  info.line = line;
  lock.class_node = addNodeLocked(info);
  if (lock.class_node != kNoNode)
    det.classes.insert(key, lock.class_node, nullptr);
  updateFastEligibility(lock);
}

bool registerInstance(LockState& lock, LockKind kind, LockOrigin origin, const void* address) {
  ensureRuntimeInitialized();
  restartWatchdogAfterFork();
  RuntimeScope scope(currentThread());
  lock.kind = kind;
  lock.instance_node.store(kNoNode, std::memory_order_relaxed);
  NodeInfo info{};
  info.origin = origin;
  info.kind = kind;
  info.address = address;
  SpinGuard guard(det.graphLock);
  lock.class_node = addNodeLocked(info);
  updateFastEligibility(lock);
  return lock.class_node != kNoNode;
}

void reportRelockIfItBlocks(ThreadState* t, LockState& lock, int heldIndex, Access access,
                            const void* pc) {
  Access heldAccess = t->held[heldIndex].access;
  bool blocksForever = lock.kind == LockKind::plain || heldAccess == Access::exclusive ||
                       access == Access::exclusive;
  if (!blocksForever)
    return; // a second read lock
  Report* r;
  {
    RuntimeScope scope(t);
    r = singleLockReport(ReportKind::recursiveLock, t, lock, pc);
    r->site = t->held[heldIndex].site;
  }
  // Then the thread goes on to wait for itself, as it would without
  // lockgraph (ThreadSanitizer does the same): halt_on_error ends the process
  // in emitReport, and the watchdog, when on, reports the self-deadlock.
  // Ending the process here would be the wrong call when the report is
  // wrong or the program recovers (a timed wait elsewhere, a coroutine that
  // moved the hold to another thread).
  emitReport(r);
}

void onWaitBegin(LockState& lock, Access access, const void* pc) {
  ThreadState* t = currentThread();
  if (t->inRuntime)
    return;
  restartWatchdogAfterFork();
  const Options& o = options();
  t->waitingAccess = access;
  t->waitingSince = monotonicNanos();
  t->waitingStack = kNoStack;
  if (o.deadlockTimeoutMs > 0) {
    RuntimeScope scope(t);
    t->waitingStack = captureStack(pc, o.stackDepth);
  }
  t->waitingFor.store(&lock, std::memory_order_release);
}

void onWaitEnd(LockState& lock) {
  ThreadState* t = currentThreadIfAny();
  if (t == nullptr || t->waitingFor.load(std::memory_order_relaxed) != &lock)
    return;
  t->waitingFor.store(nullptr, std::memory_order_release);
  if (options().timing() && lock.class_node != kNoNode) {
    std::uint64_t waited = monotonicNanos() - t->waitingSince;
    NodeStats& s = det.stats[lock.class_node];
    s.contended.fetch_add(1, std::memory_order_relaxed);
    s.waitTotal.fetch_add(waited, std::memory_order_relaxed);
    updateMax(s.waitMax, waited);
  }
}

void reportUnheldRelease(ThreadState* t, LockState& lock, int heldIndex, const void* pc) {
  Report* r;
  {
    RuntimeScope scope(t);
    ThreadState* holder = holderOf(lock, t);
    // The real unlock follows: the holder's entry is stale from now on.
    if (heldIndex < 0 && holder)
      postReleasedByOther(holder, &lock);
    r = singleLockReportOncePerStack(ReportKind::badUnlock, t, lock,
                                     captureStack(pc, options().stackDepth));
    if (r == nullptr)
      return;
    r->ownerTid = holder ? holder->osTid : 0;
    // Async mutexes are made to be held across suspensions: a release by
    // another owner is a plain bad-unlock, never lock-across-await.
    r->asyncOwners = t->asyncOwner != nullptr || (holder && holder->asyncOwner != nullptr);
    if (heldIndex >= 0)
      r->site = t->held[heldIndex].site;
    else if (holder)
      r->site = heldSiteIn(holder, lock); // a coroutine's acquisition, before it moved
  }
  emitReport(r);
}

void recordHoldTime(ThreadState* t, const HeldLock& h, LockState& lock, const void* pc) {
  if (h.classNode == kNoNode)
    return;
  std::uint64_t heldFor = monotonicNanos() - h.acquiredAt;
  NodeStats& s = det.stats[h.classNode];
  s.holds.fetch_add(1, std::memory_order_relaxed);
  s.holdTotal.fetch_add(heldFor, std::memory_order_relaxed);
  updateMax(s.holdMax, heldFor);
  // The first place the lock was held names it in the statistics: a lock
  // that is in no lock-order edge has no other acquisition site to be
  // matched to the static analysis by (lockgraph check --runtime).
  const void* unset = nullptr;
  __atomic_compare_exchange_n(&det.nodes[h.classNode].firstSite, &unset, h.site, false, __ATOMIC_RELAXED,
                              __ATOMIC_RELAXED);
  std::uint64_t threshold = options().longHoldMs * 1000000ull;
  if (threshold == 0 || heldFor <= threshold)
    return;
  Report* r = nullptr;
  {
    RuntimeScope scope(t);
    bool fresh = false;
    {
      SpinGuard guard(det.graphLock);
      det.reportedSites.insert(reinterpret_cast<std::uintptr_t>(h.site) | 1, 1, &fresh);
    }
    if (fresh) {
      r = singleLockReport(ReportKind::longHold, t, lock, pc);
      r->site = h.site;
      r->durationNs = heldFor;
      r->thresholdNs = threshold;
    }
  }
  if (r)
    emitReport(r);
}

void onDestroyed(LockState& lock, bool stillLocked, const void* pc) {
  ThreadState* t = currentThread();
  if (t->inRuntime)
    return;
  int i = findHeld(t, lock);
  if (stillLocked || i >= 0) {
    Report* r;
    {
      RuntimeScope scope(t);
      r = singleLockReport(ReportKind::destroyLocked, t, lock, pc);
      r->ownerTid = i >= 0 ? t->osTid : ownerOf(lock, t);
      if (i >= 0)
        r->site = t->held[i].site;
    }
    emitReport(r);
    if (i >= 0)
      removeHeldBelowTop(t, static_cast<std::uint32_t>(i));
  }
  if (!runtimeInitialized())
    return;
  RuntimeScope scope(t);
  SpinGuard guard(det.graphLock);
  dropNodesLocked(lock);
}

int lockHolderTid(const LockState& lock) { return ownerOf(lock, nullptr); }

bool heldByCurrentThread(const LockState& lock) {
  ThreadState* t = currentThreadIfAny();
  return t && findHeld(t, lock) >= 0;
}

LockDescription describeLock(const LockState& lock) {
  LockDescription d = describeNode(lock.class_node);
  if (d.origin == LockOrigin::lockgraphClass)
    d.address = &lock;
  return d;
}

bool hasOrderEdge(const LockState& from, const LockState& to) {
  SpinGuard guard(det.graphLock);
  NodeId a = from.class_node, b = to.class_node;
  if (a == b) {
    a = from.instance_node.load();
    b = to.instance_node.load();
  }
  return det.graph->findEdge(a, b) != kNoEdge;
}

std::uint32_t orderEdgeCount() {
  SpinGuard guard(det.graphLock);
  return det.graph->edgeCount();
}

GraphDump snapshotGraph() {
  GraphDump out;
  if (!runtimeInitialized())
    return out;
  SpinGuard guard(det.graphLock);
  std::uint32_t nodeLimit = det.graph->nodeLimit();
  Arena& arena = globalArena();
  // lockIndex[node] is 1 + the node's index in out.locks, 0 while unseen.
  auto* lockIndex = static_cast<std::uint32_t*>(arena.allocate(sizeof(std::uint32_t) * nodeLimit));
  std::memset(lockIndex, 0, sizeof(std::uint32_t) * nodeLimit);
  std::uint32_t retired = det.retiredOrderCount;
  out.locks = static_cast<LockDescription*>(
      arena.allocate(sizeof(LockDescription) * (nodeLimit + retired * (2 + GateSet::kMax))));
  out.edges = static_cast<GraphDumpEdge*>(
      arena.allocate(sizeof(GraphDumpEdge) * (det.graph->edgeCount() + retired + 1)));
  auto lockOf = [&](NodeId n) {
    if (lockIndex[n] == 0) {
      out.locks[out.lockCount] = describeNode(n);
      lockIndex[n] = ++out.lockCount;
    }
    return lockIndex[n] - 1;
  };
  for (NodeId n = 1; n < nodeLimit; ++n) {
    for (EdgeId id = det.graph->firstOutEdge(n); id != kNoEdge; id = det.graph->edge(id).nextOut) {
      const Edge& e = det.graph->edge(id);
      const EdgeEvidence& ev = det.evidence[id];
      GraphDumpEdge& d = out.edges[out.edgeCount++];
      d.edge = ReportEdge{lockOf(e.from), lockOf(e.to), ev.held, ev.acquired, ev.tid, ev.serial,
                          ev.stack, ev.heldSite};
      d.gateCount = 0;
      for (std::uint32_t g = 0; g < e.gates.count; ++g)
        if (det.graph->isLive(e.gates.nodes[g]))
          d.gates[d.gateCount++] = lockOf(e.gates.nodes[g]);
    }
  }
  // Kept orders name their locks as they were: a retired lock is its own
  // entry; a live one may be listed again (the reader knows it by address).
  for (const RetiredOrder* r = det.retiredOrders; r; r = r->next) {
    auto add = [&](const LockDescription& d) {
      out.locks[out.lockCount] = d;
      return out.lockCount++;
    };
    GraphDumpEdge& d = out.edges[out.edgeCount++];
    d.edge = r->edge;
    d.edge.from = add(r->from);
    d.edge.to = add(r->to);
    d.gateCount = r->gateCount;
    for (std::uint32_t g = 0; g < r->gateCount; ++g)
      d.gates[g] = add(r->gates[g]);
  }
  return out;
}

namespace {

struct StatsRow {
  std::uint64_t holds, contended, holdTotal, holdMax, waitTotal, waitMax;
};

void appendStatisticsRow(TextBuffer* text, TextBuffer* json, bool* first, const LockDescription& d,
                         const StatsRow& s, bool destroyed) {
  char name[640];
  int n;
  if (d.name)
    n = std::snprintf(name, sizeof(name), "%s", d.name);
  else if (d.file)
    n = std::snprintf(name, sizeof(name), "%s:%d", d.file, d.line);
  else if (const char* variable = symbolizeData(d.address))
    n = std::snprintf(name, sizeof(name), "%s (%p)", variable, d.address);
  else
    n = std::snprintf(name, sizeof(name), "%p", d.address);
  if (destroyed && n >= 0 && static_cast<std::size_t>(n) < sizeof(name))
    std::snprintf(name + n, sizeof(name) - n, " (destroyed)");
  if (text)
    text->appendf("  %-40s %10llu %10llu %12.3f %12.3f %12.3f %12.3f\n", name,
                  (unsigned long long)s.holds, (unsigned long long)s.contended, s.holdTotal / 1e6,
                  s.holdMax / 1e6, s.waitTotal / 1e6, s.waitMax / 1e6);
  if (json) {
    json->append(*first ? "\n    {" : ",\n    {");
    json->append("\"lock\": ");
    json->appendJsonString(name);
    json->appendf(", \"holds\": %llu, \"contended\": %llu, \"hold_ns_total\": %llu, "
                  "\"hold_ns_max\": %llu, \"wait_ns_total\": %llu, \"wait_ns_max\": %llu, "
                  "\"destroyed\": %s, \"acquired_at\": ",
                  (unsigned long long)s.holds, (unsigned long long)s.contended,
                  (unsigned long long)s.holdTotal, (unsigned long long)s.holdMax,
                  (unsigned long long)s.waitTotal, (unsigned long long)s.waitMax,
                  destroyed ? "true" : "false");
    appendSiteJson(*json, d.firstSite);
    json->append("}");
  }
  *first = false;
}

} // namespace

void appendStatistics(TextBuffer* text, TextBuffer* json) {
  if (!runtimeInitialized())
    return;
  bool first = true;
  SpinGuard guard(det.graphLock);
  for (NodeId n = 1; n < det.graph->nodeLimit(); ++n) {
    if (!det.graph->isLive(n))
      continue;
    const NodeStats& s = det.stats[n];
    StatsRow row{s.holds.load(), s.contended.load(), s.holdTotal.load(),
                 s.holdMax.load(), s.waitTotal.load(), s.waitMax.load()};
    if (row.holds == 0 && row.contended == 0)
      continue;
    appendStatisticsRow(text, json, &first, describeNode(n), row, false);
  }
  for (const RetiredStats* r = det.retired; r; r = r->next)
    appendStatisticsRow(text, json, &first, r->lock,
                        StatsRow{r->holds, r->contended, r->holdTotal, r->holdMax, r->waitTotal,
                                 r->waitMax},
                        true);
}

// Every internal lock is taken before fork(), in the order the runtime
// nests them (reporter, graph, stack depot, arena), so the child starts from
// consistent tables whatever the other threads were doing.
void prepareForkLocks() {
  lockReporterForFork();
  det.graphLock.lock();
  lockStackDepotForFork();
  lockAsyncOwnersForFork();
  globalArena().lockForFork();
}

void releaseForkLocksInParent() {
  globalArena().unlockAfterFork();
  unlockAsyncOwnersAfterFork();
  unlockStackDepotAfterFork();
  det.graphLock.unlock();
  unlockReporterAfterFork();
}

void resetDetectorAfterFork() {
  det.graphLock.resetAfterFork();
  globalArena().resetAfterFork();
  resetStackDepotAfterFork();
  resetAsyncOwnersAfterFork();
  resetReporterAfterFork();
  resetSymbolizerAfterFork();
  resetThreadsAfterFork();
  resetWatchdogAfterFork();
}

} // namespace lockgraph::rt
