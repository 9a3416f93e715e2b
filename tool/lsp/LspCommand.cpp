//===- LspCommand.cpp -----------------------------------------------------===//

#include "lsp/LspCommand.h"

#include "ArgParser.h"
#include "CheckCommand.h"
#include "TidyConfiguration.h"
#include "lsp/JsonRpcTransport.h"
#include "lsp/LspServer.h"

#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

namespace lockgraph {

static const OptionSpec LspOptions[] = {
    {"checks", "GLOB",
     "Checks to enable or disable, appended to the glob from .clang-tidy\n"
     "files (default glob: -*,lockgraph-*)."},
    {"config-file", "PATH", "Read the configuration from PATH instead of .clang-tidy files."},
    {"help", "", "Show this help and exit.", "h"},
};

static void printLspHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: lockgraph lsp [options]\n"
        "\n"
        "Serves the Language Server Protocol on standard input and output, for\n"
        "editors: lockgraph's findings appear as diagnostics when a file is\n"
        "opened or saved, with a quick fix that adds NOLINT(<check>). Compile\n"
        "commands come from compile_commands.json in the file's directory or a\n"
        "parent, or in a build/ subdirectory of those (as clangd finds them);\n"
        "files without one are analysed with -std=c++20. Lock-order cycles\n"
        "across files use the facts cache of the last 'lockgraph check -p'.\n"
        "Runs beside clangd. Setup for VS Code, Neovim, Emacs and CLion:\n"
        "docs/editors.md.\n"
        "\n"
        "OPTIONS:\n";
  printOptionHelp(OS, LspOptions);
  OS << "\n"
        "EXIT STATUS:\n"
        "  0  'exit' after 'shutdown'\n"
        "  1  'exit' without 'shutdown', or the input ended without them\n"
        "  2  usage error\n";
}

static int usageError(const std::string &Message) {
  llvm::errs() << "lockgraph lsp: error: " << Message << '\n';
  return ExitUsageOrInputError;
}

int runLspCommand(llvm::ArrayRef<std::string> Args) {
  auto Parsed = parseArgs(LspOptions, Args);
  if (!Parsed)
    return usageError(llvm::toString(Parsed.takeError()));
  if (Parsed->has("help")) {
    printLspHelp(llvm::outs());
    return ExitClean;
  }
  if (!Parsed->Positionals.empty() || Parsed->AfterDashDash)
    return usageError("'lockgraph lsp' takes no files; the editor names them");
  TidySettings Settings;
  Settings.Checks = Parsed->last("checks");
  Settings.ConfigFile = Parsed->last("config-file");
  auto Config = TidyConfiguration::create(Settings);
  if (!Config)
    return usageError(llvm::toString(Config.takeError()));

  // Standard output carries the protocol only. Anything else that writes
  // there (a library printing a note) would corrupt the stream, so the
  // protocol gets its own descriptor and standard output becomes standard
  // error.
  llvm::outs().flush();
  int ProtocolFd = ::dup(STDOUT_FILENO);
  if (ProtocolFd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
    return usageError("cannot set up standard output for the protocol");
  llvm::raw_fd_ostream Protocol(ProtocolFd, /*shouldClose=*/true);
  lsp::MessageReader Reader(stdin);
  lsp::Server Server(Protocol, *Config);
  return Server.serve(Reader);
}

} // namespace lockgraph
