//===- TidyConfiguration.h - clang-tidy options for lockgraph ------------===//
//
// Builds clang-tidy's options the way clang-tidy itself layers them, so
// `.clang-tidy` files, `CheckOptions`, `--config` and `--checks` behave as
// users know them: built-in defaults < `.clang-tidy` files found upwards from
// each analyzed file (or `--config`/`--config-file` instead of them) <
// command-line options. The lockgraph-specific parts: the default check
// glob enables lockgraph's checks and nothing else, and a `.clang-tidy`
// file's `Checks` and `WarningsAsErrors` (meant for clang-tidy's own checks)
// are replaced by its `lockgraph.Checks` and `lockgraph.WarningsAsErrors`
// CheckOptions (docs/command-line.md#configuration).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_TIDYCONFIGURATION_H
#define LOCKGRAPH_TOOL_TIDYCONFIGURATION_H

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

inline constexpr const char *DefaultCheckGlob = "-*,lockgraph-*";
/// `.clang-tidy` CheckOptions keys read by lockgraph alone: `lockgraph.Checks`.
inline constexpr llvm::StringLiteral LockgraphConfigPrefix = "lockgraph.";

struct TidySettings {
  std::optional<std::string> Checks;
  std::optional<std::string> WarningsAsErrors;
  std::optional<std::string> HeaderFilter;
  std::optional<bool> SystemHeaders;
  std::optional<std::string> Config;     // --config=<YAML or JSON text>
  std::optional<std::string> ConfigFile; // --config-file=<path>
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
};

class TidyConfiguration {
public:
  /// Fails with a user-facing message when --config or --config-file does
  /// not parse or the file cannot be read.
  static llvm::Expected<TidyConfiguration> create(const TidySettings &Settings);

  /// A fresh provider: every ClangTidyContext owns one, and each thread
  /// analyzing files needs its own context. `FS` must be the file system the
  /// analysis runs on: clang-tidy asks for the options of files named
  /// relative to the compile command's directory, which only that file
  /// system's working directory knows.
  std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
  makeProvider(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) const;

  /// The options in effect for `File` (absolute path).
  clang::tidy::ClangTidyOptions optionsFor(llvm::StringRef File) const;

  /// The header filter used when neither the command line nor a
  /// configuration file sets one (see ProjectRoot.h).
  void setDefaultHeaderFilter(std::string Regex) { Defaults.HeaderFilterRegex = std::move(Regex); }

  /// Fails with one message when a `.clang-tidy` file that applies to
  /// \p File cannot be read or does not parse (clang-tidy would warn for
  /// every file and analyse with the defaults). Files already checked are
  /// remembered.
  llvm::Error checkConfigurationFiles(llvm::StringRef File);

  /// Names of the checks `Options` enables.
  static std::vector<std::string>
  enabledChecks(const clang::tidy::ClangTidyOptions &Options);

private:
  struct CheckedFile {
    bool Exists = false;
    bool InheritsParent = false;
    std::string Problem; // empty: fine
    /// Something the run goes on despite, said once (empty: nothing).
    std::string Warning;
  };
  static CheckedFile checkConfigurationFile(llvm::StringRef Path);

  llvm::StringMap<CheckedFile> CheckedFiles;
  clang::tidy::ClangTidyOptions Defaults;
  clang::tidy::ClangTidyOptions Overrides;
  std::optional<clang::tidy::ClangTidyOptions> ExplicitConfig;
};

} // namespace lockgraph

#endif
