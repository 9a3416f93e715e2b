// Async mutexes (a coroutine library's, through the async hooks of
// lockgraph/hooks.h) are held by an owner, a coroutine or task named by a
// token, not by the thread that happens to run it: a task may suspend
// holding one and resume on another thread, and one thread runs many
// tasks in turn. Each owner gets a held-lock stack of its own, a
// ThreadState bound to no thread, so the lock-order rules apply to tasks
// exactly as to threads.
#pragma once

#include "lock_state.h"
#include "thread_state.h"

namespace lockgraph::rt {

// An async mutex was acquired by `owner` (try/timed acquisitions: mayFail).
void onAsyncAcquired(LockState& lock, const void* owner, Access access, bool mayFail, const void* pc);
// `owner` releases it; a release by an owner that does not hold it is a
// bad-unlock, whichever thread runs either.
void onAsyncReleased(LockState& lock, const void* owner, Access access, const void* pc);

void lockAsyncOwnersForFork();
void unlockAsyncOwnersAfterFork();
void resetAsyncOwnersAfterFork();

} // namespace lockgraph::rt
