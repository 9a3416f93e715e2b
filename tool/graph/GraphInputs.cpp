//===- GraphInputs.cpp ----------------------------------------------------===//

#include "GraphInputs.h"

#include "CompileDatabase.h"
#include "LinkLimits.h"
#include "RuntimeLockIdentity.h"
#include "SourceFiles.h"
#include "TidyConfiguration.h"
#include "WholeProgram.h"
#include "analysis/FactsFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace lockgraph {

const OptionSpec GraphInputOptions[7] = {
    {"p", "BUILD_DIR", "Analyze every file of the compilation database in BUILD_DIR (using and\nfilling the same cache as 'lockgraph check -p') instead of reading facts files."},
    {"runtime", "FILE", "A JSON report of the runtime ('lockgraph run --report-path=FILE\n--report-graph'), a directory of them ('lockgraph run --graph-dir=DIR'),\nor a linked graph ('lockgraph run --write-graph=FILE'); repeatable."},
    {"source-root", "DIR", "Paths in the output are relative to DIR (default: the current directory)."},
    {"cache-dir", "DIR", "With -p: the facts cache directory (default <build dir>/.lockgraph-cache)."},
    {"no-cache", "", "With -p: analyze every file again."},
    {"jobs", "N", "With -p: analyze N files in parallel (default: all cores).", "j"},
    {"help", "", "Show this help and exit.", "h"},
};

namespace {

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

llvm::Expected<ProgramAnalysis> analyzeDatabase(const ParsedArgs &Args, const std::string &BuildPath) {
  unsigned Jobs = llvm::hardware_concurrency().compute_thread_count();
  if (auto J = Args.last("jobs"))
    if (llvm::StringRef(*J).getAsInteger(10, Jobs) || Jobs == 0)
      return llvm::createStringError("--jobs needs a positive number, got '" + *J + "'");
  auto Config = TidyConfiguration::create(TidySettings());
  if (!Config)
    return Config.takeError();
  auto Database = selectCompileDatabase(BuildPath, std::nullopt, {});
  if (!Database)
    return Database.takeError();
  std::vector<std::string> Files;
  for (const std::string &F : Database->Commands->getAllFiles())
    Files.push_back(absolutePath(F));
  if (Files.empty())
    return llvm::createStringError("the compilation database '" + Database->Origin + "' lists no files");
  ProgramOptions Options;
  Options.Jobs = Jobs;
  if (!Args.has("no-cache")) {
    llvm::SmallString<256> Dir(absolutePath(BuildPath));
    if (!llvm::sys::fs::is_directory(Dir))
      llvm::sys::path::remove_filename(Dir);
    llvm::sys::path::append(Dir, ".lockgraph-cache");
    Options.CacheDirectory = Args.last("cache-dir") ? absolutePath(*Args.last("cache-dir")) : Dir.str().str();
  }
  return analyzeProgram(*Config, *Database->Commands, Files, Options, [](unsigned, unsigned, llvm::StringRef) {});
}

llvm::Expected<std::vector<TUFacts>> readFacts(const std::vector<std::string> &Paths) {
  auto Files = factsFilesIn(Paths);
  if (!Files)
    return Files.takeError();
  std::vector<TUFacts> Out;
  for (const std::string &F : *Files) {
    llvm::Expected<TUFacts> Facts = readFactsFile(F);
    if (!Facts)
      return Facts.takeError();
    Out.push_back(std::move(*Facts));
  }
  return Out;
}

/// A directory named like a facts directory that holds no facts but other
/// files: a `lockgraph run --graph-dir` directory of runtime reports.
bool isRuntimeGraphDirectory(const std::string &Path) {
  if (!llvm::sys::fs::is_directory(Path))
    return false;
  std::error_code EC;
  bool Other = false;
  for (llvm::sys::fs::directory_iterator It(Path, EC), End; It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (Name.ends_with(".facts.json"))
      return false;
    Other |= !Name.starts_with(".");
  }
  return Other;
}

} // namespace

llvm::Expected<GraphInputs> loadGraphInputs(const ParsedArgs &Args) {
  std::optional<std::string> BuildPath = Args.last("p");
  std::vector<std::string> ReportPaths = Args.all("runtime");
  std::vector<std::string> FactsPaths;
  for (const std::string &P : Args.Positionals)
    (isRuntimeGraphDirectory(P) ? ReportPaths : FactsPaths).push_back(P);
  if (BuildPath && !FactsPaths.empty())
    return llvm::createStringError("use either -p <build dir> or facts files, not both");
  retainFreedMemory();
  using Clock = std::chrono::steady_clock;
  auto Seconds = [](Clock::duration D) { return std::chrono::duration<double>(D).count(); };
  Clock::time_point ReadStart = Clock::now();

  GraphInputs In;
  In.HasStatic = BuildPath || !FactsPaths.empty();
  std::vector<TUFacts> Facts;
  if (In.HasStatic) {
    if (BuildPath) {
      auto Program = analyzeDatabase(Args, *BuildPath);
      if (!Program)
        return Program.takeError();
      for (const FileAnalysis &A : Program->Analyses)
        if (std::optional<std::string> Failure = analysisFailure(A))
          In.Failures.push_back(std::move(*Failure));
      Facts = std::move(Program->Facts);
    } else {
      auto Read = readFacts(FactsPaths);
      if (!Read)
        return Read.takeError();
      Facts = std::move(*Read);
    }
  }
  auto Reports = readRuntimeReports(ReportPaths);
  if (!Reports)
    return Reports.takeError();
  In.Reports = std::move(*Reports);

  Clock::time_point LinkStart = Clock::now();
  // CPU time too: on a loaded machine wall time measures the other load.
  std::clock_t LinkCpuStart = std::clock();
  StaticAcquisitionSites Sites;
  auto Limits = linkOptionsFrom(Args);
  if (!Limits)
    return Limits.takeError();
  In.Linker = std::make_unique<LockOrderLinker>(*Limits);
  for (TUFacts &T : Facts) {
    Sites.add(T);
    In.Linker->add(std::move(T));
  }
  In.Linker->link();
  In.LimitNotes = limitNotes(In.Linker->limitHits(), *Limits);
  In.Graph.addStatic(*In.Linker);
  prepareRuntimeReports(In.Reports);
  for (const RuntimeReport &R : In.Reports)
    In.Graph.addRuntime(R, mapRuntimeLocks(R, Sites));
  In.Graph.finish(Limits->MaxCycles);
  // The linker's cap applies to its findings; the graph's own cycle list
  // has the same cap, and says so too.
  if (In.Graph.cyclesCapped() && !In.Linker->limitHits().CyclesBeyondCap) {
    LinkLimitHits GraphHits;
    GraphHits.CyclesBeyondCap = 1;
    for (std::string &Note : limitNotes(GraphHits, *Limits))
      In.LimitNotes.push_back(std::move(Note));
  }
  In.LinkCpuSeconds = double(std::clock() - LinkCpuStart) / CLOCKS_PER_SEC;
  In.ReadSeconds = Seconds(LinkStart - ReadStart);
  In.LinkSeconds = Seconds(Clock::now() - LinkStart);
  return In;
}

} // namespace lockgraph
