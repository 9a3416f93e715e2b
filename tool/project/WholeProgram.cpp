//===- WholeProgram.cpp ---------------------------------------------------===//

#include "WholeProgram.h"

#include "FactsCache.h"
#include "LinkLimits.h"
#include "ReportBuilder.h"
#include "SourceFiles.h"
#include "CheckCatalog.h"
#include "LockModelOptionsIO.h"
#include "TranslationUnitFacts.h"
#include "analysis/CallbackDispatch.h"
#include "analysis/CrossUnitBlocking.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"

#include <map>
#include <mutex>
#include <set>
#include <tuple>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace lockgraph {
namespace {

std::string realPath(llvm::StringRef Path) {
  llvm::SmallString<256> Out;
  if (llvm::sys::fs::real_path(Path, Out))
    return Path.str();
  return Out.str().str();
}

/// Installs the facts sink for its lifetime and keeps what arrives, by the
/// real path of each unit's main file.
class FactsCollector {
public:
  struct Unit {
    TUFacts Facts;
    std::optional<std::vector<InputFile>> Inputs;
  };

  FactsCollector() {
    setFactsSink([this](TUFacts Facts, const clang::SourceManager &SM) {
      std::optional<std::vector<InputFile>> Inputs = inputsOf(SM);
      std::lock_guard<std::mutex> Lock(Mutex);
      Unit &U = Units[Facts.MainFile];
      // A file compiled by several commands contributes every command's
      // functions; the linker keeps one copy of each.
      if (U.Facts.MainFile.empty()) {
        U.Facts = std::move(Facts);
        U.Inputs = std::move(Inputs);
      } else {
        for (FunctionFacts &F : Facts.Functions)
          U.Facts.Functions.push_back(std::move(F));
        for (VirtualCallbackFact &C : Facts.VirtualCallbacks)
          U.Facts.VirtualCallbacks.push_back(std::move(C));
        U.Inputs.reset(); // several inputs lists: do not cache
      }
    });
  }
  ~FactsCollector() { setFactsSink(nullptr); }
  FactsCollector(const FactsCollector &) = delete;
  FactsCollector &operator=(const FactsCollector &) = delete;

  std::optional<Unit> take(llvm::StringRef File) {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Units.find(realPath(File));
    if (It == Units.end())
      return std::nullopt;
    Unit U = std::move(It->second);
    Units.erase(It);
    return U;
  }

private:
  std::mutex Mutex;
  std::map<std::string, Unit> Units;
};

bool failedToCompile(const FileAnalysis &A) { return analysisFailure(A).has_value(); }

/// Lines of source files, for the line text findings carry.
class LineReader {
public:
  std::optional<SourcePoint> point(const FactLoc &L) {
    if (!L.valid())
      return std::nullopt;
    SourcePoint P;
    P.File = absolutePath(L.File);
    P.Line = L.Line;
    P.Column = L.Column;
    auto &Lines = Files[P.File];
    if (!Lines) {
      Lines.emplace();
      if (auto Buffer = llvm::MemoryBuffer::getFile(P.File)) {
        llvm::SmallVector<llvm::StringRef, 0> Split;
        (*Buffer)->getBuffer().split(Split, '\n');
        for (llvm::StringRef S : Split)
          Lines->push_back(S.rtrim('\r').str());
      }
    }
    if (L.Line <= Lines->size())
      P.LineText = (*Lines)[L.Line - 1];
    // Runtime locations (symbolized stacks) have no column: point at the
    // line's first character that is not blank.
    if (P.Column == 0) {
      size_t Text = llvm::StringRef(P.LineText).find_first_not_of(" \t");
      P.Column = Text == llvm::StringRef::npos ? 1 : unsigned(Text) + 1;
    }
    return P;
  }

private:
  std::map<std::string, std::optional<std::vector<std::string>>> Files;
};

/// clang-tidy's NOLINT on the finding's own line: bare, or listing the check.
bool suppressedByNolint(const Finding &F) {
  if (!F.Where)
    return false;
  llvm::StringRef Line = F.Where->LineText;
  size_t At = Line.find("NOLINT");
  if (At == llvm::StringRef::npos || Line.substr(At).starts_with("NOLINTNEXTLINE") ||
      Line.substr(At).starts_with("NOLINTBEGIN") || Line.substr(At).starts_with("NOLINTEND"))
    return false;
  llvm::StringRef Rest = Line.substr(At + 6);
  if (!Rest.consume_front("("))
    return true;
  llvm::StringRef List = Rest.split(')').first;
  llvm::SmallVector<llvm::StringRef, 4> Globs;
  List.split(Globs, ',');
  for (llvm::StringRef G : Globs)
    if (clang::tidy::GlobList(G.trim()).contains(F.Check))
      return true;
  return false;
}

/// Drops callback-under-lock's findings on virtual calls that the link
/// found to run only harmless code in every override of the program.
void dropHarmlessCallbacks(CheckReport &Report, const std::vector<VirtualCallbackFact> &Harmless) {
  if (Harmless.empty())
    return;
  std::map<std::string, std::string> RealPaths;
  auto Real = [&](const std::string &Path) -> const std::string & {
    auto It = RealPaths.find(Path);
    if (It == RealPaths.end())
      It = RealPaths.emplace(Path, realPath(Path)).first;
    return It->second;
  };
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Cleared;
  for (const VirtualCallbackFact &C : Harmless)
    Cleared.insert({Real(C.Site.File), C.Site.Line, C.Site.Column, C.Message});
  llvm::erase_if(Report.Findings, [&](const Finding &F) {
    return F.Check == CallbackUnderLockCheckName && F.Where &&
           Cleared.count({Real(F.Where->File), F.Where->Line, F.Where->Column, F.Message});
  });
}

} // namespace

std::optional<std::string> analysisFailure(const FileAnalysis &A) {
  if (A.InputError)
    return "'" + A.File + "' " + *A.InputError;
  for (const clang::tidy::ClangTidyError &D : A.Diagnostics)
    if (llvm::StringRef(D.DiagnosticName).starts_with("clang-diagnostic-") &&
        D.DiagLevel == clang::tidy::ClangTidyError::Error && !D.IsWarningAsError)
      return "'" + A.File + "' does not compile: " + D.Message.Message;
  return std::nullopt;
}

void retainFreedMemory() {
#ifdef __GLIBC__
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

void releaseFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

ProgramAnalysis analyzeProgram(const TidyConfiguration &Config,
                               const clang::tooling::CompilationDatabase &Commands,
                               const std::vector<std::string> &Files, const ProgramOptions &Options,
                               ProgressCallback Progress) {
  retainFreedMemory();
  ProgramAnalysis Out;
  Out.Analyses.resize(Files.size());
  std::optional<FactsCache> Cache;
  if (Options.CacheDirectory)
    Cache.emplace(*Options.CacheDirectory);

  Out.CoversProgram = coversDatabase(Commands, Files);
  std::vector<std::string> Keys(Files.size());
  std::vector<std::string> Misses;
  std::vector<size_t> MissIndex;
  for (size_t I = 0; I < Files.size(); ++I) {
    if (Cache) {
      Keys[I] = cacheKey(Commands, Files[I], clang::tidy::configurationAsText(Config.optionsFor(Files[I])));
      if (std::optional<CachedTU> Hit = Cache->lookup(Files[I], Keys[I])) {
        Out.Analyses[I] = std::move(Hit->Analysis);
        Out.Facts.push_back(std::move(Hit->Facts));
        ++Out.FromCache;
        continue;
      }
    }
    Misses.push_back(Files[I]);
    MissIndex.push_back(I);
  }
  if (Misses.empty())
    return Out;

  FactsCollector Collector;
  std::vector<FileAnalysis> Fresh = analyzeFiles(Config, Commands, Misses, Options.Jobs, Progress);
  Out.Reanalyzed = unsigned(Misses.size());
  for (size_t M = 0; M < Misses.size(); ++M) {
    size_t I = MissIndex[M];
    std::optional<FactsCollector::Unit> Unit = Collector.take(Misses[M]);
    TUFacts Facts;
    if (Unit)
      Facts = std::move(Unit->Facts);
    // Units that did not compile are analysed again next time, so their
    // errors are not silently remembered.
    if (Cache && Unit && Unit->Inputs && !failedToCompile(Fresh[M]))
      if (llvm::Error E = Cache->store(Misses[M], Keys[I], *Unit->Inputs, Facts, Fresh[M]))
        Out.CacheWarnings.push_back(llvm::toString(std::move(E)));
    Out.Analyses[I] = std::move(Fresh[M]);
    if (Unit)
      Out.Facts.push_back(std::move(Facts));
  }
  return Out;
}

bool coversDatabase(const clang::tooling::CompilationDatabase &Commands, const std::vector<std::string> &Files) {
  // Without a database (flags after `--`) the files named are what the
  // user wants checked, not a program: a header's interface may have
  // overrides anywhere.
  std::vector<std::string> Listed = Commands.getAllFiles();
  if (Listed.empty())
    return false;
  llvm::StringSet<> Analysed;
  for (const std::string &F : Files)
    Analysed.insert(F);
  return llvm::all_of(Listed,
                      [&](const std::string &Listed) { return Analysed.contains(absolutePath(Listed)); });
}

std::pair<std::vector<TUFacts>, std::vector<FileAnalysis>>
extractFacts(const TidyConfiguration &Config, const clang::tooling::CompilationDatabase &Commands,
             const std::vector<std::string> &Files, unsigned Jobs) {
  FactsCollector Collector;
  std::vector<FileAnalysis> Analyses =
      analyzeFiles(Config, Commands, Files, Jobs, [](unsigned, unsigned, llvm::StringRef) {});
  std::vector<TUFacts> Facts;
  for (const std::string &File : Files) {
    std::optional<FactsCollector::Unit> Unit = Collector.take(File);
    if (Unit) {
      Facts.push_back(std::move(Unit->Facts));
    } else {
      // A unit with no function definitions still has (empty) facts.
      TUFacts Empty;
      Empty.MainFile = realPath(File);
      Facts.push_back(std::move(Empty));
    }
  }
  return {std::move(Facts), std::move(Analyses)};
}

std::vector<Finding> findingsOf(const std::vector<LockReport> &Reports) {
  LineReader Lines;
  std::vector<Finding> Out;
  for (const LockReport &R : Reports) {
    Finding F;
    F.Check = R.Check;
    F.Message = R.Message;
    F.Where = Lines.point(R.Where);
    for (const LockReportNote &N : R.Notes)
      F.Notes.push_back(FindingNote{N.Message, Lines.point(N.Where)});
    F.NotesFormPath = true;
    Out.push_back(std::move(F));
  }
  return Out;
}

void addProgramFindings(CheckReport &Report, std::vector<TUFacts> Facts, const std::vector<std::string> &Files,
                        const std::string &HeaderFilter, const std::string &WarningsAsErrors,
                        ProgramFindingScope Scope, const LinkOptions &Limits, bool BlockingFollowsCalls,
                        bool CoversProgram) {
  llvm::StringSet<> Enabled;
  for (const std::string &C : Report.EnabledChecks)
    Enabled.insert(C);
  // Each check that needs the link asks for it: blocking-under-lock to
  // follow calls into other files, callback-under-lock to decide virtual
  // calls with every file's overrides.
  bool FollowsBlocking = BlockingFollowsCalls && Enabled.contains(BlockingUnderLockCheckName);
  if (!Enabled.contains(LockOrderCheckName) && !Enabled.contains(DoubleLockCheckName) && !FollowsBlocking &&
      !Enabled.contains(CallbackUnderLockCheckName))
    return;
  LockOrderLinker Linker(Limits);
  for (TUFacts &T : Facts)
    Linker.add(std::move(T));
  Linker.link();
  Report.LimitNotes = limitNotes(Linker.limitHits(), Limits);
  // A unit that failed may define an override nobody saw.
  if (CoversProgram && Report.Failures.empty())
    dropHarmlessCallbacks(Report, Linker.harmlessCallbacks());

  llvm::StringSet<> Analyzed;
  for (const std::string &F : Files)
    Analyzed.insert(F);
  llvm::Regex Headers(HeaderFilter);
  clang::tidy::CachedGlobList AsErrors(WarningsAsErrors);
  for (Finding &F : findingsOf(Linker.reports())) {
    if (!Enabled.contains(F.Check) || !F.Where)
      continue;
    // Blocking calls reached through another file's function: advice, like
    // the rest of blocking-under-lock, and only when it follows calls.
    if (isPerformanceAdvice(F.Check)) {
      if (!BlockingFollowsCalls)
        continue;
      F.Level = Severity::Note;
      F.NotesFormPath = false;
    }
    auto InAnalyzedFile = [&](const std::optional<SourcePoint> &P) { return P && Analyzed.contains(P->File); };
    bool Keep = InAnalyzedFile(F.Where) || (!HeaderFilter.empty() && Headers.match(F.Where->File)) ||
                (Scope == ProgramFindingScope::TouchingFiles &&
                 llvm::any_of(F.Notes, [&](const FindingNote &N) { return InAnalyzedFile(N.Where); }));
    if (!Keep)
      continue;
    if (suppressedByNolint(F)) {
      ++Report.SuppressedByNolint;
      continue;
    }
    if (AsErrors.contains(F.Check))
      F.Level = Severity::Error;
    Report.Findings.push_back(std::move(F));
  }
  Report.finalize();
}

CheckReport reportProgram(const TidyConfiguration &Config, ProgramAnalysis Program,
                          const std::vector<std::string> &Files, const std::string &SourceRoot,
                          ProgramFindingScope Scope, const LinkOptions &Limits) {
  CheckReport Report = buildReport(Program.Analyses, SourceRoot);
  // Lock-order cycles and double locks span files: they come from linking
  // every file's facts, after all files were analyzed.
  clang::tidy::ClangTidyOptions FirstOptions = Config.optionsFor(Files.front());
  Report.FailOnlyOnErrors = !FirstOptions.WarningsAsErrors.value_or("").empty();
  LinkOptions Link = Limits;
  Link.AssumeEveryOverride = readAssumeEveryOverride(FirstOptions.CheckOptions);
  addProgramFindings(Report, std::move(Program.Facts), Files, FirstOptions.HeaderFilterRegex.value_or(""),
                     FirstOptions.WarningsAsErrors.value_or(""), Scope, Link,
                     readBlockingInterprocedural(FirstOptions.CheckOptions), Program.CoversProgram);
  return Report;
}

} // namespace lockgraph
