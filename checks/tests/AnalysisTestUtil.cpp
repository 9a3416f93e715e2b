//===- AnalysisTestUtil.cpp -----------------------------------------------===//

#include "AnalysisTestUtil.h"

#include "analysis/LockSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Tooling/Tooling.h"
#include <algorithm>
#include <map>

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph::test {
namespace {

class ProbeCollector : public LocksetObserver {
public:
  void element(const CFGElement &Element, const Lockset &Before) override {
    auto S = Element.getAs<CFGStmt>();
    if (!S)
      return;
    const auto *Call = dyn_cast<CallExpr>(S->getStmt());
    if (!Call || !Call->getDirectCallee() || !Call->getDirectCallee()->getIdentifier() ||
        Call->getDirectCallee()->getName() != "probe")
      return;
    std::vector<std::string> Locks;
    for (const HeldLock &H : Before.held()) {
      std::string Text = H.Lock.spelling();
      if (!H.Definitely)
        Text += "?";
      if (H.Mode == LockMode::Shared)
        Text += " shared";
      Locks.push_back(Text);
    }
    std::sort(Locks.begin(), Locks.end());
    ByOffset[Call->getBeginLoc().getRawEncoding()] = Locks;
  }
  std::map<unsigned, std::vector<std::string>> ByOffset;
};

} // namespace

ParsedCode::ParsedCode(const std::string &Code, LockModelOptions Options) : Model(std::move(Options)) {
  Unit = tooling::buildASTFromCodeWithArgs(Code, {"-std=c++20", "-Wno-unused-value"}, "input.cpp");
}

const FunctionDecl *ParsedCode::function(llvm::StringRef Name) {
  auto Matches = match(functionDecl(hasName(Name), isDefinition()).bind("f"), context());
  if (Matches.empty())
    return nullptr;
  return Matches[0].getNodeAs<FunctionDecl>("f");
}

std::vector<std::vector<std::string>> ParsedCode::locksAtProbes(llvm::StringRef Fn) {
  const FunctionDecl *FD = function(Fn);
  if (!FD)
    return {{"<no function " + Fn.str() + ">"}};
  LockEventExtractor Events(Model, context());
  LockSummaries Summaries(Events);
  LocksetAnalysis Analysis(Events, &Summaries);
  if (!Analysis.run(FD))
    return {{"<no CFG>"}};
  ProbeCollector Collector;
  Analysis.replay(Collector);
  std::vector<std::vector<std::string>> Out;
  for (auto &[Offset, Locks] : Collector.ByOffset)
    Out.push_back(Locks);
  return Out;
}

std::string ParsedCode::summaryOf(llvm::StringRef Fn) {
  const FunctionDecl *FD = function(Fn);
  if (!FD)
    return "<no function>";
  LockEventExtractor Events(Model, context());
  LockSummaries Summaries(Events);
  LocksetAnalysis Analysis(Events, &Summaries);
  if (!Analysis.run(FD))
    return "<no CFG>";
  LockSummary S = Analysis.summary();
  std::string Out = "acquires:";
  for (const HeldLock &H : S.Acquired)
    Out += " " + H.Lock.key();
  Out += " releases:";
  for (const LockExpr &L : S.Released)
    Out += " " + L.key();
  Out += " returns:";
  for (const HeldLock &H : S.ReturnedGuard)
    Out += " " + H.Lock.key();
  return Out;
}

} // namespace lockgraph::test
