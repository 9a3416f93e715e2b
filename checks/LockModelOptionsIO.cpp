//===- LockModelOptionsIO.cpp ---------------------------------------------===//

#include "LockModelOptionsIO.h"

namespace lockgraph {

LockModelOptions readLockModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options) {
  LockModelOptions Out;
  Out.ExtraMutexes = splitNameList(Options.getLocalOrGlobal("Mutexes", ""));
  Out.ExtraGuards = splitNameList(Options.getLocalOrGlobal("Guards", ""));
  // Read as text: clang-tidy-19's binary does not export the bool overload
  // to plugins.
  llvm::StringRef DefaultsText = Options.getLocalOrGlobal("AsyncDefaults", "true");
  bool Defaults = !(DefaultsText.equals_insensitive("false") || DefaultsText == "0");
  if (Defaults) {
    Out.AsyncMutexes = LockModelOptions::defaultAsyncMutexes();
    Out.AsyncGuards = LockModelOptions::defaultAsyncGuards();
  }
  for (std::string &Name : splitNameList(Options.getLocalOrGlobal("AsyncMutexes", "")))
    Out.AsyncMutexes.push_back(std::move(Name));
  for (std::string &Name : splitNameList(Options.getLocalOrGlobal("AsyncGuards", "")))
    Out.AsyncGuards.push_back(std::move(Name));
  return Out;
}

void storeLockModelOptions(const clang::tidy::ClangTidyCheck::OptionsView &Options,
                           clang::tidy::ClangTidyOptions::OptionMap &Map) {
  Options.store(Map, "Mutexes", Options.getLocalOrGlobal("Mutexes", ""));
  Options.store(Map, "Guards", Options.getLocalOrGlobal("Guards", ""));
  Options.store(Map, "AsyncMutexes", Options.getLocalOrGlobal("AsyncMutexes", ""));
  Options.store(Map, "AsyncGuards", Options.getLocalOrGlobal("AsyncGuards", ""));
  Options.store(Map, "AsyncDefaults", Options.getLocalOrGlobal("AsyncDefaults", "true"));
}

} // namespace lockgraph
