//===- FileChecker.cpp ----------------------------------------------------===//

#include "lsp/FileChecker.h"

#include "FactsCache.h"
#include "SourceFiles.h"
#include "WholeProgram.h"
#include "lsp/ProjectLocator.h"

namespace lockgraph::lsp {

/// The last facts of every file of the database other than \p File.
static std::vector<TUFacts> factsOfOtherFiles(const FileProject &Project, const std::string &File) {
  std::vector<TUFacts> Out;
  if (!Project.CacheDirectory)
    return Out;
  FactsCache Cache(*Project.CacheDirectory);
  for (const std::string &Other : Project.Database.Commands->getAllFiles()) {
    std::string Path = absolutePath(Other);
    if (Path == File)
      continue;
    if (std::optional<TUFacts> Facts = Cache.lastFacts(Path))
      Out.push_back(std::move(*Facts));
  }
  return Out;
}

static std::string describeFailure(const InputFailure &F) {
  std::string Text = "'" + F.File + "' " + F.Reason;
  if (F.FirstError) {
    Text += " (" + std::to_string(F.ErrorCount) + (F.ErrorCount == 1 ? " error" : " errors");
    if (F.FirstError->Where)
      Text += "; first at line " + std::to_string(F.FirstError->Where->Line);
    Text += ": " + F.FirstError->Message + ")";
  }
  return Text + "; lockgraph shows what it could analyse";
}

FileCheck checkFile(const TidyConfiguration &Config, const std::string &File) {
  FileCheck Out;
  FileProject Project = locateProject(File);
  Out.UsedDefaultFlags = !Project.FoundDatabase;
  Out.DatabaseProblem = Project.Problem;

  std::vector<std::string> Files = {File};
  ProgramOptions Options;
  Options.CacheDirectory = Project.CacheDirectory;
  ProgramAnalysis Program =
      analyzeProgram(Config, *Project.Database.Commands, Files, Options, [](unsigned, unsigned, llvm::StringRef) {});
  for (std::string &Warning : Program.CacheWarnings)
    Out.Notices.push_back(std::move(Warning));
  std::vector<TUFacts> Others = factsOfOtherFiles(Project, File);
  Out.LinkedUnits = unsigned(Others.size());
  std::vector<std::string> Linked = Files;
  for (TUFacts &Facts : Others) {
    Linked.push_back(Facts.MainFile);
    Program.Facts.push_back(std::move(Facts));
  }
  // The program is whole only when every other file's last facts are
  // there (a file that never compiled has none).
  Program.CoversProgram = coversDatabase(*Project.Database.Commands, Linked);

  Out.Report =
      reportProgram(Config, std::move(Program), Files, Project.Root, ProgramFindingScope::TouchingFiles);
  for (const InputFailure &F : Out.Report.Failures)
    Out.Notices.push_back(describeFailure(F));
  for (const std::string &Note : Out.Report.LimitNotes)
    Out.Notices.push_back(Note);
  return Out;
}

} // namespace lockgraph::lsp
