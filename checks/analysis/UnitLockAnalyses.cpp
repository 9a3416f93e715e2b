//===- UnitLockAnalyses.cpp -----------------------------------------------===//

#include "analysis/UnitLockAnalyses.h"

#include <memory>
#include <vector>

namespace lockgraph {

/// Usually one entry: every check reads the same model options.
static std::vector<std::shared_ptr<UnitLockAnalyses>> &threadAnalyses() {
  thread_local std::vector<std::shared_ptr<UnitLockAnalyses>> Analyses;
  return Analyses;
}

std::shared_ptr<UnitLockAnalyses> sharedUnitAnalyses(const LockModel &Model, clang::ASTContext &Ctx) {
  std::vector<std::shared_ptr<UnitLockAnalyses>> &Analyses = threadAnalyses();
  // A unit that started without the checks being told (a caller that
  // analyses several ASTs in turn) gets fresh analyses.
  if (!Analyses.empty() && &Analyses.front()->Ctx != &Ctx)
    Analyses.clear();
  for (const std::shared_ptr<UnitLockAnalyses> &A : Analyses)
    if (A->Model.sameOptions(Model))
      return A;
  Analyses.push_back(std::make_shared<UnitLockAnalyses>(Model, Ctx));
  return Analyses.back();
}

void forgetSharedUnitAnalyses() { threadAnalyses().clear(); }

} // namespace lockgraph
