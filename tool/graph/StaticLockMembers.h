//===- StaticLockMembers.h - Which member of a static object is a lock -----===//
//
// The runtime names a lock in static storage by its variable and the lock's
// offset inside it ('store()::s'+40), which tells two members apart but
// says little to a reader. When the module has debug information, the
// variable's type says which member lies at that offset: `Store::b`, or
// `Shard::mu` inside `shards[3]`. Read once per module, at link time, from
// the module file the runtime named (so the file must still be there).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_STATICLOCKMEMBERS_H
#define LOCKGRAPH_TOOL_STATICLOCKMEMBERS_H

#include "RuntimeReport.h"

#include <vector>

namespace lockgraph {

/// Sets RuntimeLock::Member for every lock of \p Reports inside a static
/// object whose module has debug information describing that object.
void nameStaticLockMembers(std::vector<RuntimeReport> &Reports);

} // namespace lockgraph

#endif
