//===- BoundedJson.cpp ----------------------------------------------------===//

#include "analysis/BoundedJson.h"

#include <string>

namespace lockgraph {

/// The deepest nesting of '[' and '{' outside strings, stopping early once
/// it exceeds \p Limit. Malformed text is left for the parser to report.
static unsigned nestingDepth(llvm::StringRef Text, unsigned Limit) {
  unsigned Depth = 0, Deepest = 0;
  bool InString = false;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"')
        InString = false;
      continue;
    }
    if (C == '"') {
      InString = true;
    } else if (C == '[' || C == '{') {
      Deepest = std::max(Deepest, ++Depth);
      if (Deepest > Limit)
        return Deepest;
    } else if ((C == ']' || C == '}') && Depth > 0) {
      --Depth;
    }
  }
  return Deepest;
}

llvm::Expected<llvm::json::Value> parseJsonBounded(llvm::StringRef Text, unsigned MaxDepth) {
  if (nestingDepth(Text, MaxDepth) > MaxDepth)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "JSON nested more than " + std::to_string(MaxDepth) + " levels deep");
  return llvm::json::parse(Text);
}

} // namespace lockgraph
