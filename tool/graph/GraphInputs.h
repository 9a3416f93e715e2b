//===- GraphInputs.h - What `graph` and `merge` read ------------------------===//
//
// Both commands take the static half as facts files (or directories of
// them) or as a compilation database (-p, analysed with the facts cache),
// and the run-time half as runtime JSON reports (--runtime). This loads
// them, links the facts, maps each report's locks onto static classes and
// returns the combined graph.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_GRAPHINPUTS_H
#define LOCKGRAPH_TOOL_GRAPHINPUTS_H

#include "ArgParser.h"
#include "CombinedGraph.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace lockgraph {

/// The options both commands understand for their inputs (with
/// LinkLimitOptions, which the static link reads).
extern const OptionSpec GraphInputOptions[7];

struct GraphInputs {
  std::unique_ptr<LockOrderLinker> Linker; // linked; empty without facts
  std::vector<RuntimeReport> Reports;
  CombinedGraph Graph;
  bool HasStatic = false;
  /// With -p: the files that could not be analysed, each with why. The
  /// graph holds the others; the command reports these and exits with 2.
  std::vector<std::string> Failures;
  /// Where the static link hit a limit (LinkLimits.h).
  std::vector<std::string> LimitNotes;
  /// Seconds spent reading inputs and linking, for --timing.
  double ReadSeconds = 0, LinkSeconds = 0, LinkCpuSeconds = 0;
};

/// Reads the inputs \p Args names (facts positionals or -p, --runtime).
llvm::Expected<GraphInputs> loadGraphInputs(const ParsedArgs &Args);

} // namespace lockgraph

#endif
