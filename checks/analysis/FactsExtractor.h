//===- FactsExtractor.h - Lock-order facts of one translation unit --------===//
//
// Runs the lockset analysis over every function defined in a translation
// unit (outside system headers) and records, for each, the locks it
// acquires and the calls it makes with the locks held at each. The result
// is a pure function of the AST, so `lockgraph facts` and the clang-tidy
// checks produce the same facts for the same compile command.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_FACTSEXTRACTOR_H
#define LOCKGRAPH_ANALYSIS_FACTSEXTRACTOR_H

#include "analysis/BlockingCalls.h"
#include "analysis/LockOrderFacts.h"
#include "analysis/UnitLockAnalyses.h"
#include "model/LockModel.h"

#include "clang/AST/ASTContext.h"

namespace lockgraph {

class FactsExtractor {
public:
  /// \p Blocking says which calls block (recorded for callers in other
  /// units); null: the default catalogue.
  FactsExtractor(const LockModel &Model, clang::ASTContext &Ctx, const BlockingCatalogue *Blocking = nullptr);
  /// Reads (and adds to) analyses the unit's checks share.
  explicit FactsExtractor(std::shared_ptr<UnitLockAnalyses> Unit, const BlockingCatalogue *Blocking = nullptr);
  ~FactsExtractor();

  /// Facts of every function definition of the translation unit.
  TUFacts extract();

  /// Program-wide identity of a function: its mangled name, prefixed by
  /// the main file for functions invisible outside their TU.
  std::string functionId(const clang::FunctionDecl *FD);

  /// Where \p Loc is, with macro expansions resolved to their use.
  FactLoc locate(clang::SourceLocation Loc);

  /// Opaque: defined and used only in FactsExtractor.cpp.
  class Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace lockgraph

#endif
