//===- FactsCache.h - Per-TU results kept between runs ---------------------===//
//
// `lockgraph check -p` keeps, for every translation unit, its lock-order
// facts (a facts file, docs/whole-program.md) and its clang-tidy findings,
// under a key made of the compile command, the effective configuration and
// the lockgraph binary, plus the list of every file the TU read with its
// size, modification time and content hash. A later run reuses the entry
// when the key matches and every input still has the same content, so
// editing one file re-analyses only the TUs that include it.
//
// Inputs are checked like ccache's direct mode: same size and mtime means
// unchanged; otherwise the content is hashed and compared, so `touch`
// alone does not cause re-analysis. What the key cannot see: a header
// newly created earlier on the include path than the one a TU used.
//
// An entry (<file>-<hash>.tu.json) names the source file it is for, its
// key, and the hash of its facts file (<file>-<hash>.facts.json): a facts
// or entry file copied from elsewhere is a miss, not trusted.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_FACTSCACHE_H
#define LOCKGRAPH_TOOL_FACTSCACHE_H

#include "TidyRunner.h"
#include "analysis/LockOrderFacts.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

/// One file a translation unit read.
struct InputFile {
  std::string Path;
  uint64_t Size = 0;
  int64_t ModTime = 0; // nanoseconds since the epoch
  uint64_t Hash = 0;   // xxh3 of the content
};

/// Every file \p SM read, or nothing when one of them has no absolute path
/// (the TU is then not cached).
std::optional<std::vector<InputFile>> inputsOf(const clang::SourceManager &SM);

struct CachedTU {
  TUFacts Facts;
  FileAnalysis Analysis;
};

class FactsCache {
public:
  explicit FactsCache(std::string Directory);

  const std::string &directory() const { return Directory; }

  /// The facts file of \p File (absolute source path) in this cache.
  std::string factsPath(llvm::StringRef File) const;

  /// The facts last stored for \p File, whether or not its inputs changed
  /// since: what an editor links a freshly analysed file against, without
  /// analysing the rest of the program again.
  std::optional<TUFacts> lastFacts(llvm::StringRef File) const;

  /// The entry of \p File if its key is \p Key and its inputs are unchanged.
  std::optional<CachedTU> lookup(llvm::StringRef File, llvm::StringRef Key);

  /// Writes the entry; errors are returned for the caller to report as a
  /// warning (a cache that cannot be written only costs time).
  llvm::Error store(llvm::StringRef File, llvm::StringRef Key, const std::vector<InputFile> &Inputs,
                    const TUFacts &Facts, const FileAnalysis &Analysis);

private:
  bool unchanged(const InputFile &Input);
  /// The entry of \p File (format, version and file checked), key unchecked.
  std::optional<llvm::json::Value> readEntry(llvm::StringRef File) const;
  /// The facts file of \p Entry, if it is the one the entry was written with.
  std::optional<TUFacts> factsOfEntry(const llvm::json::Object &Entry, llvm::StringRef File) const;
  std::string entryPath(llvm::StringRef File) const;

  std::string Directory;
  std::mutex Mutex; // guards Checked: lookups run on several threads
  llvm::StringMap<std::pair<uint64_t, bool>> Checked; // path -> (hash, still same)
};

/// The part of a TU's cache key that is not its input files: compile
/// command(s), configuration text, facts format and the lockgraph binary.
std::string cacheKey(const clang::tooling::CompilationDatabase &Commands, llvm::StringRef File,
                     llvm::StringRef ConfigurationText);

} // namespace lockgraph

#endif
