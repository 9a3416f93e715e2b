//===- TidyRunner.h - Run clang-tidy's engine over the input files -------===//
//
// One `clang::tidy::runClangTidy` per file, each with its own context, so
// that files can be analyzed in parallel and every diagnostic is attributed
// to the file whose analysis produced it (needed to tell the user which file
// failed to compile).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_TIDYRUNNER_H
#define LOCKGRAPH_TOOL_TIDYRUNNER_H

#include "TidyConfiguration.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

struct FileAnalysis {
  std::string File;
  std::vector<clang::tidy::ClangTidyError> Diagnostics;
  std::vector<std::string> EnabledChecks;
  unsigned SuppressedByNolint = 0;
  /// Why the file could not be analysed at all (its compile command cannot
  /// be run); the analysis then has no diagnostics.
  std::optional<std::string> InputError;
};

/// Called as each file starts: (1-based index, total, file).
using ProgressCallback =
    llvm::function_ref<void(unsigned Index, unsigned Total, llvm::StringRef File)>;

/// Analyzes `Files` (absolute paths) with up to `Jobs` threads and returns
/// one result per file, in the order of `Files`.
std::vector<FileAnalysis>
analyzeFiles(const TidyConfiguration &Config,
             const clang::tooling::CompilationDatabase &Commands,
             const std::vector<std::string> &Files, unsigned Jobs,
             ProgressCallback Progress);

} // namespace lockgraph

#endif
