//===- TranslationUnitFacts.h - Lock-order facts shared by the checks ------===//
//
// lockgraph-lock-order and lockgraph-double-lock read the same facts and
// the same linked findings; they are computed once per translation unit,
// on the thread analysing it, whichever check asks first.
//
// A whole-program driver (`lockgraph check`, `lockgraph facts`) installs a
// facts sink: the facts then go to the sink, which links them with every
// other translation unit's, and the checks report nothing themselves, so
// that no finding is reported twice. They go at the end of the unit, so
// that other checks can add to them what only they see
// (recordVirtualCallback). blocking-under-lock and callback-under-lock ask
// for the facts too when a sink is installed: what other files do is found
// in the linked facts, also when no lock-order check is enabled.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TRANSLATIONUNITFACTS_H
#define LOCKGRAPH_TRANSLATIONUNITFACTS_H

#include "analysis/BlockingCalls.h"
#include "analysis/LockOrderLinker.h"
#include "model/LockModel.h"

#include "clang/AST/ASTContext.h"
#include <functional>

namespace lockgraph {

/// Receives each translation unit's facts, with its source manager (to see
/// which files went into it). Called on the analysing thread: must be
/// thread-safe.
using FactsSink = std::function<void(TUFacts Facts, const clang::SourceManager &SM)>;

/// Installs \p Sink for the whole process (null removes it). Call before
/// any analysis starts.
void setFactsSink(FactsSink Sink);
bool hasFactsSink();

/// Forgets the previous translation unit's results on this thread; checks
/// call it as each translation unit starts.
void beginTranslationUnitFacts();

/// Hands this unit's facts to the sink, if they wait for it; checks call it
/// as the unit ends, when every check has added what it records (below).
void endTranslationUnitFacts();

/// Whether this unit's facts wait for the end of the unit to go to a sink:
/// what checks record now is linked with the whole program.
bool translationUnitFactsPending();

/// Adds \p Fact to this unit's facts (when they are pending): the
/// callback check's findings on virtual calls, which the link decides
/// with every unit's overrides.
void recordVirtualCallback(VirtualCallbackFact Fact);

/// The lock-order findings of the current translation unit (empty when a
/// facts sink is installed: the sink's owner reports them).
/// \p Blocking says which calls block (recorded in the facts).
const std::vector<LockReport> &lockReportsOfTranslationUnit(clang::ASTContext &Ctx, const LockModel &Model,
                                                            const LinkOptions &Options,
                                                            const BlockingCatalogue &Blocking);

} // namespace lockgraph

#endif
