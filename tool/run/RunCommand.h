// `lockgraph run [options] -- program args...`: runs a program with the
// lockgraph preload library and returns the program's exit status.
#pragma once

namespace lockgraph {

// argv[0] is "run"; the rest are the arguments after `run`. Returns the
// program's exit status (128 + signal number if it was killed), or 2 for a
// usage error, 127 when the program or the preload library cannot be found.
int runMain(int argc, const char* const* argv);

} // namespace lockgraph
