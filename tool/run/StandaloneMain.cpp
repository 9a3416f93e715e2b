// `lockgraph-run`: the `lockgraph run` subcommand as its own binary, for
// builds without the clang-based parts. `lockgraph-run ARGS` is `lockgraph run ARGS`.
#include "RunCommand.h"

#include <vector>

int main(int argc, char** argv) {
  std::vector<const char*> args;
  args.push_back("run");
  for (int i = 1; i < argc; ++i)
    args.push_back(argv[i]);
  return lockgraph::runMain(static_cast<int>(args.size()), args.data());
}
