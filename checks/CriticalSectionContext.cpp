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

bool parseBoolOption(const tidy::ClangTidyCheck &Check, llvm::StringRef Option, llvm::StringRef Text,
                     bool Default) {
  llvm::StringRef T = Text.trim();
  if (T.equals_insensitive("true") || T == "1" || T.equals_insensitive("on") || T.equals_insensitive("yes"))
    return true;
  if (T.equals_insensitive("false") || T == "0" || T.equals_insensitive("off") || T.equals_insensitive("no"))
    return false;
  Check.configurationDiag("invalid value '%0' for option '%1': expected true or false; using %2")
      << Text << Option << (Default ? "true" : "false");
  return Default;
}

unsigned parseUnsignedOption(const tidy::ClangTidyCheck &Check, llvm::StringRef Option, llvm::StringRef Text,
                             unsigned Default) {
  unsigned Value = 0;
  if (!Text.trim().getAsInteger(10, Value))
    return Value;
  Check.configurationDiag("invalid value '%0' for option '%1': expected a non-negative number; using %2")
      << Text << Option << Default;
  return Default;
}

} // namespace lockgraph
