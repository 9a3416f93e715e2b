//===- ProjectRoot.cpp ----------------------------------------------------===//

#include "ProjectRoot.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

namespace lockgraph {

std::optional<std::string> projectRoot(const std::vector<std::string> &Paths) {
  if (Paths.empty())
    return std::nullopt;
  std::vector<llvm::StringRef> Common(llvm::sys::path::begin(Paths[0]), llvm::sys::path::end(Paths[0]));
  for (const std::string &Path : Paths) {
    size_t Same = 0;
    for (auto It = llvm::sys::path::begin(Path), End = llvm::sys::path::end(Path);
         It != End && Same < Common.size() && *It == Common[Same]; ++It)
      ++Same;
    Common.resize(Same);
  }
  // Paths[0] may be a file: when it is the only path, its directory.
  if (Paths.size() == 1 || llvm::all_of(Paths, [&](const std::string &P) { return P == Paths[0]; }))
    Common.pop_back();
  llvm::SmallString<256> Root;
  for (llvm::StringRef Part : Common)
    llvm::sys::path::append(Root, Part);
  if (Root.empty() || llvm::sys::path::parent_path(Root).empty())
    return std::nullopt;
  return std::string(Root);
}

std::string projectHeaderFilter(llvm::StringRef Root) {
  return "^(" + llvm::Regex::escape(Root) + "/|[^/])";
}

} // namespace lockgraph
