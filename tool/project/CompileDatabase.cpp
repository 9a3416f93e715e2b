#include "CompileDatabase.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace lockgraph {

using clang::tooling::CompilationDatabase;
using clang::tooling::FixedCompilationDatabase;
using clang::tooling::JSONCompilationDatabase;

static llvm::Error inputError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static llvm::Expected<CompileDatabase> loadDatabaseFile(llvm::StringRef Path) {
  std::string Error;
  std::unique_ptr<CompilationDatabase> Loaded;
  if (llvm::sys::path::filename(Path) == "compile_flags.txt") {
    Loaded = FixedCompilationDatabase::loadFromFile(Path, Error);
  } else {
    // Files that a JSON database does not list (headers, new sources) get
    // the flags of the most similar listed file, as in clangd.
    Loaded = JSONCompilationDatabase::loadFromFile(
        Path, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (Loaded)
      Loaded = clang::tooling::inferMissingCompileCommands(std::move(Loaded));
  }
  if (!Loaded)
    return inputError("cannot read compilation database '" + Path +
                      "': " + Error);
  return CompileDatabase{std::move(Loaded), Path.str(), llvm::sys::path::parent_path(Path).str()};
}

std::optional<std::string> findDatabaseUpwards(llvm::StringRef Directory,
                                               bool AlsoInBuildSubdirectory) {
  for (llvm::StringRef Dir = Directory; !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallVector<std::string, 3> Candidates;
    for (const char *Name : {"compile_commands.json", "compile_flags.txt"}) {
      llvm::SmallString<256> Candidate(Dir);
      llvm::sys::path::append(Candidate, Name);
      Candidates.push_back(std::string(Candidate));
      if (AlsoInBuildSubdirectory && Candidates.size() == 1) {
        llvm::SmallString<256> InBuild(Dir);
        llvm::sys::path::append(InBuild, "build", Name);
        Candidates.push_back(std::string(InBuild));
      }
    }
    for (const std::string &Candidate : Candidates)
      if (llvm::sys::fs::is_regular_file(Candidate))
        return Candidate;
  }
  return std::nullopt;
}

static std::string currentDirectory() {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return ".";
  return std::string(Cwd);
}

/// A file that several targets compile (a static and a shared library of
/// the same sources) has several entries, differing in -fPIC or a define.
/// Analysing each would parse the file twice, report its findings twice
/// and leave it uncached (one cache entry holds one analysis), so lockgraph
/// analyses a file with its first command, as clangd does.
class FirstCommandPerFile : public CompilationDatabase {
public:
  explicit FirstCommandPerFile(std::unique_ptr<CompilationDatabase> Inner) : Inner(std::move(Inner)) {}

  std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef File) const override {
    std::vector<clang::tooling::CompileCommand> Commands = Inner->getCompileCommands(File);
    if (Commands.size() > 1)
      Commands.resize(1);
    return Commands;
  }
  std::vector<std::string> getAllFiles() const override { return Inner->getAllFiles(); }
  std::vector<clang::tooling::CompileCommand> getAllCompileCommands() const override {
    std::vector<clang::tooling::CompileCommand> Out;
    for (const std::string &File : getAllFiles())
      for (clang::tooling::CompileCommand &C : getCompileCommands(File))
        Out.push_back(std::move(C));
    return Out;
  }

private:
  std::unique_ptr<CompilationDatabase> Inner;
};

/// Adjusts every compile command for running clang inside lockgraph:
///  - clang finds its builtin headers (<stddef.h>, ...) relative to the
///    running binary, and lockgraph is not installed next to clang, so name
///    the resource directory of the clang we were built against (unless the
///    command names one itself);
///  - without caret diagnostics the compiler does not print its own
///    "N warnings generated." line; lockgraph prints every finding itself.
static CompileDatabase adaptForInProcessClang(CompileDatabase Database) {
  auto Adjusting =
      std::make_unique<clang::tooling::ArgumentsAdjustingCompilations>(
          std::make_unique<FirstCommandPerFile>(std::move(Database.Commands)));
  Adjusting->appendArgumentsAdjuster(
      [](const clang::tooling::CommandLineArguments &Args, llvm::StringRef) {
        clang::tooling::CommandLineArguments Adjusted = Args;
        bool HasResourceDir = llvm::any_of(Args, [](llvm::StringRef Arg) {
          return Arg == "-resource-dir" || Arg.starts_with("-resource-dir=");
        });
        if (!HasResourceDir)
          Adjusted.insert(Adjusted.begin() + (Adjusted.empty() ? 0 : 1),
                          "-resource-dir=" LOCKGRAPH_CLANG_RESOURCE_DIR);
        Adjusted.push_back("-fno-caret-diagnostics");
        return Adjusted;
      });
  Database.Commands = std::move(Adjusting);
  return Database;
}

static llvm::Expected<CompileDatabase>
selectUnadjusted(const std::optional<std::string> &BuildPath,
                 const std::optional<std::vector<std::string>> &Flags,
                 const std::vector<std::string> &Files) {
  if (Flags) {
    // loadFromCommandLine drops what does not belong in per-file flags
    // (input files, -c, -o) the same way clang-tidy does.
    std::vector<const char *> Argv = {"lockgraph", "--"};
    for (const std::string &Flag : *Flags)
      Argv.push_back(Flag.c_str());
    int Argc = int(Argv.size());
    std::string Error;
    auto Fixed = FixedCompilationDatabase::loadFromCommandLine(
        Argc, Argv.data(), Error, currentDirectory());
    if (!Fixed)
      return inputError("invalid compiler flags after '--': " + Error);
    return CompileDatabase{std::move(Fixed), "flags after '--'", currentDirectory()};
  }

  if (BuildPath) {
    llvm::SmallString<256> Path(*BuildPath);
    llvm::sys::fs::make_absolute(Path);
    if (llvm::sys::fs::is_regular_file(Path))
      return loadDatabaseFile(Path);
    if (!llvm::sys::fs::is_directory(Path))
      return inputError("build directory '" + *BuildPath +
                        "' (given with -p) does not exist");
    if (auto Found = findDatabaseUpwards(Path))
      return loadDatabaseFile(*Found);
    return inputError("no compile_commands.json in '" + *BuildPath +
                      "' (given with -p) or its parent directories; configure "
                      "the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
  }

  assert(!Files.empty() && "without -p there must be input files");
  if (auto Found = findDatabaseUpwards(llvm::sys::path::parent_path(Files[0])))
    return loadDatabaseFile(*Found);
  return inputError(
      "no compilation database found for '" + Files[0] +
      "': there is no compile_commands.json or compile_flags.txt in its "
      "directory or any parent; pass -p <build dir>, or give the compiler "
      "flags after '--' (e.g. lockgraph check file.cpp -- -std=c++20)");
}

llvm::Expected<CompileDatabase>
selectCompileDatabase(const std::optional<std::string> &BuildPath,
                      const std::optional<std::vector<std::string>> &Flags,
                      const std::vector<std::string> &Files) {
  auto Database = selectUnadjusted(BuildPath, Flags, Files);
  if (!Database)
    return Database.takeError();
  return adaptForInProcessClang(std::move(*Database));
}

} // namespace lockgraph
