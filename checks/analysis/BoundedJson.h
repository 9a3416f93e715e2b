//===- BoundedJson.h - JSON parsing with a nesting limit -------------------===//
//
// llvm::json::parse recurses once per nesting level, so a file of 50,000
// '[' overflows the stack and kills the process (a language server with
// it). Every lockgraph JSON reader (facts, cache entries, baselines,
// runtime reports, LSP messages) parses through this, which refuses a
// document nested deeper than any lockgraph format needs before parsing.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_BOUNDEDJSON_H
#define LOCKGRAPH_ANALYSIS_BOUNDEDJSON_H

#include "llvm/Support/JSON.h"

namespace lockgraph {

/// Deeper than any lockgraph document (facts nest about 8 levels), far
/// below what overflows a thread's stack.
inline constexpr unsigned MaxJsonNesting = 256;

/// llvm::json::parse, after checking that arrays and objects nest at most
/// \p MaxDepth levels.
llvm::Expected<llvm::json::Value> parseJsonBounded(llvm::StringRef Text, unsigned MaxDepth = MaxJsonNesting);

} // namespace lockgraph

#endif
