// The deadlock watchdog: a background thread that looks for threads blocked
// in lock waits longer than deadlock_timeout_ms and, when their wait-for
// relation forms a cycle, reports `deadlock` and ends the process.
#pragma once

namespace lockgraph::rt {

void startWatchdog();
// Scans once; returns whether a deadlock was reported. The background
// thread calls it periodically; tests may call it directly.
bool checkForDeadlock();
void resetWatchdogAfterFork();
// In a forked child whose parent ran the watchdog: starts the child's.
// Called from the runtime's slow paths (new locks, new orders, waits).
void restartWatchdogAfterFork();

} // namespace lockgraph::rt
