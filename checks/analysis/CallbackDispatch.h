//===- CallbackDispatch.h - Virtual callbacks the whole program clears -----===//
//
// lockgraph-callback-under-lock reports a virtual call made under a lock
// unless every override that can run is known to it and harmless
// (KnownOverrides.h); one translation unit knows them all only when the
// hierarchy is closed to it. A class declared in a project header with its
// overrides defined in several files is reported by the unit, which
// records the method the call dispatches to (VirtualCallbackFact). The
// link, which has every unit's virtual methods with the verdict of the same
// rule (FunctionFacts::Harmless), decides here which of those findings
// call only harmless code.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_CALLBACKDISPATCH_H
#define LOCKGRAPH_ANALYSIS_CALLBACKDISPATCH_H

#include "analysis/LockOrderFacts.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace lockgraph {

constexpr const char *CallbackUnderLockCheckName = "lockgraph-callback-under-lock";

/// Whether the virtual call \p Call records may run only harmless code: the
/// method's own body unless it is pure, and the body of every override in
/// \p Overriders (transitive), each with a harmless verdict in \p Verdicts
/// (FunctionFacts::Harmless of every unit, by id). False when one has no
/// verdict (defined in no analysed unit) or is not harmless; when there is
/// no implementation at all (an interface the program's users implement);
/// and when the method's class is abstract and the program overrides it
/// nowhere (an observer interface with empty default hooks: the observers
/// are outside the program).
bool dispatchRunsOnlyHarmlessCode(const VirtualCallbackFact &Call,
                                  const std::unordered_map<std::string, bool> &Verdicts,
                                  const std::unordered_map<std::string, std::vector<std::string>> &Overriders);

/// The findings of \p Callbacks (every unit's) whose call runs only
/// harmless code. A finding several units recorded (a header's inline
/// function) is cleared when each record says so.
std::vector<VirtualCallbackFact>
harmlessVirtualCallbacks(const std::vector<VirtualCallbackFact> &Callbacks,
                         const std::unordered_map<std::string, bool> &Verdicts,
                         const std::unordered_map<std::string, std::vector<std::string>> &Overriders);

} // namespace lockgraph

#endif
