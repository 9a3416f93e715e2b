//===- FactsCommand.cpp ---------------------------------------------------===//

#include "FactsCommand.h"

#include "ArgParser.h"
#include "CheckCommand.h"
#include "CompileDatabase.h"
#include "GraphOutput.h"
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
#include <ctime>

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

const OptionSpec GraphOptions[] = {
    {"p", "BUILD_DIR", "Analyze every file of the compilation database in BUILD_DIR (using and\nfilling the same cache as 'lockgraph check -p') instead of reading facts files."},
    {"format", "FORMAT", "dot (default) or json."},
    {"output", "FILE", "Write the graph to FILE instead of standard output.", "o"},
    {"source-root", "DIR", "Paths in the graph are relative to DIR (default: the current directory)."},
    {"cache-dir", "DIR", "With -p: the facts cache directory (default <build dir>/.lockgraph-cache)."},
    {"no-cache", "", "With -p: analyze every file again."},
    {"jobs", "N", "With -p: analyze N files in parallel (default: all cores).", "j"},
    {"timing", "", "Print how long reading, linking and writing took, and the graph's size,\non standard error."},
    {"help", "", "Show this help and exit.", "h"},
};

int usageError(llvm::StringRef Command, const std::string &Message) {
  llvm::errs() << "lockgraph " << Command << ": error: " << Message << '\n';
  return ExitUsageOrInputError;
}

/// Opens FILE, or standard output when none is given.
std::unique_ptr<llvm::raw_fd_ostream> openOutput(const std::optional<std::string> &Path, std::string &Error) {
  std::error_code EC;
  auto OS = std::make_unique<llvm::raw_fd_ostream>(Path ? *Path : "-", EC, llvm::sys::fs::OF_Text);
  if (EC) {
    Error = "cannot write '" + Path.value_or("-") + "': " + EC.message();
    return nullptr;
  }
  return OS;
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
  OS << "USAGE: lockgraph graph [options] <facts files or directories...>\n"
        "       lockgraph graph [options] -p <build dir>\n"
        "\n"
        "Links lock-order facts (files written by 'lockgraph facts', or every\n"
        "*.facts.json in the directories named, such as a cache directory) and\n"
        "writes the whole-program lock-order graph: one node per lock class,\n"
        "one edge per order seen, edges on a cycle in red (DOT) or marked\n"
        "\"inCycle\" (JSON).\n"
        "\n"
        "OPTIONS:\n";
  printOptionHelp(OS, GraphOptions);
  OS << "\nEXAMPLES:\n"
        "  lockgraph graph -p build -o locks.dot && dot -Tsvg locks.dot -o locks.svg\n"
        "  lockgraph graph --format=json build/.lockgraph-cache\n";
}

/// Facts files named directly, or found (*.facts.json) in named directories.
llvm::Expected<std::vector<std::string>> factsFilesIn(const std::vector<std::string> &Paths) {
  std::vector<std::string> Out;
  for (const std::string &P : Paths) {
    if (!llvm::sys::fs::exists(P))
      return llvm::createStringError("no such file or directory: '" + P + "'");
    if (!llvm::sys::fs::is_directory(P)) {
      Out.push_back(P);
      continue;
    }
    std::error_code EC;
    std::vector<std::string> Found;
    for (llvm::sys::fs::directory_iterator It(P, EC), End; It != End && !EC; It.increment(EC))
      if (llvm::StringRef(It->path()).ends_with(".facts.json"))
        Found.push_back(It->path());
    if (EC)
      return llvm::createStringError("cannot list '" + P + "': " + EC.message());
    std::sort(Found.begin(), Found.end());
    Out.insert(Out.end(), Found.begin(), Found.end());
  }
  return Out;
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
  auto Database = selectCompileDatabase(BuildPath, Parsed->AfterDashDash, {File});
  if (!Database)
    return usageError("facts", llvm::toString(Database.takeError()));

  std::string OpenError;
  auto Out = openOutput(Parsed->last("output"), OpenError);
  if (!Out)
    return usageError("facts", OpenError);
  auto [Facts, Analyses] = extractFacts(*Config, *Database->Commands, {File}, 1);
  for (const auto &D : Analyses.front().Diagnostics)
    if (llvm::StringRef(D.DiagnosticName).starts_with("clang-diagnostic-") &&
        D.DiagLevel == clang::tidy::ClangTidyError::Error)
      return usageError("facts", "'" + File + "' does not compile: " + D.Message.Message);
  if (Parsed->last("output")) {
    Out.reset();
    if (llvm::Error E = writeFactsFile(*Parsed->last("output"), Facts.front()))
      return usageError("facts", llvm::toString(std::move(E)));
    return ExitClean;
  }
  writeFacts(*Out, Facts.front());
  return ExitClean;
}

int runGraphCommand(llvm::ArrayRef<std::string> Args) {
  auto Parsed = parseArgs(GraphOptions, Args);
  if (!Parsed)
    return usageError("graph", llvm::toString(Parsed.takeError()));
  if (Parsed->has("help")) {
    printGraphHelp(llvm::outs());
    return ExitClean;
  }
  std::string Format = Parsed->last("format").value_or("dot");
  if (Format != "dot" && Format != "json")
    return usageError("graph", "unknown --format '" + Format + "' (expected dot or json)");
  std::optional<std::string> BuildPath = Parsed->last("p");
  if (!BuildPath && Parsed->Positionals.empty())
    return usageError("graph", "name facts files or directories, or use -p <build dir>");
  if (BuildPath && !Parsed->Positionals.empty())
    return usageError("graph", "use either -p <build dir> or facts files, not both");
  unsigned Jobs = llvm::hardware_concurrency().compute_thread_count();
  if (auto J = Parsed->last("jobs"))
    if (llvm::StringRef(*J).getAsInteger(10, Jobs) || Jobs == 0)
      return usageError("graph", "--jobs needs a positive number, got '" + *J + "'");

  retainFreedMemory();
  using Clock = std::chrono::steady_clock;
  auto Seconds = [](Clock::duration D) { return std::chrono::duration<double>(D).count(); };
  Clock::time_point ReadStart = Clock::now();
  LockOrderLinker Linker;
  if (BuildPath) {
    auto Config = TidyConfiguration::create(TidySettings());
    if (!Config)
      return usageError("graph", llvm::toString(Config.takeError()));
    auto Database = selectCompileDatabase(BuildPath, std::nullopt, {});
    if (!Database)
      return usageError("graph", llvm::toString(Database.takeError()));
    std::vector<std::string> Files;
    for (const std::string &F : Database->Commands->getAllFiles())
      Files.push_back(absolutePath(F));
    if (Files.empty())
      return usageError("graph", "the compilation database '" + Database->Origin + "' lists no files");
    ProgramOptions Options;
    Options.Jobs = Jobs;
    if (!Parsed->has("no-cache")) {
      llvm::SmallString<256> Dir(absolutePath(*BuildPath));
      if (!llvm::sys::fs::is_directory(Dir))
        llvm::sys::path::remove_filename(Dir);
      llvm::sys::path::append(Dir, ".lockgraph-cache");
      Options.CacheDirectory = Parsed->last("cache-dir") ? absolutePath(*Parsed->last("cache-dir")) : Dir.str().str();
    }
    ProgramAnalysis Program =
        analyzeProgram(*Config, *Database->Commands, Files, Options, [](unsigned, unsigned, llvm::StringRef) {});
    for (TUFacts &T : Program.Facts)
      Linker.add(std::move(T));
  } else {
    auto Files = factsFilesIn(Parsed->Positionals);
    if (!Files)
      return usageError("graph", llvm::toString(Files.takeError()));
    for (const std::string &F : *Files) {
      llvm::Expected<TUFacts> Facts = readFactsFile(F);
      if (!Facts)
        return usageError("graph", llvm::toString(Facts.takeError()));
      Linker.add(std::move(*Facts));
    }
  }
  Clock::time_point LinkStart = Clock::now();
  // CPU time too: on a loaded machine wall time measures the other load.
  std::clock_t LinkCpuStart = std::clock();
  Linker.link();
  double LinkCpu = double(std::clock() - LinkCpuStart) / CLOCKS_PER_SEC;
  Clock::time_point WriteStart = Clock::now();

  std::string OpenError;
  auto Out = openOutput(Parsed->last("output"), OpenError);
  if (!Out)
    return usageError("graph", OpenError);
  std::string Root = absolutePath(Parsed->last("source-root").value_or("."));
  if (Format == "dot")
    writeGraphDot(*Out, Linker, Root);
  else
    writeGraphJson(*Out, Linker, Root);
  Out->flush();
  if (Parsed->has("timing")) {
    size_t Cycles = 0;
    for (const LockReport &R : Linker.reports())
      Cycles += R.Check == LockOrderCheckName && R.Cycle.size() > 1;
    llvm::errs() << llvm::formatv("lockgraph graph: {0} functions, {1} edges, {2} cycles; read {3:f3} s, "
                                  "link {4:f3} s (cpu {6:f3} s), write {5:f3} s\n",
                                  Linker.functionCount(), Linker.edges().size(), Cycles,
                                  Seconds(LinkStart - ReadStart), Seconds(WriteStart - LinkStart),
                                  Seconds(Clock::now() - WriteStart), LinkCpu);
  }
  if (Out->has_error()) {
    Out->clear_error();
    return usageError("graph", "error writing the graph");
  }
  return ExitClean;
}

} // namespace lockgraph
