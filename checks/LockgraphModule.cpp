//===- LockgraphModule.cpp - The lockgraph clang-tidy module ---------------===//
//
// Registers every lockgraph check under the `lockgraph-` prefix. Linked into
// the `lockgraph` binary and into the plugin for stock clang-tidy-19.
//
//===----------------------------------------------------------------------===//

#include "DoubleLockCheck.h"
#include "LockAcrossAwaitCheck.h"
#include "LongCriticalSectionCheck.h"
#include "CallbackUnderLockCheck.h"
#include "UnreleasedLockCheck.h"
#include "BlockingUnderLockCheck.h"
#include "LockOrderCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace lockgraph {

class LockgraphModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<LockAcrossAwaitCheck>("lockgraph-lock-across-await");
    Factories.registerCheck<LongCriticalSectionCheck>("lockgraph-long-critical-section");
    Factories.registerCheck<CallbackUnderLockCheck>("lockgraph-callback-under-lock");
    Factories.registerCheck<UnreleasedLockCheck>("lockgraph-unreleased-lock");
    Factories.registerCheck<BlockingUnderLockCheck>("lockgraph-blocking-under-lock");
    Factories.registerCheck<LockOrderCheck>("lockgraph-lock-order");
    Factories.registerCheck<DoubleLockCheck>("lockgraph-double-lock");
  }
};

} // namespace lockgraph

static clang::tidy::ClangTidyModuleRegistry::Add<lockgraph::LockgraphModule>
    LockgraphModuleRegistration("LockgraphModule", "Deadlock and lock-discipline checks.");
