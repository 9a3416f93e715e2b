//===- FactsCommand.cpp ---------------------------------------------------===//

#include "FactsCommand.h"

#include "ArgParser.h"
#include "CheckCommand.h"
#include "CompileDatabase.h"
#include "GraphInputs.h"
#include "GraphOutput.h"
#include "HtmlGraphOutput.h"
#include "LinkLimits.h"
#include "OutputFile.h"
#include "SourceFiles.h"
#include "TidyConfiguration.h"
#include "WholeProgram.h"
#include "analysis/FactsFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

namespace lockgraph {
namespace {

const OptionSpec FactsOptions[] = {
    {"p", "BUILD_DIR", "Read the compile command from compile_commands.json in BUILD_DIR\n(or a parent), or from the .json file BUILD_DIR names."},
    {"output", "FILE", "Write the facts to FILE instead of standard output.", "o"},
    {"config", "TEXT", "clang-tidy configuration (YAML or JSON) instead of .clang-tidy files."},
    {"config-file", "PATH", "Read the configuration from PATH instead of .clang-tidy files."},
    {"extra-arg", "ARG", "Append ARG to the compile command (repeatable)."},
    {"extra-arg-before", "ARG", "Prepend ARG to the compile command (repeatable)."},
    {"help", "", "Show this help and exit.", "h"},
};

/// `graph`'s own options; the inputs' are GraphInputOptions.
const OptionSpec GraphOutputOptions[] = {
    {"format", "FORMAT", "dot (default), json, or html (one self-contained page)."},
    {"output", "FILE", "Write the graph to FILE instead of standard output.", "o"},
    {"timing", "", "Print how long reading, linking and writing took, and the graph's size,\non standard error."},
};

std::vector<OptionSpec> graphOptions() {
  std::vector<OptionSpec> Out(std::begin(GraphOutputOptions), std::end(GraphOutputOptions));
  Out.insert(Out.begin() + 1, std::begin(GraphInputOptions), std::end(GraphInputOptions));
  Out.insert(Out.end(), std::begin(LinkLimitOptions), std::end(LinkLimitOptions));
  return Out;
}

int usageError(llvm::StringRef Command, const std::string &Message) {
  llvm::errs() << "lockgraph " << Command << ": error: " << Message << '\n';
  return ExitUsageOrInputError;
}

void printFactsHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: lockgraph facts [options] <file> [-- <compiler flags>]\n"
        "       lockgraph facts -p <build dir> <file> [-o <file.facts.json>]\n"
        "\n"
        "Extracts the lock-order facts of one translation unit: every function's\n"
        "lock acquisitions and calls, with the locks held at each. The output is\n"
        "a function of the compile command and configuration only, so a build\n"
        "system can produce it as a build step and 'lockgraph graph' (or any\n"
        "later link) can combine the files. Format: docs/whole-program.md.\n"
        "\n"
        "OPTIONS:\n";
  printOptionHelp(OS, FactsOptions);
  OS << "\nEXIT STATUS:\n  0  facts written\n  2  usage or input error (including a file that does not compile)\n";
}

void printGraphHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: lockgraph graph [options] <facts files or directories...> [--runtime=FILE...]\n"
        "       lockgraph graph [options] -p <build dir> [--runtime=FILE...]\n"
        "       lockgraph graph [options] --runtime=FILE...\n"
        "\n"
        "Links lock-order facts (files written by 'lockgraph facts', or every\n"
        "*.facts.json in the directories named, such as a cache directory) and\n"
        "writes the whole-program lock-order graph: one node per lock class,\n"
        "one edge per order seen, edges on a cycle in red (DOT, HTML) or marked\n"
        "\"inCycle\" (JSON). Runtime reports add the orders seen at run time\n"
        "(dashed), their locks mapped to static ones by acquisition site; see\n"
        "docs/graph.md.\n"
        "\n"
        "OPTIONS:\n";
  printOptionHelp(OS, graphOptions());
  OS << "\nEXAMPLES:\n"
        "  lockgraph graph -p build -o locks.dot && dot -Tsvg locks.dot -o locks.svg\n"
        "  lockgraph graph --format=json build/.lockgraph-cache\n"
        "  lockgraph graph -p build --runtime=run.json --format=html -o locks.html\n";
}

} // namespace

int runFactsCommand(llvm::ArrayRef<std::string> Args) {
  auto Parsed = parseArgs(FactsOptions, Args);
  if (!Parsed)
    return usageError("facts", llvm::toString(Parsed.takeError()));
  if (Parsed->has("help")) {
    printFactsHelp(llvm::outs());
    return ExitClean;
  }
  if (Parsed->Positionals.size() != 1)
    return usageError("facts", "name exactly one source file (facts are per translation unit)");
  std::string File = absolutePath(Parsed->Positionals[0]);
  if (!llvm::sys::fs::exists(File) || llvm::sys::fs::is_directory(File))
    return usageError("facts", "no such file: '" + Parsed->Positionals[0] + "'");
  std::optional<std::string> BuildPath = Parsed->last("p");
  if (BuildPath && Parsed->AfterDashDash)
    return usageError("facts", "use either -p <build dir> or compiler flags after '--', not both");

  TidySettings Settings;
  // Only the lock-order check runs: it is the one that extracts facts.
  Settings.Checks = "-*,lockgraph-lock-order";
  Settings.Config = Parsed->last("config");
  Settings.ConfigFile = Parsed->last("config-file");
  Settings.ExtraArgs = Parsed->all("extra-arg");
  Settings.ExtraArgsBefore = Parsed->all("extra-arg-before");
  auto Config = TidyConfiguration::create(Settings);
  if (!Config)
    return usageError("facts", llvm::toString(Config.takeError()));
  if (llvm::Error E = Config->checkConfigurationFiles(File))
    return usageError("facts", llvm::toString(std::move(E)));
  auto Database = selectCompileDatabase(BuildPath, Parsed->AfterDashDash, {File});
  if (!Database)
    return usageError("facts", llvm::toString(Database.takeError()));

  auto Out = OutputFile::open(Parsed->last("output"));
  if (!Out)
    return usageError("facts", llvm::toString(Out.takeError()));
  auto [Facts, Analyses] = extractFacts(*Config, *Database->Commands, {File}, 1);
  if (std::optional<std::string> Failure = analysisFailure(Analyses.front()))
    return usageError("facts", *Failure);
  writeFacts((*Out)->stream(), Facts.front());
  if (llvm::Error E = (*Out)->commit())
    return usageError("facts", llvm::toString(std::move(E)));
  return ExitClean;
}

int runGraphCommand(llvm::ArrayRef<std::string> Args) {
  auto Parsed = parseArgs(graphOptions(), Args);
  if (!Parsed)
    return usageError("graph", llvm::toString(Parsed.takeError()));
  if (Parsed->has("help")) {
    printGraphHelp(llvm::outs());
    return ExitClean;
  }
  std::string Format = Parsed->last("format").value_or("dot");
  if (Format != "dot" && Format != "json" && Format != "html")
    return usageError("graph", "unknown --format '" + Format + "' (expected dot, json or html)");
  if (!Parsed->last("p") && Parsed->Positionals.empty() && !Parsed->has("runtime"))
    return usageError("graph", "name facts files or directories, use -p <build dir>, or give --runtime reports");
  auto Inputs = loadGraphInputs(*Parsed);
  if (!Inputs)
    return usageError("graph", llvm::toString(Inputs.takeError()));

  using Clock = std::chrono::steady_clock;
  Clock::time_point WriteStart = Clock::now();
  auto Output = OutputFile::open(Parsed->last("output"));
  if (!Output)
    return usageError("graph", llvm::toString(Output.takeError()));
  llvm::raw_ostream &Out = (*Output)->stream();
  std::string Root = absolutePath(Parsed->last("source-root").value_or("."));
  if (Format == "dot")
    writeGraphDot(Out, Inputs->Graph, Root);
  else if (Format == "json")
    writeGraphJson(Out, Inputs->Graph, Root);
  else
    writeGraphHtml(Out, Inputs->Graph, Root);
  if (llvm::Error E = (*Output)->commit())
    return usageError("graph", llvm::toString(std::move(E)));
  if (Parsed->has("timing")) {
    size_t Cycles = 0;
    for (const CombinedCycle &C : Inputs->Graph.cycles())
      Cycles += C.Locks.size() > 1;
    llvm::errs() << llvm::formatv("lockgraph graph: {0} functions, {1} edges, {2} cycles; read {3:f3} s, "
                                  "link {4:f3} s (cpu {6:f3} s), write {5:f3} s\n",
                                  Inputs->Graph.functionCount(), Inputs->Graph.edges().size(), Cycles,
                                  Inputs->ReadSeconds, Inputs->LinkSeconds,
                                  std::chrono::duration<double>(Clock::now() - WriteStart).count(),
                                  Inputs->LinkCpuSeconds);
  }
  for (const std::string &Note : Inputs->LimitNotes)
    llvm::errs() << "lockgraph graph: note: " << Note << '\n';
  for (const std::string &Failure : Inputs->Failures)
    llvm::errs() << "lockgraph graph: error: " << Failure << '\n';
  return Inputs->Failures.empty() ? ExitClean : ExitUsageOrInputError;
}

} // namespace lockgraph
