//===- TranslationUnitFacts.cpp -------------------------------------------===//

#include "TranslationUnitFacts.h"
#include "analysis/FactsExtractor.h"

namespace lockgraph {
namespace {

FactsSink &sink() {
  static FactsSink Sink;
  return Sink;
}

struct ThreadState {
  bool Computed = false;
  std::vector<LockReport> Reports;
};

ThreadState &state() {
  thread_local ThreadState State;
  return State;
}

} // namespace

void setFactsSink(FactsSink Sink) { sink() = std::move(Sink); }
bool hasFactsSink() { return static_cast<bool>(sink()); }

void beginTranslationUnitFacts() { state() = ThreadState(); }

const std::vector<LockReport> &lockReportsOfTranslationUnit(clang::ASTContext &Ctx, const LockModel &Model,
                                                            const LinkOptions &Options,
                                                            const BlockingCatalogue &Blocking) {
  ThreadState &S = state();
  if (S.Computed)
    return S.Reports;
  S.Computed = true;
  TUFacts Facts = FactsExtractor(sharedUnitAnalyses(Model, Ctx), &Blocking).extract();
  if (hasFactsSink()) {
    sink()(std::move(Facts), Ctx.getSourceManager());
    return S.Reports;
  }
  LockOrderLinker Linker(Options);
  Linker.add(std::move(Facts));
  Linker.link();
  S.Reports = Linker.reports();
  return S.Reports;
}

} // namespace lockgraph
