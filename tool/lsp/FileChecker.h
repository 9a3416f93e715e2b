//===- FileChecker.h - One open file through `lockgraph check`'s pipeline --===//
//
// What the server runs on didOpen and didSave: the same analysis driver
// as `lockgraph check` (analyzeProgram + reportProgram in WholeProgram.h)
// over one file, with the compile commands ProjectLocator finds. When the
// project has a facts cache, the file's fresh facts are linked with the
// last facts of every other file of the database, so lock-order cycles
// that span files are reported for the open file too.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_LSP_FILECHECKER_H
#define LOCKGRAPH_TOOL_LSP_FILECHECKER_H

#include "Findings.h"
#include "TidyConfiguration.h"

#include <string>
#include <vector>

namespace lockgraph::lsp {

struct FileCheck {
  CheckReport Report;
  /// No database was found or readable; Problem says why.
  bool UsedDefaultFlags = false;
  std::string DatabaseProblem;
  /// Things the user should know about this run (the file does not
  /// compile, the cache could not be written), one sentence each.
  std::vector<std::string> Notices;
  /// How many other files' facts were linked with this file's.
  unsigned LinkedUnits = 0;
};

/// Analyses \p File (absolute path, read from disk).
FileCheck checkFile(const TidyConfiguration &Config, const std::string &File);

} // namespace lockgraph::lsp

#endif
