//===- SourceFiles.h - Line and column lookup for reported offsets -------===//
//
// clang-tidy reports a location as (file, byte offset). Writers need line,
// column and the text of the line; this cache reads each file once.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_SOURCEFILES_H
#define LOCKGRAPH_TOOL_SOURCEFILES_H

#include "Findings.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <optional>
#include <vector>

namespace lockgraph {

/// `Path` made absolute against `BaseDirectory` (or the current directory
/// when that is empty) with "." and ".." removed.
std::string absolutePath(llvm::StringRef Path, llvm::StringRef BaseDirectory = "");

class SourceFiles {
public:
  /// The point at `Offset` in the file at absolute path `File`, or nothing
  /// when the file cannot be read or is shorter than `Offset`.
  std::optional<SourcePoint> locate(llvm::StringRef File, unsigned Offset);

private:
  struct Loaded {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    std::vector<unsigned> LineStarts; // byte offset of each line's start
  };
  const Loaded *load(llvm::StringRef File);

  llvm::StringMap<std::optional<Loaded>> Cache;
};

} // namespace lockgraph

#endif
