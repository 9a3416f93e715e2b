// The detector: turns lock events into lock-order graph updates and
// findings. Both front ends use it: the lockgraph:: types (through the
// hooks in lockgraph/hooks.h) and the pthread interposers of the preload
// library. `pc` is the return address of the front end's entry point; it is
// where stacks start and the acquisition site that reports show.
#pragma once

#include "lock_state.h"
#include "report.h"

namespace lockgraph::rt {

// Maps the tables, reads LOCKGRAPH_OPTIONS, installs fork handlers and the
// watchdog. Idempotent and thread-safe; cheap after the first call.
void ensureRuntimeInitialized();
bool runtimeInitialized();
// For interposers, which may be called from inside the initialization
// itself: initializes unless another call on the way is already doing it,
// and says whether the runtime is ready. Never waits.
bool initializeUnlessInProgress();

// Gives `lock` the class identified by `name` (when non-null) or by the
// declaration site.
void registerClass(LockState& lock, LockKind kind, const char* name, const char* file,
                   int line, int column);
// Gives `lock` a node of its own (pthread locks). Returns false when the
// graph is full; the lock then goes unobserved.
bool registerInstance(LockState& lock, LockKind kind, LockOrigin origin, const void* address);

void onBeforeBlocking(LockState& lock, Access access, const void* pc);
void onAfterBlocking(LockState& lock);
void onAcquired(LockState& lock, Access access, bool mayFail, const void* pc);
// `expected` is the access being released, or nullptr when the unlock call
// does not say (pthread_rwlock_unlock).
void onReleased(LockState& lock, const Access* expected, const void* pc);
// The lock is being destroyed (or re-initialized); `stillLocked` tells
// whether anyone holds it.
void onDestroyed(LockState& lock, bool stillLocked, const void* pc);
// Whether the calling thread holds `lock`.
bool heldByCurrentThread(const LockState& lock);
// The OS thread id of some thread holding `lock`, or 0.
int lockHolderTid(const LockState& lock);

// Describes the lock for a report; safe while `lock` is alive.
LockDescription describeLock(const LockState& lock);

// Per-lock hold/wait statistics, text table and JSON array.
class TextBuffer;
void appendStatistics(TextBuffer* text, TextBuffer* json);

// Test support: whether the graph has an edge between the classes (or
// instance nodes) of two locks, and how many edges it has.
bool hasOrderEdge(const LockState& from, const LockState& to);
std::uint32_t orderEdgeCount();

void prepareForkLocks();
void releaseForkLocksInParent();
void resetDetectorAfterFork();

} // namespace lockgraph::rt
