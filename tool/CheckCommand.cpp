#include "CheckCommand.h"

#include "ArgParser.h"
#include "Baseline.h"
#include "RuntimeEvidence.h"
#include "CheckCatalog.h"
#include "CompileDatabase.h"
#include "FindingsOutput.h"
#include "LinkLimits.h"
#include "OutputFile.h"
#include "ProgressLines.h"
#include "ProjectRoot.h"
#include "SourceFiles.h"
#include "TextOutput.h"
#include "TidyConfiguration.h"
#include "TidyRunner.h"
#include "WholeProgram.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <set>
#include <variant>

namespace lockgraph {

static const OptionSpec CheckOptions[] = {
    {"p", "BUILD_DIR",
     "Read compile commands from compile_commands.json (or compile_flags.txt)\n"
     "in BUILD_DIR or a parent, or from the .json file BUILD_DIR names. With no\n"
     "files given, analyze every file in the database."},
    {"checks", "GLOB",
     "Checks to enable or disable, appended to the default -*,lockgraph-* and to\n"
     "lockgraph.Checks in .clang-tidy CheckOptions (a .clang-tidy's own Checks\n"
     "and WarningsAsErrors are clang-tidy's and are not used)."},
    {"config", "TEXT",
     "clang-tidy configuration as YAML or JSON, used instead of .clang-tidy\n"
     "files, e.g. --config='{CheckOptions: {lockgraph-lock-across-await.X: Y}}'."},
    {"config-file", "PATH",
     "Read the configuration from PATH instead of .clang-tidy files."},
    {"warnings-as-errors", "GLOB", "Report findings of matching checks as errors."},
    {"header-filter", "REGEX",
     "Report findings in headers whose path matches REGEX (by default: the\n"
     "project's headers, under the directory holding the analyzed files and\n"
     "the compilation database; not system or third-party headers)."},
    {"system-headers", "", "Also report findings in system headers."},
    {"extra-arg", "ARG", "Append ARG to every compile command (repeatable)."},
    {"extra-arg-before", "ARG", "Prepend ARG to every compile command (repeatable)."},
    {"format", "FORMAT", "Output format: text (default), json or sarif."},
    {"output", "FILE", "Write findings to FILE instead of standard output.", "o"},
    {"color", "WHEN",
     "Color text output: auto (default; when writing to a terminal), always,\n"
     "never. NO_COLOR in the environment turns auto off."},
    {"source-root", "DIR",
     "Paths in JSON/SARIF fingerprints and SARIF URIs are relative to DIR\n"
     "(default: the current directory)."},
    {"baseline", "FILE",
     "Report only findings that FILE (written by --write-baseline) does not\n"
     "hold; they also decide the exit status. See docs/ci.md."},
    {"write-baseline", "FILE",
     "Record this run's findings in FILE; the exit status is then 0 unless an\n"
     "input could not be analyzed."},
    {"runtime", "REPORT",
     "Annotate and sort the performance advice (critical-section checks) with\n"
     "the per-lock statistics of a runtime JSON report (lockgraph run --stats)."},
    {"min-contention", "N",
     "With --runtime: keep only advice about locks contended at least N times."},
    {"jobs", "N", "Analyze N files in parallel (default: all cores).", "j"},
    {"cache-dir", "DIR",
     "Keep each file's lock-order facts and findings in DIR and reuse them\n"
     "while the file and what it includes are unchanged (default with -p:\n"
     "<build dir>/.lockgraph-cache; without -p: no cache)."},
    {"no-cache", "", "Analyze every file again; read and write no cache."},
    {"list-checks", "", "List the enabled checks and exit."},
    {"dump-config", "", "Print the effective configuration for the first file and exit."},
    {"quiet", "", "Do not print the summary line or progress on standard error."},
    {"help", "", "Show this help and exit.", "h"},
};

static std::vector<OptionSpec> checkOptions() {
  std::vector<OptionSpec> Out(std::begin(CheckOptions), std::end(CheckOptions));
  Out.insert(Out.end() - 4, std::begin(LinkLimitOptions), std::end(LinkLimitOptions));
  return Out;
}

static void printCheckHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: lockgraph check [options] <files...> [-- <compiler flags>]\n"
        "       lockgraph check [options] -p <build dir> [<files...>]\n"
        "\n"
        "Analyzes C++ files with lockgraph's clang-tidy checks and reports\n"
        "lock-discipline problems such as a mutex held across co_await.\n"
        "\n"
        "Compiler flags come from, in this order: the flags after '--'; the\n"
        "compilation database named by -p; otherwise compile_commands.json or\n"
        "compile_flags.txt found in the first file's directory or a parent.\n"
        "Configuration (.clang-tidy files, CheckOptions, NOLINT comments) works\n"
        "as in clang-tidy, except that a .clang-tidy's Checks and WarningsAsErrors\n"
        "are left to clang-tidy: use lockgraph.Checks and lockgraph.WarningsAsErrors\n"
        "under CheckOptions (docs/command-line.md#configuration).\n"
        "\n"
        "Lock-order cycles and double locks are found across all the files of\n"
        "one run: each file's lock-order facts are linked into one graph (see\n"
        "docs/whole-program.md). With -p, each file's results are cached and\n"
        "reused while the file and its headers are unchanged.\n"
        "\n"
        "OPTIONS:\n";
  printOptionHelp(OS, checkOptions());
  OS << "\n"
        "EXIT STATUS:\n"
        "  0  no findings (none beyond the --baseline; or --write-baseline wrote it)\n"
        "  1  findings were reported\n"
        "  2  usage or input error: unknown option, missing file, no\n"
        "     compilation database, a file that does not compile, bad config\n"
        "\n"
        "EXAMPLES:\n"
        "  lockgraph check src/server.cpp -- -std=c++20 -Iinclude\n"
        "  lockgraph check -p build src/server.cpp\n"
        "  lockgraph check -p build -j 4 --format=sarif -o lockgraph.sarif\n"
        "  lockgraph check --checks='-*,lockgraph-lock-across-await' a.cpp -- -std=c++20\n"
        "  lockgraph check -p build --write-baseline lockgraph-baseline.json\n"
        "  lockgraph check -p build --baseline lockgraph-baseline.json\n"
        "  lockgraph check --list-checks\n"
        "\n"
        "Documentation: docs/command-line.md, docs/formats.md, docs/ci.md, docs/checks/.\n";
}

namespace {

struct CheckRequest {
  std::vector<std::string> Files; // absolute
  std::optional<std::string> BuildPath;
  std::optional<std::vector<std::string>> CompilerFlags;
  TidySettings Tidy;
  OutputFormat Format = OutputFormat::Text;
  std::optional<std::string> OutputFile;
  std::string ColorWhen = "auto";
  std::string SourceRoot;
  unsigned Jobs = 1;
  std::optional<std::string> CacheDirectory;
  std::optional<std::string> BaselineFile;
  std::optional<std::string> WriteBaselineFile;
  std::optional<std::string> RuntimeReportFile;
  uint64_t MinContention = 0;
  bool ListChecks = false;
  bool DumpConfig = false;
  bool Quiet = false;
  LinkOptions Limits;
};

/// Prints "lockgraph check: error: ..." and yields the usage exit status.
struct UsageError {
  std::string Message;
};
} // namespace

static int reportUsageError(const std::string &Message) {
  llvm::errs() << "lockgraph check: error: " << Message << '\n';
  return ExitUsageOrInputError;
}

/// Next to the compilation database: <build dir>/.lockgraph-cache.
static std::string defaultCacheDirectory(const std::string &BuildPath) {
  llvm::SmallString<256> Dir(absolutePath(BuildPath));
  if (!llvm::sys::fs::is_directory(Dir))
    llvm::sys::path::remove_filename(Dir);
  llvm::sys::path::append(Dir, ".lockgraph-cache");
  return Dir.str().str();
}

static std::variant<CheckRequest, UsageError> makeRequest(const ParsedArgs &A) {
  CheckRequest R;
  for (const std::string &File : A.Positionals)
    R.Files.push_back(absolutePath(File));
  R.BuildPath = A.last("p");
  R.CompilerFlags = A.AfterDashDash;
  if (R.BuildPath && R.CompilerFlags)
    return UsageError{"use either -p <build dir> or compiler flags after "
                      "'--', not both"};

  R.Tidy.Checks = A.last("checks");
  R.Tidy.WarningsAsErrors = A.last("warnings-as-errors");
  R.Tidy.HeaderFilter = A.last("header-filter");
  if (A.has("system-headers"))
    R.Tidy.SystemHeaders = true;
  R.Tidy.Config = A.last("config");
  R.Tidy.ConfigFile = A.last("config-file");
  R.Tidy.ExtraArgs = A.all("extra-arg");
  R.Tidy.ExtraArgsBefore = A.all("extra-arg-before");

  if (auto Format = A.last("format")) {
    auto Parsed = parseOutputFormat(*Format);
    if (!Parsed)
      return UsageError{llvm::toString(Parsed.takeError())};
    R.Format = *Parsed;
  }
  R.OutputFile = A.last("output");
  if (auto Color = A.last("color")) {
    if (llvm::Error E = checkColorChoice(*Color))
      return UsageError{llvm::toString(std::move(E))};
    R.ColorWhen = *Color;
  }
  R.SourceRoot = absolutePath(A.last("source-root").value_or("."));
  R.Jobs = llvm::hardware_concurrency().compute_thread_count();
  if (auto Jobs = A.last("jobs")) {
    if (!llvm::to_integer(*Jobs, R.Jobs, 10) || R.Jobs == 0)
      return UsageError{"--jobs needs a positive number, got '" + *Jobs + "'"};
  }
  if (auto Dir = A.last("cache-dir"))
    R.CacheDirectory = absolutePath(*Dir);
  else if (R.BuildPath && !A.has("no-cache"))
    R.CacheDirectory = defaultCacheDirectory(*R.BuildPath);
  if (A.has("no-cache"))
    R.CacheDirectory.reset();
  R.BaselineFile = A.last("baseline");
  R.WriteBaselineFile = A.last("write-baseline");
  R.RuntimeReportFile = A.last("runtime");
  if (auto N = A.last("min-contention")) {
    if (!R.RuntimeReportFile)
      return UsageError{"--min-contention needs --runtime=REPORT"};
    if (!llvm::to_integer(*N, R.MinContention, 10))
      return UsageError{"invalid --min-contention '" + *N + "': expected a non-negative number"};
  }
  R.ListChecks = A.has("list-checks");
  R.DumpConfig = A.has("dump-config");
  R.Quiet = A.has("quiet");
  auto Limits = linkOptionsFrom(A);
  if (!Limits)
    return UsageError{llvm::toString(Limits.takeError())};
  R.Limits = *Limits;
  return R;
}

/// The file whose configuration --list-checks and --dump-config show: the
/// first input, or a file in the current directory so that the nearest
/// .clang-tidy applies.
static std::string configurationProbe(const CheckRequest &R) {
  return R.Files.empty() ? absolutePath("lockgraph-probe.cpp") : R.Files[0];
}

static int listChecks(const TidyConfiguration &Config, const CheckRequest &R) {
  auto Checks = TidyConfiguration::enabledChecks(
      Config.optionsFor(configurationProbe(R)));
  if (Checks.empty())
    return reportUsageError("no checks enabled; see --checks");
  size_t Width = 0;
  for (const std::string &C : Checks)
    Width = std::max(Width, C.size());
  llvm::outs() << "Enabled checks:\n";
  for (const std::string &C : Checks) {
    llvm::outs() << "    " << C;
    if (auto Summary = checkSummary(C))
      llvm::outs() << std::string(Width - C.size() + 2, ' ') << *Summary;
    llvm::outs() << '\n';
  }
  return ExitClean;
}

static int dumpConfig(const TidyConfiguration &Config, const CheckRequest &R) {
  clang::tidy::ClangTidyOptions Effective = Config.optionsFor(configurationProbe(R));
  // Like clang-tidy: show every option of the enabled checks with its
  // current value, defaults included.
  Effective.CheckOptions = clang::tidy::getCheckOptions(
      Effective, /*AllowEnablingAnalyzerAlphaCheckers=*/false);
  llvm::outs() << clang::tidy::configurationAsText(
      clang::tidy::ClangTidyOptions::getDefaults().merge(Effective, 0));
  return ExitClean;
}

static std::optional<std::string> checkInputFiles(const std::vector<std::string> &Files) {
  for (const std::string &File : Files) {
    if (llvm::sys::fs::is_directory(File))
      return "'" + File + "' is a directory; name source files, or use -p";
    if (!llvm::sys::fs::exists(File))
      return "no such file: '" + File + "'";
  }
  return std::nullopt;
}

/// A `.clang-tidy` with `Checks: '-*,...'` can switch lockgraph's checks
/// off; analyzing anyway would report "no findings" and hide that.
static std::optional<std::string>
findFileWithoutChecks(const TidyConfiguration &Config,
                      const std::vector<std::string> &Files) {
  auto Provider = Config.makeProvider(llvm::vfs::getRealFileSystem());
  for (const std::string &File : Files) {
    clang::tidy::ClangTidyOptions Options = Provider->getOptions(File);
    if (TidyConfiguration::enabledChecks(Options).empty())
      return "no checks are enabled for '" + File + "' (check glob '" +
             Options.Checks.value_or("") +
             "'); add lockgraph-* to lockgraph.Checks in its .clang-tidy's "
             "CheckOptions or pass --checks=lockgraph-*";
  }
  return std::nullopt;
}


static int analyze(TidyConfiguration &Config, CheckRequest &R) {
  if (R.Files.empty() && !R.BuildPath)
    return reportUsageError("no input files; name the files to analyze, or use "
                            "-p <build dir> to analyze every file in a "
                            "compilation database");
  auto Database = selectCompileDatabase(R.BuildPath, R.CompilerFlags, R.Files);
  if (!Database)
    return reportUsageError(llvm::toString(Database.takeError()));
  if (R.Files.empty()) {
    for (const std::string &File : Database->Commands->getAllFiles())
      R.Files.push_back(absolutePath(File));
    if (R.Files.empty())
      return reportUsageError("the compilation database '" + Database->Origin +
                              "' lists no files");
  }
  // Without a compile command clang-tidy would skip the file with a note
  // and the run would look clean.
  for (const std::string &File : R.Files)
    if (Database->Commands->getCompileCommands(File).empty())
      return reportUsageError("no compile command for '" + File + "' in '" +
                              Database->Origin + "'");
  std::vector<std::string> ProjectPaths = R.Files;
  ProjectPaths.push_back(absolutePath(Database->Directory));
  if (std::optional<std::string> Root = projectRoot(ProjectPaths))
    Config.setDefaultHeaderFilter(projectHeaderFilter(*Root));
  for (const std::string &File : R.Files)
    if (llvm::Error E = Config.checkConfigurationFiles(File))
      return reportUsageError(llvm::toString(std::move(E)));
  if (auto Problem = findFileWithoutChecks(Config, R.Files))
    return reportUsageError(*Problem);
  std::optional<Baseline> Known;
  if (R.BaselineFile) {
    llvm::Expected<Baseline> Read = readBaselineFile(*R.BaselineFile);
    if (!Read)
      return reportUsageError(llvm::toString(Read.takeError()));
    Known = std::move(*Read);
  }
  std::optional<RuntimeReport> Run;
  if (R.RuntimeReportFile) {
    llvm::Expected<RuntimeReport> Read = readRuntimeReport(*R.RuntimeReportFile);
    if (!Read)
      return reportUsageError(llvm::toString(Read.takeError()));
    Run = std::move(*Read);
  }

  // Open the output before the (possibly long) analysis so that a bad
  // path fails at once; it replaces the file only when complete.
  auto Output = OutputFile::open(R.OutputFile);
  if (!Output)
    return reportUsageError(llvm::toString(Output.takeError()));

  std::string Cwd = absolutePath(".");
  ProgressLines Progress(!R.Quiet && R.Files.size() > 1, Cwd);
  ProgramOptions Whole;
  Whole.Jobs = R.Jobs;
  Whole.CacheDirectory = R.CacheDirectory;
  ProgramAnalysis Program = analyzeProgram(
      Config, *Database->Commands, R.Files, Whole,
      [&](unsigned Index, unsigned Total, llvm::StringRef File) { Progress.starting(Index, Total, File); });
  for (const std::string &Warning : Program.CacheWarnings)
    llvm::errs() << "lockgraph check: warning: " << Warning << '\n';
  if (!R.Quiet && R.CacheDirectory)
    llvm::errs() << "lockgraph: " << Program.FromCache << " of " << R.Files.size()
                 << " files unchanged since the last run, " << Program.Reanalyzed
                 << " analyzed (cache: " << pathRelativeTo(*R.CacheDirectory, Cwd) << ")\n";
  std::vector<TUFacts> FactsForRuntime;
  if (Run)
    FactsForRuntime = Program.Facts;
  CheckReport Report = reportProgram(Config, std::move(Program), R.Files, R.SourceRoot,
                                     ProgramFindingScope::ReportedInFiles, R.Limits);
  if (Run && FactsForRuntime.empty())
    llvm::errs() << "lockgraph check: warning: --runtime matches locks through the acquisition sites that "
                    "lockgraph-lock-order records; enable that check to use the runtime statistics\n";
  if (Run) {
    RuntimeEvidenceResult Ranked = rankAdviceByRuntime(Report, *Run, FactsForRuntime, R.MinContention);
    if (!R.Quiet)
      llvm::errs() << "lockgraph: runtime statistics of " << *R.RuntimeReportFile << " matched "
                   << counted(Ranked.Annotated, "advice finding")
                   << (R.MinContention ? ", " + counted(Ranked.BelowThreshold, "finding") + " below --min-contention"
                                       : std::string())
                   << '\n';
  }
  // The baseline records every finding, also those an older baseline
  // accepts, so writing it before applying --baseline keeps them.
  std::optional<size_t> BaselineWritten; // how many findings it holds
  if (R.WriteBaselineFile && Report.Failures.empty()) {
    if (llvm::Error E = writeBaselineFile(*R.WriteBaselineFile, Report))
      return reportUsageError(llvm::toString(std::move(E)));
    BaselineWritten = Report.Findings.size();
  }
  if (Known)
    Report.SuppressedByBaseline = Known->suppressKnown(Report);

  llvm::raw_ostream &Out = (*Output)->stream();
  TextStyle OutStyle{useColor(R.ColorWhen, (*Output)->isStandardOutput() &&
                                     llvm::sys::Process::StandardOutIsDisplayed()),
                     Cwd};
  TextStyle ErrStyle{useColor(R.ColorWhen, llvm::sys::Process::StandardErrIsDisplayed()),
                     Cwd};
  writeFindings(Out, Report, R.Format, OutStyle);
  if (llvm::Error E = (*Output)->commit())
    return reportUsageError(llvm::toString(std::move(E)));
  writeTextFailures(llvm::errs(), Report, ErrStyle);
  for (const std::string &Note : Report.LimitNotes)
    llvm::errs() << "lockgraph: note: " << Note << '\n';
  if (!R.Quiet)
    writeSummary(llvm::errs(), Report);
  if (!R.Quiet && R.BaselineFile)
    llvm::errs() << "lockgraph: " << counted(Report.SuppressedByBaseline, "finding")
                 << " suppressed by baseline " << *R.BaselineFile << '\n';
  if (BaselineWritten && !R.Quiet)
    llvm::errs() << "lockgraph: wrote baseline " << *R.WriteBaselineFile << " with "
                 << counted(*BaselineWritten, "finding") << '\n';
  if (R.WriteBaselineFile && !BaselineWritten)
    reportUsageError("not writing baseline '" + *R.WriteBaselineFile +
                     "': some inputs could not be analyzed, so it would miss their findings");

  if (!Report.Failures.empty())
    return ExitUsageOrInputError;
  return !Report.findingsFail() || BaselineWritten ? ExitClean : ExitFindings;
}

int runCheckCommand(llvm::ArrayRef<std::string> Args) {
  auto Parsed = parseArgs(checkOptions(), Args);
  if (!Parsed) {
    reportUsageError(llvm::toString(Parsed.takeError()));
    llvm::errs() << "Run 'lockgraph check --help' for usage.\n";
    return ExitUsageOrInputError;
  }
  if (Parsed->has("help")) {
    printCheckHelp(llvm::outs());
    return ExitClean;
  }
  auto Request = makeRequest(*Parsed);
  if (auto *Error = std::get_if<UsageError>(&Request))
    return reportUsageError(Error->Message);
  CheckRequest &R = std::get<CheckRequest>(Request);

  if (auto Problem = checkInputFiles(Parsed->Positionals))
    return reportUsageError(*Problem);
  auto Config = TidyConfiguration::create(R.Tidy);
  if (!Config)
    return reportUsageError(llvm::toString(Config.takeError()));

  if (R.ListChecks || R.DumpConfig)
    if (llvm::Error E = Config->checkConfigurationFiles(configurationProbe(R)))
      return reportUsageError(llvm::toString(std::move(E)));
  if (R.ListChecks)
    return listChecks(*Config, R);
  if (R.DumpConfig)
    return dumpConfig(*Config, R);
  return analyze(*Config, R);
}

} // namespace lockgraph
