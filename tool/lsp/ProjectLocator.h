//===- ProjectLocator.h - Compile commands and facts cache for a file -----===//
//
// An editor opens files, not projects. Like clangd, the server looks for
// compile_commands.json in the file's directory and each parent, and in a
// build/ subdirectory of each (compile_flags.txt too). A file with no
// database is still analysed, with default flags. The facts cache that
// `lockgraph check -p` keeps next to the database supplies the rest of the
// program's lock-order facts, when it exists; the server never creates one.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_LSP_PROJECTLOCATOR_H
#define LOCKGRAPH_TOOL_LSP_PROJECTLOCATOR_H

#include "CompileDatabase.h"

#include <optional>
#include <string>
#include <vector>

namespace lockgraph::lsp {

/// The flags a file without a compilation database is analysed with.
const std::vector<std::string> &defaultCompilerFlags();

struct FileProject {
  CompileDatabase Database;
  /// False when no database was found (or it could not be read) and
  /// Database holds the default flags.
  bool FoundDatabase = false;
  /// Why the default flags are used, for the user; empty when FoundDatabase.
  std::string Problem;
  /// An existing `.lockgraph-cache` next to the database.
  std::optional<std::string> CacheDirectory;
  /// Where relative paths in fingerprints are taken from: the database's
  /// directory, or the file's.
  std::string Root;
};

/// Finds the compile commands and the facts cache for \p File (absolute).
FileProject locateProject(const std::string &File);

} // namespace lockgraph::lsp

#endif
