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
  /// Facts waiting for the end of the unit to go to the sink.
  std::optional<TUFacts> Pending;
  const clang::SourceManager *PendingSM = nullptr;
};

ThreadState &state() {
  thread_local ThreadState State;
  return State;
}

} // namespace

void setFactsSink(FactsSink Sink) { sink() = std::move(Sink); }
bool hasFactsSink() { return static_cast<bool>(sink()); }

void beginTranslationUnitFacts() { state() = ThreadState(); }

void endTranslationUnitFacts() {
  ThreadState &S = state();
  if (!S.Pending)
    return;
  TUFacts Facts = std::move(*S.Pending);
  S.Pending.reset();
  if (hasFactsSink())
    sink()(std::move(Facts), *S.PendingSM);
}

bool translationUnitFactsPending() { return state().Pending.has_value(); }

void recordVirtualCallback(VirtualCallbackFact Fact) {
  if (std::optional<TUFacts> &Pending = state().Pending)
    Pending->VirtualCallbacks.push_back(std::move(Fact));
}

const std::vector<LockReport> &lockReportsOfTranslationUnit(clang::ASTContext &Ctx, const LockModel &Model,
                                                            const LinkOptions &Options,
                                                            const BlockingCatalogue &Blocking) {
  ThreadState &S = state();
  if (S.Computed)
    return S.Reports;
  S.Computed = true;
  TUFacts Facts = FactsExtractor(sharedUnitAnalyses(Model, Ctx), &Blocking).extract();
  if (hasFactsSink()) {
    S.Pending = std::move(Facts);
    S.PendingSM = &Ctx.getSourceManager();
    return S.Reports;
  }
  LockOrderLinker Linker(Options);
  Linker.add(std::move(Facts));
  Linker.link();
  S.Reports = Linker.reports();
  return S.Reports;
}

} // namespace lockgraph
