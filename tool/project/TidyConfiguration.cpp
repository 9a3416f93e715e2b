#include "TidyConfiguration.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/GlobList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
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

/// A top-level `Key: value` entry (its line and the indented lines under
/// it) removed from block-style YAML; nullopt when \p Line (1-based) does not
/// start such an entry (JSON, a nested key).
static std::optional<std::string> withoutTopLevelEntry(llvm::StringRef Text, unsigned Line) {
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Text.split(Lines, '\n');
  if (Line == 0 || Line > Lines.size())
    return std::nullopt;
  llvm::StringRef First = Lines[Line - 1];
  if (First.empty() || llvm::isSpace(First.front()) || !First.contains(':') || First.starts_with("{"))
    return std::nullopt;
  unsigned End = Line; // first line after the entry (0-based index)
  while (End < Lines.size() && (Lines[End].empty() || llvm::isSpace(Lines[End].front())))
    ++End;
  std::string Result;
  for (unsigned I = 0; I < Lines.size(); ++I)
    if (I + 1 < Line || I >= End)
      (Result += Lines[I]) += '\n';
  return Result;
}

/// A project's `.clang-tidy` written for another clang-tidy version can hold
/// keys this one does not know (`AnalyzeTemporaryDtors`, removed in 18, is
/// still in many older files): they cannot concern lockgraph, so each is
/// dropped (its name added to \p Ignored) and the rest still configures the
/// run. Any other parse error stands.
static llvm::Expected<ClangTidyOptions> parseProjectConfig(llvm::StringRef Text, llvm::StringRef Source,
                                                           std::vector<std::string> &Ignored) {
  std::string Current = Text.str();
  for (;;) {
    std::optional<std::string> UnknownKey;
    unsigned UnknownLine = 0;
    std::string Diagnostics;
    llvm::raw_string_ostream DiagStream(Diagnostics);
    auto Parsed = clang::tidy::parseConfigurationWithDiags(
        llvm::MemoryBufferRef(Current, Source), [&](const llvm::SMDiagnostic &D) {
          llvm::StringRef Message = D.getMessage();
          if (!UnknownKey && D.getKind() == llvm::SourceMgr::DK_Error && Message.consume_front("unknown key '") &&
              Message.consume_back("'")) {
            UnknownKey = Message.str();
            UnknownLine = D.getLineNo();
          }
          D.print(nullptr, DiagStream, false);
        });
    if (Parsed)
      return *Parsed;
    std::optional<std::string> Stripped;
    if (UnknownKey)
      Stripped = withoutTopLevelEntry(Current, UnknownLine);
    if (!Stripped || Stripped->size() >= Current.size())
      return configError("invalid configuration in " + Source + ": " +
                         (Diagnostics.empty() ? Parsed.getError().message()
                                              : llvm::StringRef(Diagnostics).trim()));
    Ignored.push_back(*UnknownKey);
    Current = std::move(*Stripped);
  }
}

static llvm::Error checkRegex(llvm::StringRef Regex, llvm::StringRef Where) {
  std::string Problem;
  if (llvm::Regex(Regex).isValid(Problem))
    return llvm::Error::success();
  return configError("invalid regular expression '" + Regex + "' in " + Where + ": " + Problem);
}

/// A glob entry that names no check is a typo (`lockgraph-lock-ordr`,
/// `lockgraph-(`): clang-tidy ignores it and the run silently does less.
static llvm::Error checkGlobNamesChecks(llvm::StringRef Glob, llvm::StringRef Option) {
  ClangTidyOptions All = ClangTidyOptions::getDefaults();
  All.Checks = "*";
  static const std::vector<std::string> Known =
      clang::tidy::getCheckNames(All, /*AllowEnablingAnalyzerAlphaCheckers=*/false);
  llvm::SmallVector<llvm::StringRef, 8> Entries;
  Glob.split(Entries, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Entry : Entries) {
    Entry = Entry.trim();
    // Compiler warnings (clang-diagnostic-*) are enabled by glob too.
    if (Entry.empty() || Entry.starts_with("-") || llvm::StringRef("clang-diagnostic-").starts_with(Entry.rtrim('*')) ||
        Entry.starts_with("clang-diagnostic-"))
      continue;
    clang::tidy::GlobList Matcher(Entry);
    if (llvm::none_of(Known, [&](const std::string &Check) { return Matcher.contains(Check); }))
      return configError("'" + Entry + "' in " + Option + " names no check; 'lockgraph check --list-checks " +
                         "--checks=*' lists them");
  }
  return llvm::Error::success();
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

  if (Settings.HeaderFilter)
    if (llvm::Error E = checkRegex(*Settings.HeaderFilter, "--header-filter"))
      return std::move(E);
  if (Settings.Checks)
    if (llvm::Error E = checkGlobNamesChecks(*Settings.Checks, "--checks"))
      return std::move(E);
  if (Settings.WarningsAsErrors)
    if (llvm::Error E = checkGlobNamesChecks(*Settings.WarningsAsErrors, "--warnings-as-errors"))
      return std::move(E);

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

namespace {

/// A project's `.clang-tidy` is written for clang-tidy: its `Checks` and
/// `WarningsAsErrors` choose and grade clang-tidy's own checks (`-*` first,
/// or dozens of them, or `'*'`). Obeyed by `lockgraph check`, they would
/// switch lockgraph off, run every other check (3x the time) or turn
/// lockgraph's findings into errors. So from those files only the
/// lockgraph-specific keys `lockgraph.Checks` and `lockgraph.WarningsAsErrors`
/// (under CheckOptions) take those places; CheckOptions and
/// HeaderFilterRegex apply as written, and NOLINT comments as always.
/// Configuration given on lockgraph's own command line is obeyed whole.
class LockgraphOptionsProvider : public clang::tidy::ClangTidyOptionsProvider {
public:
  explicit LockgraphOptionsProvider(std::unique_ptr<ClangTidyOptionsProvider> Inner)
      : Inner(std::move(Inner)) {}

  const ClangTidyGlobalOptions &getGlobalOptions() override { return Inner->getGlobalOptions(); }

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources = Inner->getRawOptions(FileName);
    for (auto &[Options, Source] : Sources)
      if (isProjectFile(Source)) {
        Options.Checks = lockgraphKey(Options, "Checks");
        Options.WarningsAsErrors = lockgraphKey(Options, "WarningsAsErrors");
        // clang-tidy takes a HeaderFilterRegex that does not compile; the
        // project's headers are then reported as if the key were absent
        // (checkConfigurationFiles warns once), by every check alike.
        if (Options.HeaderFilterRegex && !llvm::Regex(*Options.HeaderFilterRegex).isValid())
          Options.HeaderFilterRegex.reset();
      }
    return Sources;
  }

private:
  static bool isProjectFile(llvm::StringRef Source) {
    return Source != OptionsSourceTypeDefaultBinary && Source != OptionsSourceTypeCheckCommandLineOption &&
           Source != OptionsSourceTypeConfigCommandLineOption;
  }
  static std::optional<std::string> lockgraphKey(const ClangTidyOptions &Options, llvm::StringRef Key) {
    auto It = Options.CheckOptions.find((LockgraphConfigPrefix + Key).str());
    if (It == Options.CheckOptions.end())
      return std::nullopt;
    return It->second.Value;
  }

  std::unique_ptr<ClangTidyOptionsProvider> Inner;
};

/// clang-tidy's `.clang-tidy` reader, parsing each file as
/// checkConfigurationFiles accepted it (keys this clang-tidy does not know
/// dropped) instead of skipping the whole file.
class ProjectFileOptionsProvider : public clang::tidy::FileOptionsProvider {
public:
  ProjectFileOptionsProvider(ClangTidyOptions Defaults, ClangTidyOptions Overrides,
                             llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
      : FileOptionsProvider(ClangTidyGlobalOptions(), std::move(Defaults), std::move(Overrides), std::move(FS)) {
    ConfigHandlers = {{".clang-tidy", [](llvm::MemoryBufferRef Config) -> llvm::ErrorOr<ClangTidyOptions> {
                         std::vector<std::string> Ignored;
                         auto Parsed = parseProjectConfig(Config.getBuffer(), Config.getBufferIdentifier(), Ignored);
                         if (!Parsed)
                           return llvm::errorToErrorCode(Parsed.takeError());
                         return std::move(*Parsed);
                       }}};
  }
};

} // namespace

std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
TidyConfiguration::makeProvider(
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) const {
  if (ExplicitConfig)
    return std::make_unique<clang::tidy::ConfigOptionsProvider>(
        ClangTidyGlobalOptions(), Defaults, *ExplicitConfig, Overrides,
        std::move(FS));
  return std::make_unique<LockgraphOptionsProvider>(
      std::make_unique<ProjectFileOptionsProvider>(Defaults, Overrides, std::move(FS)));
}

ClangTidyOptions TidyConfiguration::optionsFor(llvm::StringRef File) const {
  return makeProvider(llvm::vfs::getRealFileSystem())->getOptions(File);
}

llvm::Error TidyConfiguration::checkConfigurationFiles(llvm::StringRef File) {
  if (ExplicitConfig)
    return llvm::Error::success();
  // clang-tidy reads the nearest .clang-tidy upwards from the file, and its
  // parents' while InheritParentConfig says so; it prints a file's parse
  // error and goes on with the defaults, once per analysed file.
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(File); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, ".clang-tidy");
    auto [It, First] = CheckedFiles.try_emplace(Path);
    if (First) {
      It->second = checkConfigurationFile(Path);
      if (!It->second.Warning.empty())
        llvm::errs() << "lockgraph: warning: " << It->second.Warning << '\n';
    }
    if (!It->second.Problem.empty())
      return configError(It->second.Problem);
    if (It->second.Exists && !It->second.InheritsParent)
      break;
    if (Dir == llvm::sys::path::parent_path(Dir))
      break;
  }
  return llvm::Error::success();
}

TidyConfiguration::CheckedFile TidyConfiguration::checkConfigurationFile(llvm::StringRef Path) {
  CheckedFile Result;
  if (!llvm::sys::fs::exists(Path))
    return Result;
  Result.Exists = true;
  auto Text = llvm::MemoryBuffer::getFile(Path);
  if (!Text) {
    Result.Problem = "cannot read '" + Path.str() + "': " + Text.getError().message();
    return Result;
  }
  std::vector<std::string> Ignored;
  auto Parsed = parseProjectConfig((*Text)->getBuffer(), Path, Ignored);
  if (!Parsed) {
    Result.Problem = llvm::toString(Parsed.takeError());
    return Result;
  }
  for (const std::string &Key : Ignored)
    Result.Warning += (Result.Warning.empty() ? "" : "\nlockgraph: warning: ") + ("ignoring key '" + Key + "' in " +
                      Path + ": this clang-tidy version does not know it").str();
  // The file is written for clang-tidy, which takes a HeaderFilterRegex
  // that does not compile; a project whose clang-tidy runs fine must not get
  // no analysis at all from lockgraph.
  if (Parsed->HeaderFilterRegex)
    if (llvm::Error E = checkRegex(*Parsed->HeaderFilterRegex, "HeaderFilterRegex of " + Path.str()))
      Result.Warning += (Result.Warning.empty() ? "" : "\nlockgraph: warning: ") + llvm::toString(std::move(E)) +
                        "; ignored: the project's headers are reported";
  Result.InheritsParent = Parsed->InheritParentConfig.value_or(false);
  return Result;
}

std::vector<std::string>
TidyConfiguration::enabledChecks(const ClangTidyOptions &Options) {
  return clang::tidy::getCheckNames(Options,
                                    /*AllowEnablingAnalyzerAlphaCheckers=*/false);
}

} // namespace lockgraph
