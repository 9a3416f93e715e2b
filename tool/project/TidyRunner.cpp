#include "TidyRunner.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <mutex>

namespace lockgraph {

/// clang's tooling aborts the process (`LLVM ERROR: Cannot chdir`) when a
/// compile command's directory is missing, as in a database left behind by
/// a deleted build folder; such a file is a per-file input error instead.
static std::optional<std::string>
unrunnableCommand(const clang::tooling::CompilationDatabase &Commands, const std::string &File) {
  for (const clang::tooling::CompileCommand &C : Commands.getCompileCommands(File))
    if (!llvm::sys::fs::is_directory(C.Directory))
      return "cannot be analyzed: the directory of its compile command, '" + C.Directory +
             "', does not exist (a stale compilation database? configure the build again)";
  return std::nullopt;
}

static FileAnalysis analyzeOneFile(const TidyConfiguration &Config,
                                   const clang::tooling::CompilationDatabase &Commands,
                                   const std::string &File) {
  FileAnalysis Result;
  Result.File = File;
  if ((Result.InputError = unrunnableCommand(Commands, File)))
    return Result;
  // A private physical file system keeps the working directory that
  // ClangTool switches to for each compile command local to this thread
  // (the real file system would chdir the whole process).
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Physical(
      llvm::vfs::createPhysicalFileSystem().release());
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(Physical);
  clang::tidy::ClangTidyContext Context(Config.makeProvider(FS));
  Result.EnabledChecks =
      TidyConfiguration::enabledChecks(Context.getOptionsForFile(File));
  Result.Diagnostics = clang::tidy::runClangTidy(
      Context, Commands, {File}, FS, /*ApplyAnyFix=*/false);
  Result.SuppressedByNolint = Context.getStats().ErrorsIgnoredNOLINT;
  return Result;
}

std::vector<FileAnalysis>
analyzeFiles(const TidyConfiguration &Config,
             const clang::tooling::CompilationDatabase &Commands,
             const std::vector<std::string> &Files, unsigned Jobs,
             ProgressCallback Progress) {
  std::vector<FileAnalysis> Results(Files.size());
  unsigned Started = 0;
  std::mutex ProgressMutex;
  auto Run = [&](size_t I) {
    {
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      Progress(++Started, unsigned(Files.size()), Files[I]);
    }
    Results[I] = analyzeOneFile(Config, Commands, Files[I]);
  };

  if (Jobs <= 1 || Files.size() <= 1) {
    for (size_t I = 0; I < Files.size(); ++I)
      Run(I);
    return Results;
  }
  llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Jobs));
  for (size_t I = 0; I < Files.size(); ++I)
    Pool.async([&Run, I] { Run(I); });
  Pool.wait();
  return Results;
}

} // namespace lockgraph
