//===- main.cpp - The `lockgraph` command line ---------------------------===//
//
// Dispatches `lockgraph <command> ...` to the file that implements the
// command. Options belong to commands; only --help and --version are
// understood here.
//
//===----------------------------------------------------------------------===//

#include "CheckCommand.h"
#include "FactsCommand.h"
#include "lsp/LspCommand.h"
#include "MergeCommand.h"
#include "OutputFile.h"
#ifdef LOCKGRAPH_WITH_RUN_COMMAND
#include "RunCommand.h"
#include "RunGraphLink.h"
#endif

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace {

void printToolHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: lockgraph <command> [options] ...\n"
        "\n"
        "lockgraph finds deadlocks and lock-discipline problems in C++.\n"
        "\n"
        "COMMANDS:\n"
        "  check   Analyze source files statically (clang-tidy checks).\n"
        "          Run 'lockgraph check --help' for its options.\n"
        "  facts   Extract one file's lock-order facts (a build step).\n"
        "  graph   Write the whole-program lock-order graph (DOT, JSON or HTML),\n"
        "          from static facts, runtime reports, or both.\n"
        "  lsp     Serve the Language Server Protocol on stdin/stdout: findings\n"
        "          as editor diagnostics (docs/editors.md).\n"
        "  merge   Combine static facts and runtime reports; report the lock-order\n"
        "          cycles only the combination shows. 'lockgraph merge --help'.\n"
        "  run     Run a program under the lockgraph runtime (LD_PRELOAD) and\n"
        "          report lock-order inversions and lock misuse as they happen.\n"
        "          Run 'lockgraph run --help' for its options.\n"
        "\n"
        "OPTIONS:\n"
        "  -h, --help     Show this help and exit.\n"
        "  --version      Show the version and exit.\n"
        "\n"
        "EXIT STATUS (check, merge; run returns the program's status, see its --help):\n"
        "  0  no findings\n"
        "  1  findings were reported\n"
        "  2  usage or input error\n"
        "\n"
        "EXAMPLES:\n"
        "  lockgraph check src/server.cpp -- -std=c++20\n"
        "  lockgraph check -p build --format=sarif -o lockgraph.sarif\n"
        "  lockgraph run -- ./build/bin/my-server --port 8080\n"
        "  lockgraph merge -p build --runtime=run.json --html=locks.html\n";
}

bool looksLikeSourceOrOption(llvm::StringRef Arg) {
  return Arg.starts_with("-") || Arg.ends_with(".cpp") ||
         Arg.ends_with(".cc") || Arg.ends_with(".cxx") || Arg.ends_with(".h");
}

/// `lockgraph run ...`: the run command takes argv with "run" first.
int runCommand(int argc, const char **argv) {
#ifdef LOCKGRAPH_WITH_RUN_COMMAND
  return lockgraph::runMain(argc - 1, argv + 1, [](const lockgraph::GraphDirectoryLink &Link) {
    return lockgraph::linkRunGraphs(Link.directory, Link.baselineGraph, Link.writeGraph, Link.maxGraphAge);
  });
#else
  llvm::errs() << "lockgraph: error: 'run' is not available: this lockgraph "
                  "was built without the runtime (LOCKGRAPH_BUILD_RUNTIME=OFF)\n";
  return lockgraph::ExitUsageOrInputError;
#endif
}

} // namespace

static int dispatch(int argc, const char **argv) {
  std::vector<std::string> Args(argv + 1, argv + argc);
  if (Args.empty()) {
    printToolHelp(llvm::errs());
    return lockgraph::ExitUsageOrInputError;
  }
  llvm::StringRef Command = Args[0];
  llvm::ArrayRef<std::string> Rest = llvm::ArrayRef(Args).drop_front();

  if (Command == "-h" || Command == "--help" || Command == "help") {
    printToolHelp(llvm::outs());
    return lockgraph::ExitClean;
  }
  if (Command == "--version") {
    llvm::outs() << "lockgraph " LOCKGRAPH_VERSION "\n";
    return lockgraph::ExitClean;
  }
  if (Command == "check")
    return lockgraph::runCheckCommand(Rest);
  if (Command == "facts")
    return lockgraph::runFactsCommand(Rest);
  if (Command == "graph")
    return lockgraph::runGraphCommand(Rest);
  if (Command == "lsp")
    return lockgraph::runLspCommand(Rest);
  if (Command == "run")
    return runCommand(argc, argv);
  if (Command == "merge")
    return lockgraph::runMergeCommand(Rest);

  llvm::errs() << "lockgraph: error: unknown command '" << Command << "'";
  if (looksLikeSourceOrOption(Command))
    llvm::errs() << "; did you mean 'lockgraph check " << Command << " ...'?";
  llvm::errs() << "\nRun 'lockgraph --help' for the list of commands.\n";
  return lockgraph::ExitUsageOrInputError;
}

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv);
  int Status = dispatch(argc, argv);
  // Standard output on a full disk or a closed pipe: say so and fail,
  // rather than let LLVM abort with "IO failure on output stream" at exit.
  if (llvm::Error E = lockgraph::checkStandardOutput()) {
    llvm::errs() << "lockgraph: error: " << llvm::toString(std::move(E)) << '\n';
    return lockgraph::ExitUsageOrInputError;
  }
  return Status;
}
