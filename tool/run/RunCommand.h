// `lockgraph run [options] -- program args...`: runs a program with the
// lockgraph preload library and returns the program's exit status.
#pragma once

#include <string>

namespace lockgraph {

// `lockgraph run --graph-dir=DIR`: every process of the run wrote its
// lock-order graph into `directory`. After the program ended, the linker
// links them (with the graph of earlier runs kept in `baselineGraph`, when
// given; orders older than `maxGraphAge` runs left out when it is not 0),
// reports the cycles that span processes on stderr and writes the linked
// graph to `writeGraph` (when given). It returns 0 when it found no
// cycle, 1 when it did, 2 when an input was unusable (message on stderr).
struct GraphDirectoryLink {
  std::string directory;     // absolute
  std::string baselineGraph; // or empty
  std::string writeGraph;    // or empty
  unsigned maxGraphAge = 0;  // orders not seen for more runs are dropped; 0 keeps them
};
using GraphDirectoryLinker = int (*)(const GraphDirectoryLink& link);

// argv[0] is "run"; the rest are the arguments after `run`. Returns the
// program's exit status (128 + signal number if it was killed), or 2 for a
// usage error, 127 when the program or the preload library cannot be found;
// the findings status (--exitcode) when `linker` found a cycle across
// processes. Without a linker (the standalone lockgraph-run, built without
// LLVM) --graph-dir only collects the graphs, for `lockgraph merge DIR`.
int runMain(int argc, const char* const* argv, GraphDirectoryLinker linker = nullptr);

} // namespace lockgraph
