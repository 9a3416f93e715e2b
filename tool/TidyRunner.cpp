#include "TidyRunner.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <mutex>

namespace lockgraph {

static FileAnalysis analyzeOneFile(const TidyConfiguration &Config,
                                   const clang::tooling::CompilationDatabase &Commands,
                                   const std::string &File) {
  FileAnalysis Result;
  Result.File = File;
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
