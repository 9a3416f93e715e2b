//===- LockModelOptionsIO.h - The lock model's options in .clang-tidy -----===//
//
// Every lockgraph check reads the same four lists, so one `.clang-tidy`
// entry (global `Mutexes`, or per check `lockgraph-<check>.Mutexes`)
// configures the lock model for all of them.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_LOCKMODELOPTIONSIO_H
#define LOCKGRAPH_LOCKMODELOPTIONSIO_H

#include "analysis/BlockingCalls.h"
#include "model/LockModel.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

/// Reads `Mutexes`, `Guards`, `AsyncMutexes` and `AsyncGuards`. The async
/// lists extend the built-in defaults unless `AsyncDefaults` is false.
LockModelOptions readLockModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options);

/// `AssumeEveryOverride` of lockgraph-lock-order (also read as a global
/// option): report lock-order and double-lock findings that need a virtual
/// call to run one override out of several (LinkOptions). Both lock-order
/// checks share one linked graph per program, so one entry serves both.
bool readAssumeEveryOverride(const clang::tidy::ClangTidyOptions::OptionMap &Options);

/// The catalogue options of lockgraph-blocking-under-lock
/// (`lockgraph-blocking-under-lock.BlockingFunctions`, ...), read by the
/// lock-order checks too: the facts they extract record each function's
/// blocking calls for callers in other units.
BlockingCatalogueOptions readBlockingCatalogueOptions(const clang::tidy::ClangTidyOptions::OptionMap &Options);

/// `Interprocedural` of lockgraph-blocking-under-lock (default true):
/// whether blocking calls reached through callees are reported, in this
/// unit's functions or another's.
bool readBlockingInterprocedural(const clang::tidy::ClangTidyOptions::OptionMap &Options);

/// Writes back what readLockModelOptions read, for --dump-config.
void storeLockModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options,
                           clang::tidy::ClangTidyOptions::OptionMap &Map);

} // namespace lockgraph

#endif
