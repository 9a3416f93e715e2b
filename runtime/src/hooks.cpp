// The public instrumentation entry points of lockgraph/hooks.h. Each one
// takes its own return address as the acquisition site: that is the call
// in lockgraph/mutex.h, inlined into the program's function when optimized.
#include "detector.h"

#include <lockgraph/hooks.h>

namespace lockgraph::detail {

#define LOCKGRAPH_CALLER_PC __builtin_return_address(0)

void register_lock(LockState& state, LockKind kind, const char* class_name,
                   const std::source_location& site) noexcept {
  rt::registerClass(state, kind, class_name, site.file_name(), static_cast<int>(site.line()),
                    static_cast<int>(site.column()));
}

void unregister_lock(LockState& state, bool still_locked) noexcept {
  rt::onDestroyed(state, still_locked, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) void before_blocking(LockState& state, AccessMode mode) noexcept {
  rt::onBeforeBlocking(state, rt::toAccess(mode), LOCKGRAPH_CALLER_PC);
}

void after_blocking(LockState& state) noexcept { rt::onAfterBlocking(state); }

__attribute__((noinline)) void acquired(LockState& state, AccessMode mode, bool may_fail) noexcept {
  rt::onAcquired(state, rt::toAccess(mode), may_fail, LOCKGRAPH_CALLER_PC);
}

__attribute__((noinline)) void released(LockState& state, AccessMode mode) noexcept {
  rt::Access access = rt::toAccess(mode);
  rt::onReleased(state, &access, LOCKGRAPH_CALLER_PC);
}

} // namespace lockgraph::detail
