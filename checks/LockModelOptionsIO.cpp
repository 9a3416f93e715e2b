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

static bool isTrue(llvm::StringRef Text) {
  llvm::StringRef V = Text.trim();
  return V.equals_insensitive("true") || V == "1" || V.equals_insensitive("on") || V.equals_insensitive("yes");
}

bool readAssumeEveryOverride(const clang::tidy::ClangTidyOptions::OptionMap &Options) {
  for (const char *Key : {"lockgraph-lock-order.AssumeEveryOverride", "AssumeEveryOverride"})
    if (auto It = Options.find(Key); It != Options.end())
      return isTrue(It->second.Value);
  return false;
}

bool readBlockingInterprocedural(const clang::tidy::ClangTidyOptions::OptionMap &Options) {
  auto It = Options.find("lockgraph-blocking-under-lock.Interprocedural");
  return It == Options.end() || isTrue(It->second.Value);
}

BlockingCatalogueOptions readBlockingCatalogueOptions(const clang::tidy::ClangTidyOptions::OptionMap &Options) {
  auto Get = [&](const char *Name) -> std::optional<std::string> {
    if (auto It = Options.find(std::string("lockgraph-blocking-under-lock.") + Name); It != Options.end())
      return It->second.Value;
    return std::nullopt;
  };
  BlockingCatalogueOptions Out;
  Out.Extra = splitNameList(Get("BlockingFunctions").value_or(""));
  Out.Ignored = splitNameList(Get("IgnoredBlockingFunctions").value_or(""));
  Out.Defaults = isTrue(Get("BlockingDefaults").value_or("true"));
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
