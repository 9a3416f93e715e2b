//===- WholeProgram.h - Analyse every TU, keep its facts, link them --------===//
//
// The whole-program mode of `lockgraph check`: every translation unit is
// analysed by clang-tidy's engine (in parallel) with a facts sink installed,
// so lockgraph-lock-order and lockgraph-double-lock hand their facts over
// instead of reporting per TU. Units whose inputs did not change since the
// last run come from the facts cache. The facts of all units are then
// linked once (LockOrderLinker) and the cycles and double locks become
// findings next to the per-TU ones.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_WHOLEPROGRAM_H
#define LOCKGRAPH_TOOL_WHOLEPROGRAM_H

#include "Findings.h"
#include "TidyRunner.h"
#include "analysis/LockOrderLinker.h"

#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

struct ProgramOptions {
  unsigned Jobs = 1;
  /// Where per-TU facts and findings are kept between runs; none: no cache.
  std::optional<std::string> CacheDirectory;
  /// The link's limits.
  LinkOptions Limits;
};

struct ProgramAnalysis {
  /// One per input file, in the order of the files.
  std::vector<FileAnalysis> Analyses;
  /// The lock-order facts of every unit that produced them.
  std::vector<TUFacts> Facts;
  /// The analyses cover the whole program: every file the compilation
  /// database lists (or it lists none, and the files named are the
  /// program). Only then can the link tell that no override is elsewhere.
  bool CoversProgram = false;
  unsigned Reanalyzed = 0;
  unsigned FromCache = 0;
  /// Problems writing the cache: worth a warning, never a failure.
  std::vector<std::string> CacheWarnings;
};

ProgramAnalysis analyzeProgram(const TidyConfiguration &Config,
                               const clang::tooling::CompilationDatabase &Commands,
                               const std::vector<std::string> &Files, const ProgramOptions &Options,
                               ProgressCallback Progress);

/// Runs \p Files through clang-tidy with only lockgraph-lock-order enabled
/// and returns their facts (what `lockgraph facts` writes), plus the
/// per-file analyses so compile errors can be reported.
std::pair<std::vector<TUFacts>, std::vector<FileAnalysis>>
extractFacts(const TidyConfiguration &Config, const clang::tooling::CompilationDatabase &Commands,
             const std::vector<std::string> &Files, unsigned Jobs);

/// Which linked findings a report keeps.
enum class ProgramFindingScope {
  /// Those reported in an analysed file (or a header matching the header
  /// filter), as clang-tidy keeps findings: `lockgraph check`.
  ReportedInFiles,
  /// Also those whose notes pass through an analysed file: an editor
  /// showing one file wants a cycle through it even when the cycle is
  /// reported in another file.
  TouchingFiles,
};

/// Links \p Facts and adds the findings of the enabled lock-graph checks to
/// \p Report (then re-finalizes it). Findings are kept as \p Scope says; a
/// NOLINT comment on a finding's line suppresses it. \p Link configures
/// the linker (AssumeEveryOverride). \p BlockingFollowsCalls: whether
/// blocking-under-lock's findings through other files' functions are kept
/// (its `Interprocedural` option). \p CoversProgram: \p Facts are the
/// whole program's (ProgramAnalysis::CoversProgram); then, if every unit
/// was analysed, callback-under-lock's findings on virtual calls whose
/// every implementation in the program is harmless are dropped.
void addProgramFindings(CheckReport &Report, std::vector<TUFacts> Facts, const std::vector<std::string> &Files,
                        const std::string &HeaderFilter, const std::string &WarningsAsErrors,
                        ProgramFindingScope Scope = ProgramFindingScope::ReportedInFiles,
                        const LinkOptions &Limits = {}, bool BlockingFollowsCalls = true,
                        bool CoversProgram = false);

/// Whether \p Files (absolute paths) hold every file \p Commands lists.
bool coversDatabase(const clang::tooling::CompilationDatabase &Commands, const std::vector<std::string> &Files);

/// What a run over \p Files reports: every file's own findings and compile
/// failures, plus the lock-order findings of linking \p Program's facts,
/// under the header filter and warnings-as-errors of the first file's
/// configuration. `lockgraph check` prints it; `lockgraph lsp` publishes it.
CheckReport reportProgram(const TidyConfiguration &Config, ProgramAnalysis Program,
                          const std::vector<std::string> &Files, const std::string &SourceRoot,
                          ProgramFindingScope Scope = ProgramFindingScope::ReportedInFiles,
                          const LinkOptions &Limits = {});

/// Why \p A has no (complete) analysis: its compile command cannot run, or
/// the file does not compile; nothing when it was analysed.
std::optional<std::string> analysisFailure(const FileAnalysis &A);

/// Parsing facts and linking allocate and free many small objects; glibc
/// by default hands freed memory back to the kernel at once, and on virtual
/// machines taking it back page by page costs more than the work itself
/// (reading 100k edges of facts measured 3x slower). Keeps freed memory in
/// the process instead. Call before large analyses or links.
void retainFreedMemory();

/// Hands the memory retainFreedMemory() kept back to the system: a
/// long-running process (the language server) calls it after each analysis,
/// so that while idle it does not hold what its largest analysis needed.
void releaseFreedMemory();

/// Converts linked reports to findings (locations with their line text).
std::vector<Finding> findingsOf(const std::vector<LockReport> &Reports);

} // namespace lockgraph

#endif
