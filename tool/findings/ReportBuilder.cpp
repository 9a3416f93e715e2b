#include "ReportBuilder.h"

#include "CheckCatalog.h"
#include "SourceFiles.h"

#include <set>

namespace lockgraph {

using clang::tidy::ClangTidyError;

static bool isCompilerError(const ClangTidyError &D) {
  return llvm::StringRef(D.DiagnosticName).starts_with("clang-diagnostic-") &&
         D.DiagLevel == ClangTidyError::Error && !D.IsWarningAsError;
}

static FindingNote toNote(const clang::tooling::DiagnosticMessage &M,
                          const std::string &BuildDirectory,
                          SourceFiles &Sources) {
  FindingNote Note;
  Note.Message = M.Message;
  if (!M.FilePath.empty())
    Note.Where = Sources.locate(absolutePath(M.FilePath, BuildDirectory),
                                M.FileOffset);
  return Note;
}

CheckReport buildReport(const std::vector<FileAnalysis> &Analyses,
                        const std::string &SourceRoot) {
  CheckReport Report;
  Report.SourceRoot = SourceRoot;
  SourceFiles Sources;
  std::set<std::string> Checks;

  for (const FileAnalysis &A : Analyses) {
    ++Report.FilesAnalyzed;
    Report.SuppressedByNolint += A.SuppressedByNolint;
    Checks.insert(A.EnabledChecks.begin(), A.EnabledChecks.end());

    std::optional<InputFailure> Failure;
    if (A.InputError)
      Failure = InputFailure{A.File, *A.InputError, std::nullopt, 0};
    for (const ClangTidyError &D : A.Diagnostics) {
      if (isCompilerError(D)) {
        if (!Failure) {
          Failure.emplace();
          Failure->File = A.File;
          Failure->Reason = "does not compile";
          Failure->FirstError = toNote(D.Message, D.BuildDirectory, Sources);
        }
        ++Failure->ErrorCount;
        continue;
      }
      Finding F;
      F.Check = D.DiagnosticName;
      F.Level = D.IsWarningAsError || D.DiagLevel == ClangTidyError::Error ? Severity::Error
                : isPerformanceAdvice(F.Check)                             ? Severity::Note
                                                                           : Severity::Warning;
      FindingNote Main = toNote(D.Message, D.BuildDirectory, Sources);
      F.Message = std::move(Main.Message);
      F.Where = std::move(Main.Where);
      for (const auto &N : D.Notes)
        F.Notes.push_back(toNote(N, D.BuildDirectory, Sources));
      Report.Findings.push_back(std::move(F));
    }
    if (Failure)
      Report.Failures.push_back(std::move(*Failure));
  }

  Report.EnabledChecks.assign(Checks.begin(), Checks.end());
  Report.finalize();
  return Report;
}

} // namespace lockgraph
