//===- ProgressLines.h - Progress of a many-file run on standard error ----===//
//
// On a terminal every file gets a line (`[3/12] src/server.cpp`). In a log
// — CI, `2> file` — a line per file would drown the findings, and none at
// all makes a forty-minute run look hung (and some CI services kill a job
// that prints nothing for ten minutes): there, a line every half minute
// says how far the run is. LOCKGRAPH_PROGRESS_SECONDS changes that period
// (0: every file).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_PROJECT_PROGRESSLINES_H
#define LOCKGRAPH_PROJECT_PROGRESSLINES_H

#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <string>

namespace lockgraph {

class ProgressLines {
public:
  /// \p Enabled: the run wants progress at all (not --quiet, several files).
  ProgressLines(bool Enabled, std::string Cwd);

  /// File \p Index of \p Total starts.
  void starting(unsigned Index, unsigned Total, llvm::StringRef File);

private:
  bool Enabled;
  bool Terminal;
  std::string Cwd;
  std::chrono::steady_clock::duration Period;
  std::chrono::steady_clock::time_point Start, LastLine;
};

} // namespace lockgraph

#endif
