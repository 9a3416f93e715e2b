//===- CheckCatalog.h - What the outputs say about each check ------------===//
//
// SARIF viewers and `--list-checks` show a one-line description and a link
// to the check's documentation page (docs/checks/<check>.md). A check
// without an entry here is still run and reported; it just has no
// description.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_CHECKCATALOG_H
#define LOCKGRAPH_TOOL_CHECKCATALOG_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace lockgraph {

/// The URI of a page under docs/, e.g. "command-line.md".
std::string documentationUri(llvm::StringRef Page);

std::optional<llvm::StringRef> checkSummary(llvm::StringRef Check);

/// The critical-section checks (blocking-under-lock, callback-under-lock,
/// long-critical-section): performance advice, reported at level note,
/// apart from the checks that find lock bugs (deadlocks, leaked locks).
bool isPerformanceAdvice(llvm::StringRef Check);

/// The documentation page of a lockgraph check; nothing for checks that are
/// not lockgraph's (e.g. compiler warnings enabled by the check glob).
std::optional<std::string> checkHelpUri(llvm::StringRef Check);

} // namespace lockgraph

#endif
