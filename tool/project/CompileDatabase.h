//===- CompileDatabase.h - Where compiler flags for each file come from --===//
//
// The same three sources clang-tidy accepts, in this order:
//   1. flags after `--` on the command line (one set for every file);
//   2. `-p <dir>`: compile_commands.json (or compile_flags.txt) in <dir> or
//      one of its parents, or `-p <file.json>` naming the database itself;
//   3. neither: the database found in the first input file's directory or
//      one of its parents, as clangd does.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_COMPILEDATABASE_H
#define LOCKGRAPH_TOOL_COMPILEDATABASE_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

struct CompileDatabase {
  std::unique_ptr<clang::tooling::CompilationDatabase> Commands;
  /// Where it came from, for messages: a file path or "flags after '--'".
  std::string Origin;
  /// The directory of the database file, or the current directory for
  /// flags after '--': with the analysed files it spans the project.
  std::string Directory;
};

/// Picks the database as described above. `Files` are absolute paths (may be
/// empty when `BuildPath` is given). Errors are meant for the user as is.
llvm::Expected<CompileDatabase>
selectCompileDatabase(const std::optional<std::string> &BuildPath,
                      const std::optional<std::vector<std::string>> &Flags,
                      const std::vector<std::string> &Files);

/// The nearest compile_commands.json or compile_flags.txt in `Directory` or
/// one of its parents. With `AlsoInBuildSubdirectory`, each directory's
/// build/compile_commands.json is tried right after its own
/// compile_commands.json, as clangd does.
std::optional<std::string> findDatabaseUpwards(llvm::StringRef Directory,
                                               bool AlsoInBuildSubdirectory = false);

} // namespace lockgraph

#endif
