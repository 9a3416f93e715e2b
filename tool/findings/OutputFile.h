//===- OutputFile.h - Command output that is whole or absent --------------===//
//
// `-o FILE` (and --html, --dot, --graph-json, --write-baseline) must never
// leave half a file, nor destroy the previous one when the run fails: a
// script reading FILE after a crash, a kill or a compile error would take
// an empty report for a clean one. The output goes to a temporary file
// next to FILE (removed on failure and on fatal signals) that commit()
// renames over FILE. Without a path the output is standard output, and
// commit() reports a write failure (a full disk) instead of LLVM aborting
// at exit.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_OUTPUTFILE_H
#define LOCKGRAPH_TOOL_OUTPUTFILE_H

#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>

namespace lockgraph {

class OutputFile {
public:
  /// Creates the temporary for \p Path (standard output when none), so a
  /// path that cannot be written fails before any work is done. Paths that
  /// are not regular files (/dev/null, a pipe) are written in place.
  static llvm::Expected<std::unique_ptr<OutputFile>> open(const std::optional<std::string> &Path);

  ~OutputFile();
  OutputFile(const OutputFile &) = delete;
  OutputFile &operator=(const OutputFile &) = delete;

  llvm::raw_ostream &stream() { return Stream ? *Stream : llvm::outs(); }
  bool isStandardOutput() const { return !Path; }

  /// Flushes and puts the output in place; an error names the output and
  /// leaves the previous file untouched.
  llvm::Error commit();

private:
  OutputFile() = default;

  std::optional<std::string> Path;
  std::optional<llvm::sys::fs::TempFile> Temp;
  std::unique_ptr<llvm::raw_fd_ostream> Stream;
};

/// Flushes standard output and reports whether everything written to it
/// arrived; clears the error so that LLVM does not abort at exit.
llvm::Error checkStandardOutput();

} // namespace lockgraph

#endif
