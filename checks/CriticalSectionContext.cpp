//===- CriticalSectionContext.cpp -----------------------------------------===//

#include "CriticalSectionContext.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace lockgraph {

void matchAnalysableFunctions(MatchFinder *Finder, tidy::ClangTidyCheck *Check) {
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(stmt()), unless(isExpansionInSystemHeader())).bind("function"),
                     Check);
}

const FunctionDecl *analysableFunction(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("function");
  if (!FD || FD->isDependentContext() || FD->isInvalidDecl())
    return nullptr;
  return FD;
}

bool parseBoolOption(llvm::StringRef Text, bool Default) {
  Text = Text.trim();
  if (Text.equals_insensitive("true") || Text == "1" || Text.equals_insensitive("on") ||
      Text.equals_insensitive("yes"))
    return true;
  if (Text.equals_insensitive("false") || Text == "0" || Text.equals_insensitive("off") ||
      Text.equals_insensitive("no"))
    return false;
  return Default;
}

unsigned parseUnsignedOption(llvm::StringRef Text, unsigned Default) {
  unsigned Value = 0;
  if (Text.trim().getAsInteger(10, Value))
    return Default;
  return Value;
}

} // namespace lockgraph
