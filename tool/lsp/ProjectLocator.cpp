//===- ProjectLocator.cpp -------------------------------------------------===//

#include "lsp/ProjectLocator.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace lockgraph::lsp {

const std::vector<std::string> &defaultCompilerFlags() {
  // -xc++: headers opened on their own are C++ too.
  static const std::vector<std::string> Flags = {"-xc++", "-std=c++20"};
  return Flags;
}

/// `lockgraph check -p <build dir>` keeps its cache in
/// <build dir>/.lockgraph-cache; the database found may be a symbolic link
/// into the build directory (a common setup for clangd), so both places
/// are tried.
static std::optional<std::string> existingCacheNextTo(llvm::StringRef DatabasePath) {
  llvm::SmallVector<std::string, 2> Databases = {DatabasePath.str()};
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(DatabasePath, Real) && Real != DatabasePath)
    Databases.push_back(std::string(Real));
  for (const std::string &Database : Databases) {
    llvm::SmallString<256> Cache(llvm::sys::path::parent_path(Database));
    llvm::sys::path::append(Cache, ".lockgraph-cache");
    if (llvm::sys::fs::is_directory(Cache))
      return std::string(Cache);
  }
  return std::nullopt;
}

FileProject locateProject(const std::string &File) {
  FileProject Project;
  llvm::StringRef Directory = llvm::sys::path::parent_path(File);
  Project.Root = Directory.str();
  if (std::optional<std::string> Found = findDatabaseUpwards(Directory, /*AlsoInBuildSubdirectory=*/true)) {
    llvm::Expected<CompileDatabase> Loaded = selectCompileDatabase(*Found, std::nullopt, {});
    if (Loaded) {
      Project.Database = std::move(*Loaded);
      Project.FoundDatabase = true;
      Project.CacheDirectory = existingCacheNextTo(*Found);
      Project.Root = llvm::sys::path::parent_path(*Found).str();
      return Project;
    }
    Project.Problem = llvm::toString(Loaded.takeError());
  } else {
    Project.Problem = "no compile_commands.json or compile_flags.txt in the directory of '" + File +
                      "', its parents, or a build/ subdirectory of those";
  }
  // Fixed flags always load; an error here would be a bug in the flags above.
  Project.Database = llvm::cantFail(selectCompileDatabase(std::nullopt, defaultCompilerFlags(), {File}));
  return Project;
}

} // namespace lockgraph::lsp
