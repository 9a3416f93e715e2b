//===- ProjectRoot.h - Which headers are the project's own ----------------===//
//
// clang-tidy reports findings in headers only when a header filter says so,
// which hides a cycle witnessed in the project's own header from a user who
// never heard of --header-filter. lockgraph reports them by default: a
// header belongs to the project when it lies under the project root, the
// deepest directory holding every analysed file and the compile database.
// System headers (-isystem, the standard library) and third-party trees
// elsewhere (/usr/include, /opt/vendor) stay silent.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_PROJECTROOT_H
#define LOCKGRAPH_TOOL_PROJECTROOT_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

/// The deepest directory containing every path of \p Paths (absolute); none
/// when that is the file system root, which would hold every header.
std::optional<std::string> projectRoot(const std::vector<std::string> &Paths);

/// A header filter (clang-tidy's HeaderFilterRegex) that matches headers
/// under \p Root, and headers named by a relative path: clang names a header
/// relative to the compile command's directory when the include path is
/// relative (`-Iinclude`), and that is the project's own include path.
std::string projectHeaderFilter(llvm::StringRef Root);

} // namespace lockgraph

#endif
