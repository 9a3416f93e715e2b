//===- Baseline.h - Findings a project has accepted ------------------------===//
//
// A baseline records the findings of one run (`lockgraph check
// --write-baseline FILE`) so that later runs (`--baseline FILE`) report only
// what is new: CI can be switched on for a project with existing findings
// and still fail on every new one. Findings are matched by check, file
// (relative to the source root) and fingerprint (computeFingerprint(), the
// same identity SARIF's partialFingerprints carry), never by line number,
// so edits that move code do not resurrect old findings. The file format is
// documented in docs/formats.md.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_BASELINE_H
#define LOCKGRAPH_TOOL_BASELINE_H

#include "Findings.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace lockgraph {

inline constexpr int BaselineFormatVersion = 1;

struct BaselineEntry {
  std::string Check;
  std::string File; // relative to the source root, as in fingerprints
  std::string Fingerprint;
};

struct Baseline {
  std::vector<BaselineEntry> Entries;

  /// Records every finding of \p Report (finalized, so with fingerprints).
  static Baseline of(const CheckReport &Report);

  /// Removes from \p Report the findings this baseline holds and returns how
  /// many were removed. Each entry accepts one finding: a baseline with one
  /// entry for a finding that now occurs twice lets the second one through.
  unsigned suppressKnown(CheckReport &Report) const;
};

/// The file's JSON: format name, version, and one object per entry (with
/// the message and line as well, for people reading the file).
llvm::json::Value baselineJson(const CheckReport &Report);

/// Fails with a message saying what is wrong (not JSON, not a baseline, a
/// version this lockgraph does not read, a malformed entry).
llvm::Expected<Baseline> parseBaseline(llvm::StringRef Text);

llvm::Expected<Baseline> readBaselineFile(const std::string &Path);
llvm::Error writeBaselineFile(const std::string &Path, const CheckReport &Report);

} // namespace lockgraph

#endif
