#include "TidyConfiguration.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"

namespace lockgraph {

using clang::tidy::ClangTidyGlobalOptions;
using clang::tidy::ClangTidyOptions;

static llvm::Error configError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static llvm::Expected<ClangTidyOptions> parseConfig(llvm::StringRef Text,
                                                    llvm::StringRef Source) {
  std::string Diagnostics;
  llvm::raw_string_ostream DiagStream(Diagnostics);
  auto Parsed = clang::tidy::parseConfigurationWithDiags(
      llvm::MemoryBufferRef(Text, Source),
      [&](const llvm::SMDiagnostic &D) { D.print(nullptr, DiagStream, false); });
  if (!Parsed)
    return configError("invalid configuration in " + Source + ": " +
                       (Diagnostics.empty() ? Parsed.getError().message()
                                            : llvm::StringRef(Diagnostics).trim()));
  return *Parsed;
}

llvm::Expected<TidyConfiguration>
TidyConfiguration::create(const TidySettings &Settings) {
  if (Settings.Config && Settings.ConfigFile)
    return configError("--config and --config-file cannot be used together");

  TidyConfiguration Result;
  Result.Defaults = ClangTidyOptions::getDefaults();
  Result.Defaults.Checks = DefaultCheckGlob;
  if (auto User = llvm::sys::Process::GetEnv("USER"))
    Result.Defaults.User = *User;

  ClangTidyOptions &O = Result.Overrides;
  O.Checks = Settings.Checks;
  O.WarningsAsErrors = Settings.WarningsAsErrors;
  O.HeaderFilterRegex = Settings.HeaderFilter;
  O.SystemHeaders = Settings.SystemHeaders;
  if (!Settings.ExtraArgs.empty())
    O.ExtraArgs = Settings.ExtraArgs;
  if (!Settings.ExtraArgsBefore.empty())
    O.ExtraArgsBefore = Settings.ExtraArgsBefore;

  if (Settings.Config) {
    auto Parsed = parseConfig(*Settings.Config, "--config");
    if (!Parsed)
      return Parsed.takeError();
    Result.ExplicitConfig = std::move(*Parsed);
  } else if (Settings.ConfigFile) {
    auto Text = llvm::MemoryBuffer::getFile(*Settings.ConfigFile);
    if (!Text)
      return configError("cannot read --config-file '" + *Settings.ConfigFile +
                         "': " + Text.getError().message());
    auto Parsed = parseConfig((*Text)->getBuffer(), *Settings.ConfigFile);
    if (!Parsed)
      return Parsed.takeError();
    Result.ExplicitConfig = std::move(*Parsed);
  }
  return Result;
}

std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
TidyConfiguration::makeProvider(
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) const {
  if (ExplicitConfig)
    return std::make_unique<clang::tidy::ConfigOptionsProvider>(
        ClangTidyGlobalOptions(), Defaults, *ExplicitConfig, Overrides,
        std::move(FS));
  return std::make_unique<clang::tidy::FileOptionsProvider>(
      ClangTidyGlobalOptions(), Defaults, Overrides, std::move(FS));
}

ClangTidyOptions TidyConfiguration::optionsFor(llvm::StringRef File) const {
  return makeProvider(llvm::vfs::getRealFileSystem())->getOptions(File);
}

std::vector<std::string>
TidyConfiguration::enabledChecks(const ClangTidyOptions &Options) {
  return clang::tidy::getCheckNames(Options,
                                    /*AllowEnablingAnalyzerAlphaCheckers=*/false);
}

} // namespace lockgraph
