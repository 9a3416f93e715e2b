//===- FactsFile.h - The facts file format (JSON, versioned) --------------===//
//
// One JSON document per translation unit; the format is described in
// docs/whole-program.md. Readers reject other format names and versions
// with an error naming the file, so a stale cache or a file from another
// lockgraph release is re-created instead of misread.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_FACTSFILE_H
#define LOCKGRAPH_ANALYSIS_FACTSFILE_H

#include "analysis/LockOrderFacts.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace lockgraph {

/// Writes \p Facts as one JSON document (compact, one line).
void writeFacts(llvm::raw_ostream &OS, const TUFacts &Facts);

/// Parses a document written by writeFacts.
llvm::Expected<TUFacts> parseFacts(llvm::StringRef Text);

/// Reads and parses the file at \p Path; errors name the file.
llvm::Expected<TUFacts> readFactsFile(llvm::StringRef Path);

/// Writes \p Facts to \p Path atomically (a temporary file renamed into
/// place), so a concurrent reader never sees half a file.
llvm::Error writeFactsFile(llvm::StringRef Path, const TUFacts &Facts);

} // namespace lockgraph

#endif
