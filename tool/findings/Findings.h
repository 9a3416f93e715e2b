//===- Findings.h - What one `lockgraph check` run found ----------------===//
//
// The findings model sits between clang-tidy's raw diagnostics and the
// output formats: every writer (text, JSON, SARIF) reads a `CheckReport`
// and nothing else, so a new format or a new kind of result (lock-order
// cycles with a path of steps, baseline states) is added here once and then
// rendered by each writer.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_FINDINGS_H
#define LOCKGRAPH_TOOL_FINDINGS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

/// A point in a source file. `Column` counts bytes from 1, as clang does;
/// `LineText` is the whole line (without its newline) so writers can show it
/// and so fingerprints do not depend on line numbers.
struct SourcePoint {
  std::string File; // absolute, normalized path
  unsigned Line = 0;
  unsigned Column = 0;
  std::string LineText;
};

/// `Note` is performance advice (the critical-section checks): shown, but
/// a finding a reviewer may weigh, not a lock bug (SARIF level `note`).
enum class Severity { Note, Warning, Error };

const char *severityName(Severity S);

struct FindingNote {
  std::string Message;
  std::optional<SourcePoint> Where; // notes may have no location
};

struct Finding {
  std::string Check;
  Severity Level = Severity::Warning;
  std::string Message;
  std::optional<SourcePoint> Where;
  std::vector<FindingNote> Notes;
  /// The notes walk a path (each edge of a lock-order cycle, a call chain):
  /// SARIF output also carries them as a codeFlow.
  bool NotesFormPath = false;
  /// Stable identity of the finding across unrelated edits (lines moving
  /// up or down); see computeFingerprint().
  std::string Fingerprint;
};

/// An input the analysis could not handle, e.g. a file that does not
/// compile. `FirstError` is the compiler's first error, when there is one.
struct InputFailure {
  std::string File;
  std::string Reason;
  std::optional<FindingNote> FirstError;
  unsigned ErrorCount = 0;
};

struct CheckReport {
  std::vector<Finding> Findings;
  std::vector<InputFailure> Failures;
  /// Where the whole-program link hit a limit (LinkLimits.h): printed as
  /// notes on standard error, logged by the language server.
  std::vector<std::string> LimitNotes;
  /// Names of the checks that were enabled (for SARIF's rule list).
  std::vector<std::string> EnabledChecks;
  unsigned FilesAnalyzed = 0;
  unsigned SuppressedByNolint = 0;
  /// Findings dropped because `--baseline` holds them.
  unsigned SuppressedByBaseline = 0;
  /// Relative paths in machine-readable output and fingerprints are taken
  /// against this directory (absolute, no trailing slash).
  std::string SourceRoot;
  /// WarningsAsErrors is configured: only findings at level error fail the
  /// run, as in clang-tidy (the CI recipe in docs/ci.md).
  bool FailOnlyOnErrors = false;

  /// Whether the run fails (exit status 1) because of its findings.
  bool findingsFail() const;

  /// Orders findings by file, line, column and check, drops exact
  /// duplicates (a header included by two analyzed files is reported once)
  /// and gives every finding its fingerprint.
  void finalize();
};

/// `Path` relative to `Root` when it lies inside it, otherwise `Path`.
std::string pathRelativeTo(const std::string &Path, const std::string &Root);

/// The message as fingerprints see it: without line numbers
/// ("a.cpp:12:5" becomes "a.cpp::", "line 40" becomes "line") and without
/// the source root in paths. Lock names, which every lockgraph message
/// quotes, stay.
std::string messageForFingerprint(llvm::StringRef Message,
                                  const std::string &SourceRoot);

/// The one identity of a finding, used by SARIF's partialFingerprints, the
/// JSON output and baselines. Hash of the check name, the file (relative to
/// the source root), the finding's source line with whitespace collapsed,
/// the message as messageForFingerprint() gives it, and
/// `Occurrence` (how many earlier findings in the file had the same inputs,
/// so identical lines stay distinguishable). Line numbers are deliberately
/// left out so that edits elsewhere in the file do not change it.
std::string computeFingerprint(const Finding &F, const std::string &SourceRoot,
                               unsigned Occurrence);

} // namespace lockgraph

#endif
